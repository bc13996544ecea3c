"""The assessment area's tables (指导考核): schemes as data, an assessment per scheme and period, manual scores,
appeals (好差评申诉 / 容错纠错) and the confirmed versions, immutable like a publication.

A scheme's items name an indicator of `"assessment.indicators"` (core.indicators) by key, or are manual; the
computation (oversight.selectors.assessment) collects each indicator's figures into `Assessment.figures` as a
background job and scores them with the manual scores and the sustained appeals into `Assessment.result`.
Confirming freezes the result into an `AssessmentVersion`; a correction is the next version, with its reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.text import CleanTextModel

__all__ = [
    "Appeal",
    "AppealStatus",
    "Assessment",
    "AssessmentStatus",
    "AssessmentVersion",
    "ConfirmedVersionImmutable",
    "Grade",
    "ItemKind",
    "ManualScore",
    "PeriodKind",
    "Scheme",
    "SchemeItem",
    "SubjectKind",
]

HUNDRED = Decimal(100)


class SubjectKind(models.TextChoices):
    UNIT = "unit", _("Units")
    PERSON = "person", _("People")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half-year")
    YEAR = "year", _("Year")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class ItemKind(models.TextChoices):
    RATE = "rate", _("Rate")
    COUNT = "count", _("Count")
    DEDUCTION = "deduction", _("Deduction")
    MANUAL = "manual", _("Manual")


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Not computed yet")
    COMPUTING = "computing", _("Computing")
    COMPUTED = "computed", _("Computed")
    CONFIRMED = "confirmed", _("Confirmed")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    SUSTAINED = "sustained", _("Sustained")
    REJECTED = "rejected", _("Rejected")


class Scheme(CleanTextModel):
    """How one kind of subject is scored for one kind of period: its items, grade thresholds and appeal days."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    subject = models.CharField(_("subjects"), max_length=10, choices=SubjectKind.choices)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    excellent_from = models.DecimalField(_("excellent from"), max_digits=7, decimal_places=2, default=Decimal(90))
    good_from = models.DecimalField(_("good from"), max_digits=7, decimal_places=2, default=Decimal(80))
    fair_from = models.DecimalField(_("fair from"), max_digits=7, decimal_places=2, default=Decimal(60))
    appeal_days = models.PositiveIntegerField(
        _("appeal days"), default=5, validators=[MaxValueValidator(60)],
        help_text=_("Days after the scores are computed during which a unit or person may appeal."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_from__gt=F("good_from"), good_from__gt=F("fair_from"), fair_from__gte=0)
                & Q(excellent_from__lte=HUNDRED),
                name="assessment_scheme_grades_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchemeItem(CleanTextModel):
    """One line of a scheme: an indicator (by key) or a manual item, with its weight and its own parameters."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    indicator = models.CharField(_("indicator"), max_length=80, blank=True)
    label = models.CharField(_("label"), max_length=120)
    weight = models.DecimalField(
        _("weight"), max_digits=7, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    target = models.DecimalField(_("target"), max_digits=7, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("points per occurrence"), max_digits=7, decimal_places=2, null=True, blank=True)
    cap = models.DecimalField(_("cap"), max_digits=7, decimal_places=2, null=True, blank=True)
    min_score = models.DecimalField(_("lowest score"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("scheme item")
        verbose_name_plural = _("scheme items")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="assessment_item_weight_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="count") | Q(target__gt=0), name="assessment_item_count_has_target"
            ),
            models.CheckConstraint(
                condition=~Q(kind="deduction") | Q(points__gt=0, cap__gt=0), name="assessment_item_deduction_points"
            ),
            models.CheckConstraint(
                condition=~Q(kind="manual") | (Q(min_score__gte=0) & Q(min_score__lte=F("weight"))),
                name="assessment_item_manual_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="manual", indicator="") | (~Q(kind="manual") & ~Q(indicator="")),
                name="assessment_item_indicator_unless_manual",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_deduction(self) -> bool:
        return self.kind == ItemKind.DEDUCTION


class Assessment(models.Model):
    """One scheme over one period (one plan per scheme and period): its figures, its scores, its versions."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="assessments")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN
    )
    job = models.ForeignKey(
        "core.Job", verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)  # as the indicators gave them
    result = models.JSONField(_("scores"), default=dict, blank=True)  # the figures scored (manual, appeals)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    appeal_until = models.DateField(_("appeals until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-period_start", "scheme__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "period_start"], name="assessment_one_per_scheme_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="assessment_period_ordered"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "computing"]) | Q(computed_at__isnull=False),
                name="assessment_computed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.period_label}"

    @property
    def period_label(self) -> str:
        from oversight.selectors.assessment import period_label

        return period_label(self.scheme.period_kind, self.period_start)

    @property
    def running(self) -> bool:
        """The period has not ended: its scores are provisional (暂评) and cannot be confirmed yet."""
        from django.utils import timezone

        return self.period_end >= timezone.localdate()


class ManualScore(CleanTextModel):
    """A score the assessment team gives for a manual item, within the item's range, with its reason."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="manual_scores")
    item = models.ForeignKey(SchemeItem, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveIntegerField(_("unit or person"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("reason"), max_length=1000)
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(_("scored at"))

    class Meta:
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item", "subject_id"], name="assessment_manual_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="assessment_manual_has_reason"),
        ]


class Appeal(CleanTextModel):
    """An appeal against one record of a deduction or a miss of a rate (a bad rating) in a subject's breakdown."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="appeals")
    item = models.ForeignKey(SchemeItem, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveIntegerField(_("unit or person"))
    record_model = models.CharField(_("record type"), max_length=80)
    record_pk = models.PositiveIntegerField(_("record"))
    record_title = models.CharField(_("record"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), max_length=2000)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(_("filed at"))
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item", "subject_id", "record_model", "record_pk"],
                condition=~Q(status="rejected"),
                name="assessment_appeal_once_per_record",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="assessment_appeal_has_reason"),
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="assessment_appeal_decided_with_reason",
            ),
        ]


class ConfirmedVersionImmutable(DomainError):
    """A confirmed version is never changed or removed through the application."""


class VersionQuerySet(models.QuerySet["AssessmentVersion"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise ConfirmedVersionImmutable(str(_("A confirmed assessment cannot be removed.")))

    def update(self, **kwargs: Any) -> int:
        raise ConfirmedVersionImmutable(str(_("A confirmed assessment cannot be changed; confirm a correction.")))


class AssessmentVersion(models.Model):
    """A confirmed result, frozen: the scores as canonical JSON with its sha256 (in the audit chain)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"), default=1)
    reason = models.TextField(_("reason for the correction"), blank=True, max_length=1000)
    confirmed_at = models.DateTimeField(_("confirmed at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(_("snapshot"))
    content_hash = models.CharField(_("content hash"), max_length=64)

    objects: ClassVar[Any] = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("confirmed assessment")
        verbose_name_plural = _("confirmed assessments")
        ordering = ["assessment", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "version"], name="assessment_one_per_version"),
            models.CheckConstraint(
                condition=(Q(version=1) & Q(reason="")) | (Q(version__gt=1) & ~Q(reason="")),
                name="assessment_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ConfirmedVersionImmutable(str(_("A confirmed assessment cannot be changed; confirm a correction.")))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ConfirmedVersionImmutable(str(_("A confirmed assessment cannot be removed.")))
