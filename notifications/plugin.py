"""What the notifications app adds: everyone's inbox."""

from django.utils.translation import gettext_lazy as _

from core.capabilities import CoreCap
from core.plugins import MenuItem, Plugin, access

PLUGIN = Plugin(
    menu=[MenuItem(_("Inbox"), "notifications:inbox", CoreCap.WORKBENCH, 20)],
    urls=[("inbox/", "notifications.urls")],
    area="Inbox",
    routes=[
        *access("notifications:inbox", CoreCap.WORKBENCH),
        *access("notifications:read", CoreCap.WORKBENCH, "POST", pk="{own_notification}"),
        *access("notifications:read_all", CoreCap.WORKBENCH, "POST"),
    ],
)
