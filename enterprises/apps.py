from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    """访企业解难题 · 政策直达: enterprise profiles, their demands, the policy library, matching and delivery."""

    name = "enterprises"
    verbose_name = _("Enterprise service")
