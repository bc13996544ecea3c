"""What the site adds: each person's workbench (every app's items) and the language switch."""

from django.utils.translation import gettext_lazy as _

from core.capabilities import CoreCap
from core.plugins import MenuItem, Open, Plugin, access

PLUGIN = Plugin(
    menu=[MenuItem(_("My work"), "site:workbench", CoreCap.WORKBENCH, 10)],
    urls=[("", "minqing.urls_site")],
    area="Sign-in, accounts and roles",
    routes=[
        *access("site:workbench", CoreCap.WORKBENCH),
        *access("set_language", Open.PUBLIC, "POST"),
    ],
)
