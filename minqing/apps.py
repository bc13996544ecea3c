from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top of the house: the site's URL conf, each person's workbench and the demo loader."""

    name = "minqing"
    label = "minqing"
    verbose_name = _("Site")
