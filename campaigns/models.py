from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from org.models import Unit


class Campaign(CleanTextModel):
    """A time-boxed campaign with goals, phases and weekly duty rules: data, not code."""

    name = models.CharField(_("name"), max_length=200)
    organiser = models.ForeignKey(Unit, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="campaigns")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goals = models.TextField(_("goals"), blank=True, help_text=_("One goal per line."))
    description = models.TextField(_("description"), blank=True)
    ref = models.CharField(_("external reference"), max_length=80, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"),
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="campaign_ref_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]


class Phase(CleanTextModel):
    """One phase of a campaign; it runs from the day after the previous phase's deadline to its own."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=60)
    ends_on = models.DateField(_("deadline"))
    focus = models.TextField(_("focus"), blank=True)

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="phase_order_unique")]

    def __str__(self) -> str:
        return self.name


class DutyRole(models.TextChoices):
    """Who a duty rule applies to: people by duty category, or the party committee as a body."""

    LEADER = "leader", _("Leaders")
    CADRE = "cadre", _("Other cadres")
    COMMITTEE = "committee", _("Party committee")


class DutyMetric(models.TextChoices):
    FIELD_DAYS = "field_days", _("Field days")
    MATTERS_SOLVED = "matters_solved", _("Matters solved as lead")
    ENTERPRISES_SERVED = "enterprises_served", _("Enterprises served")
    GRASSROOTS_HOURS = "grassroots_hours", _("Grassroots hours")
    HOUSEHOLD_VISITS = "household_visits", _("Household visits")
    REVIEW_MEETINGS = "review_meetings", _("Review meetings")


class DutyPeriod(models.TextChoices):
    WEEK = "week", _("per ISO week")
    MONTH = "month", _("per month")


class DutyRule(CleanTextModel):
    """At least `threshold` of `metric` per `period` for everyone of `role` during the campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="duty_rules"
    )
    role = models.CharField(_("applies to"), max_length=12, choices=DutyRole.choices)
    metric = models.CharField(_("metric"), max_length=24, choices=DutyMetric.choices)
    threshold = models.DecimalField(_("at least"), max_digits=6, decimal_places=1)
    period = models.CharField(_("period"), max_length=8, choices=DutyPeriod.choices, default=DutyPeriod.WEEK)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["campaign", "role", "metric"]
        verbose_name = _("duty rule")
        verbose_name_plural = _("duty rules")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "role", "metric", "period"], name="duty_rule_unique"),
            models.CheckConstraint(condition=Q(threshold__gt=0), name="duty_rule_threshold_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.get_metric_display()} ≥ {self.threshold} {self.get_period_display()}"


def phase_starts_on(campaign: Campaign, phases: list[Phase], index: int) -> dt.date:
    """The first day of phases[index] in an ordered phase list."""
    if index == 0:
        return campaign.starts_on
    return phases[index - 1].ends_on + dt.timedelta(days=1)
