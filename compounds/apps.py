from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompoundsConfig(AppConfig):
    """Compounds (小区): their profile, the tripartite linkage, owners' votes, civilized compound scoring, talks."""

    name = "compounds"
    verbose_name = _("Compounds")
