from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in (with lockout), accounts (the system administrator) and roles (the security administrator)."""

    name = "accounts"
    verbose_name = _("Accounts")
