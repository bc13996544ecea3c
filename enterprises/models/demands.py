"""Enterprise demands (企业诉求): the detail of matters of kind `enterprise`; and what enterprise visits add."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel


def new_token() -> str:
    """A rating link's secret: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


class DemandType(models.TextChoices):
    LAND = "land", _("Land")
    FINANCING = "financing", _("Financing")
    LABOUR = "labour", _("Labour")
    APPROVAL = "approval", _("Approvals")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    POLICY = "policy", _("Policy payout")
    LOGISTICS = "logistics", _("Logistics")
    ENVIRONMENT = "environment", _("Environment")
    OTHER = "other", _("Other")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Demand(CleanTextModel):
    """The enterprise's side of a matter: which enterprise, what kind of demand, the amount, its own rating."""

    matter = models.OneToOneField("matters.Matter", on_delete=models.CASCADE, related_name="enterprise_demand")
    enterprise = models.ForeignKey(
        "enterprises.EnterpriseProfile", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="demands"
    )
    demand_type = models.CharField(_("demand type"), max_length=20, choices=DemandType.choices)
    amount = models.DecimalField(
        _("amount at stake (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("Commercially sensitive: only the back office sees it.")
    )
    # The enterprise's own rating, given through a link with this token (never public).
    rating_token = models.CharField(max_length=43, unique=True, editable=False, default=new_token)
    rating = models.CharField(_("enterprise's rating"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise demand")
        verbose_name_plural = _("enterprise demands")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_demand_type_display()}"


class EnterpriseVisit(models.Model):
    """What an enterprise visit recorded beyond fieldwork's own: the reason for a visit beyond the month's cap."""

    visit = models.OneToOneField("fieldwork.Visit", on_delete=models.CASCADE, related_name="enterprise_note")
    enterprise = models.ForeignKey(
        "enterprises.EnterpriseProfile", on_delete=models.CASCADE, related_name="visit_notes"
    )
    beyond_cap_reason = models.CharField(_("reason for a visit beyond the cap"), max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.visit_id}"
