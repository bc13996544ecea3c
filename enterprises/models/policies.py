"""The policy library (惠企政策), the matches computed from its conditions, and the deliveries that close them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel

PAYOUT_WORKING_DAYS = 60  # 快申快享: a granted benefit is paid out within this many working days by default


class BenefitKind(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    TAX_RELIEF = "tax_relief", _("Tax relief")
    LOAN_INTEREST = "loan_interest", _("Loan interest subsidy")
    AWARD = "award", _("Award")
    SERVICE = "service", _("Service")
    OTHER = "other", _("Other")


class Policy(CleanTextModel):
    """A support policy: what it gives, to whom (structured conditions plus free text), how to apply, until when."""

    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuing body"), max_length=120)
    doc_number = models.CharField(_("document number"), max_length=80, blank=True)
    year = models.PositiveIntegerField(_("year"))
    summary = models.TextField(_("summary"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    benefit_kind = models.CharField(_("benefit"), max_length=20, choices=BenefitKind.choices)
    benefit_amount = models.DecimalField(
        _("amount (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("Where the policy states one."),
    )  # fmt: skip
    benefit_text = models.CharField(_("benefit in words"), max_length=200, blank=True)
    # [{"field": "industry", "op": "in", "value": ["copper"]}, …]: see enterprises/conditions.py.
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    eligibility_text = models.TextField(_("other eligibility"), blank=True, help_text=_("What cannot be structured."))
    route = models.TextField(_("how to apply"), blank=True)
    apply_by = models.DateField(_("application deadline"), null=True, blank=True)
    # 免申即享: granted without application when scope, review standard and comparison data are all complete.
    scope_complete = models.BooleanField(_("scope complete"), default=False)
    standard_complete = models.BooleanField(_("review standard complete"), default=False)
    data_complete = models.BooleanField(_("comparison data complete"), default=False)
    payout_days = models.PositiveIntegerField(_("payout within (working days)"), default=PAYOUT_WORKING_DAYS)
    attachment = models.FileField(_("attachment"), upload_to="policies/", blank=True)
    ref = models.CharField(
        _("external reference"), max_length=80, blank=True, help_text=_("Stable key from an import or the demo.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name="policy_dates_order"
            ),
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="policy_ref_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def no_application(self) -> bool:
        """免申即享: the list of qualifying enterprises is itself the grant list."""
        return self.scope_complete and self.standard_complete and self.data_complete

    def expired_on(self, day: dt.date) -> bool:
        return self.valid_to is not None and day > self.valid_to


class Match(models.Model):
    """An enterprise that qualifies for a policy (or nearly: `unmet` names the conditions it still fails).

    Recomputed whenever a profile or a policy changes (enterprises.services.matches_refresh); never edited.
    """

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="matches")
    enterprise = models.ForeignKey("enterprises.EnterpriseProfile", on_delete=models.CASCADE, related_name="matches")
    qualified = models.BooleanField(default=True)
    reasons = models.JSONField(default=list)  # the conditions met, as readers see them
    unmet = models.JSONField(default=list)  # for a near miss: the conditions still unmet

    class Meta:
        ordering = ["policy", "enterprise"]
        constraints = [models.UniqueConstraint(fields=["policy", "enterprise"], name="match_once")]

    def __str__(self) -> str:
        return f"{self.policy_id} × {self.enterprise_id}"


class DeliveryWay(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    MEETING = "meeting", _("Meeting")
    DOCUMENT = "document", _("Document")


class DeliveryOutcome(models.TextChoices):
    INFORMED = "informed", _("Informed")
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Delivery(CleanTextModel):
    """A policy delivered to an enterprise (政策直达): by whom, when, how, with what outcome."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="deliveries")
    enterprise = models.ForeignKey(
        "enterprises.EnterpriseProfile", verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="deliveries",
    )  # fmt: skip
    person = models.ForeignKey("org.Person", verbose_name=_("delivered by"), on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField(_("date"))
    way = models.CharField(_("way"), max_length=10, choices=DeliveryWay.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=DeliveryOutcome.choices)
    amount = models.DecimalField(
        _("amount granted (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    payout_due = models.DateField(_("payout due"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    visit = models.ForeignKey(
        "fieldwork.Visit", verbose_name=_("visit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = _("policy delivery")
        verbose_name_plural = _("policy deliveries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="not_applicable") | ~Q(reason=""), name="delivery_not_applicable_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} → {self.enterprise}"
