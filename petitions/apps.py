from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    """The petition backlog line (信访积案攻坚): cases owned by leaders, as matters of kind `petition`."""

    name = "petitions"
    verbose_name = _("Petition backlog")
    default_auto_field = "django.db.models.BigAutoField"
