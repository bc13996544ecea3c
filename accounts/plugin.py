"""What the accounts app adds: signing in, accounts (system administrator), roles and locks (security
administrator), and the demo accounts, one per role."""

from django.utils.translation import gettext_lazy as _

from accounts.capabilities import GRANTS, AccountCap
from core.plugins import DemoOptions, MenuItem, Open, Plugin, access


def _demo(options: DemoOptions) -> str:
    from accounts import demo

    return f"Demo accounts: {demo.load_accounts()} new."


PLUGIN = Plugin(
    grants=GRANTS,
    menu=[
        MenuItem(_("Accounts"), "accounts:account_list", AccountCap.MANAGE, 95),
        MenuItem(_("Roles and locks"), "accounts:security", AccountCap.ROLES_ASSIGN, 96),
    ],
    demo=_demo,
    urls=[("", "accounts.urls")],
    area="Sign-in, accounts and roles",
    routes=[
        *access("accounts:login", Open.PUBLIC, "GET POST"),
        *access("accounts:logout", Open.PUBLIC, "POST"),
        *access("accounts:account_list", AccountCap.MANAGE),
        *access("accounts:account_new", AccountCap.MANAGE, "GET POST"),
        *access("accounts:account_toggle", AccountCap.MANAGE, "POST", pk="{account}"),
        *access("accounts:security", AccountCap.ROLES_ASSIGN),
        *access("accounts:roles_edit", AccountCap.ROLES_ASSIGN, "GET POST", pk="{account}"),
        *access("accounts:unlock", AccountCap.ROLES_ASSIGN, "POST"),
    ],
)
