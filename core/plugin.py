"""What the core adds: signing in, accounts (system administrator) and roles (security administrator)."""

from django.utils.translation import gettext_lazy as _

from core.capabilities import GRANTS, CoreCap
from core.plugins import MenuItem, Open, Plugin, access

PLUGIN = Plugin(
    grants=GRANTS,
    menu=[
        MenuItem(_("Accounts"), "core:account_list", CoreCap.ACCOUNTS_MANAGE, 95),
        MenuItem(_("Roles and locks"), "core:security", CoreCap.ROLES_ASSIGN, 96),
    ],
    urls=[("", "core.urls")],
    area="Sign-in, accounts and roles",
    routes=[
        *access("core:login", Open.PUBLIC, "GET POST"),
        *access("core:logout", Open.PUBLIC, "POST"),
        *access("core:account_list", CoreCap.ACCOUNTS_MANAGE),
        *access("core:account_new", CoreCap.ACCOUNTS_MANAGE, "GET POST"),
        *access("core:account_toggle", CoreCap.ACCOUNTS_MANAGE, "POST", pk="{account}"),
        *access("core:security", CoreCap.ROLES_ASSIGN),
        *access("core:roles_edit", CoreCap.ROLES_ASSIGN, "GET POST", pk="{account}"),
        *access("core:unlock", CoreCap.ROLES_ASSIGN, "POST"),
    ],
)
