from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """Oversight (督导): the monthly review and its publications, the monthly pack, the dashboards, the assessment,
    conduct supervision with its signals, clues and circulars."""

    name = "oversight"
    verbose_name = _("Oversight")
