"""Civilized compound creation (文明小区创建): a checklist per campaign, assessments with per-item scores, titles,
and the residents' periodic rating of their property company (one of the items)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel


class Checklist(CleanTextModel):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compound_checklists",
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("civilized compound checklist")
        verbose_name_plural = _("civilized compound checklists")

    def __str__(self) -> str:
        return self.name


class ScoringMethod(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    SCALE = "scale", _("0 to N")
    DERIVED = "derived", _("Derived from the records")


class DerivedSource(models.TextChoices):
    """What a derived item counts. Never endorsements, likes or votes (the 2026 rules on government apps)."""

    ON_TIME = "on_time", _("Share of the compound's matters due in the period finished on time")
    MEETINGS = "meetings", _("Linkage meetings with all three sides in the period (N for full marks)")
    RATINGS = "ratings", _("Residents' ratings of the compound's matters finished in the period")
    PROPERTY = "property", _("Residents' rating of the property company in the period")


class ChecklistItem(CleanTextModel):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("item"), max_length=200)
    weight = models.DecimalField(
        _("weight (points)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    method = models.CharField(_("scoring"), max_length=10, choices=ScoringMethod.choices)
    top = models.PositiveIntegerField(
        _("N"), default=1, help_text=_("0 to N: the top score; derived from meetings: the count for full marks.")
    )
    source = models.CharField(_("derived from"), max_length=10, choices=DerivedSource.choices, blank=True)

    class Meta:
        ordering = ["checklist", "order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.CheckConstraint(
                condition=(Q(method="derived") & ~Q(source="")) | (~Q(method="derived") & Q(source="")),
                name="checklist_item_derived_has_source",
            ),
            models.CheckConstraint(condition=Q(top__gte=1), name="checklist_item_top_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """A compound scored against a checklist for a period; `total` is the sum of its items' points."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="assessments")
    compound = models.ForeignKey(
        "compounds.CompoundProfile", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="assessments"
    )
    period = models.CharField(_("period"), max_length=7, help_text=_("A quarter, e.g. 2022Q2."))
    period_starts = models.DateField(_("period starts"))
    period_ends = models.DateField(_("period ends"))
    scored_on = models.DateField(_("scored on"))
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["-period_starts", "-total"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["checklist", "compound", "period"], name="assessment_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.compound} · {self.period}"


class ItemScore(models.Model):
    """One item's score: `value` on the item's own scale (0/1, 0..N, or 0..1 derived) and the points it earns."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=8, decimal_places=4)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    evidence = models.FileField(_("photo (evidence)"), upload_to="compounds/evidence/%Y/%m/", blank=True)

    class Meta:
        ordering = ["assessment", "item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="item_score_once")]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"


class PropertyRating(models.Model):
    """One resident's rating (1–5) of the compound's property company, anonymous, on a day."""

    compound = models.ForeignKey("compounds.CompoundProfile", on_delete=models.CASCADE, related_name="property_ratings")
    rated_on = models.DateField(_("rated on"))
    score = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["-rated_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="property_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.compound} · {self.score}"


class Title(models.TextChoices):
    STANDARD = "standard", _("Creation standard met (创建达标)")
    MODEL = "model", _("Model compound (示范小区)")


class TitleAward(models.Model):
    compound = models.ForeignKey(
        "compounds.CompoundProfile", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="titles"
    )
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=10, choices=Title.choices)
    awarded_on = models.DateField(_("awarded on"))
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-awarded_on"]
        constraints = [models.UniqueConstraint(fields=["compound", "checklist", "title"], name="title_once")]

    def __str__(self) -> str:
        return f"{self.compound} · {self.get_title_display()}"
