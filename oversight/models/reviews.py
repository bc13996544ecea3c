"""The reviews area's tables: the monthly review meeting (月度专题研究) and the decisions it takes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel

__all__ = ["Decision", "DecisionKind", "Review", "ReviewStatus"]


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PREPARED = "prepared", _("Prepared")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Review(CleanTextModel):
    """One month's review meeting of a campaign: prepared from the records, held, its decisions, its minutes."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="reviews"
    )
    month = models.DateField(_("month"))  # the first day of the month reviewed
    held_on = models.DateField(_("held on"), null=True, blank=True)
    chair = models.ForeignKey(
        "org.Person", verbose_name=_("chair"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendees = models.ManyToManyField("org.Person", verbose_name=_("attendees"), blank=True, related_name="+")
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    minutes = models.TextField(_("minutes"), blank=True)
    prepared = models.JSONField(_("prepared data"), default=dict, blank=True)  # frozen when prepared
    prepared_at = models.DateTimeField(_("prepared at"), null=True, blank=True)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("preparation job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("monthly review")
        verbose_name_plural = _("monthly reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "month"],
                condition=~Q(status="cancelled"),
                name="review_one_per_campaign_month",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"]) | Q(prepared_at__isnull=False),
                name="review_prepared_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["held", "closed"]) | Q(chair__isnull=False, held_on__isnull=False),
                name="review_held_has_chair_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(minutes="") & Q(closed_at__isnull=False)),
                name="review_closed_has_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("oversight:review_detail", args=[self.pk])

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"


class DecisionKind(models.TextChoices):
    ASSIGN = "assign", _("Assign a matter")
    REASSIGN = "reassign", _("Re-assign a matter")
    DEADLINE = "deadline", _("Set a deadline")
    CHASE = "chase", _("Order a chase")
    CIRCULAR = "circular", _("Order a circular")
    OTHER = "other", _("Other")


# The kinds that act on a matter through the matters app's services, and so must name one.
MATTER_KINDS = ("assign", "reassign", "deadline", "chase")


class Decision(CleanTextModel):
    """A decision of a review meeting; what it did to a matter is recorded with it (the step or record created)."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind.choices)
    text = models.TextField(_("decision"))
    matter = models.ForeignKey(
        "matters.Matter",
        verbose_name=_("matter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_decisions",
    )
    effect = models.JSONField(_("what it did"), default=dict, blank=True)  # ids and labels of what it created
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["review", "order"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [
            models.UniqueConstraint(fields=["review", "order"], name="review_decision_order_unique"),
            models.CheckConstraint(
                condition=~Q(kind__in=MATTER_KINDS) | Q(matter__isnull=False), name="review_decision_names_matter"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="review_decision_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.review} #{self.order}"
