"""What the audit app adds: the audit administrator's log page."""

from django.utils.translation import gettext_lazy as _

from audit.capabilities import GRANTS, AuditCap
from core.plugins import MenuItem, Plugin, access

PLUGIN = Plugin(
    grants=GRANTS,
    menu=[MenuItem(_("Audit log"), "audit:list", AuditCap.VIEW, 97)],
    urls=[("audit/", "audit.urls")],
    area="Audit log",
    routes=[
        *access("audit:list", AuditCap.VIEW),
        *access("audit:list", AuditCap.VIEW, query="verify=1", note="verify the chain"),
    ],
)
