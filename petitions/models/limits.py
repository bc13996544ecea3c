"""The time limits of the 信访工作条例 (2022) as configurable rules, and each case's limits with their due dates.

A rule says how many days a step may take from its start and how far it may be extended (once). A case's limit
is one rule started on a day: due `days` later, met on the day the step is done. Limits the office must keep
(`chased`) are chased like a matter's deadline the day after they run out and escalated five working days later
(petitions.limits.limits_tick); the petitioner's own windows (asking for a review) only close.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from petitions.models.cases import PetitionCase


class LimitCode(models.TextChoices):
    ACCEPT = "accept", _("Decide on acceptance and notify (受理告知)")
    HANDLE = "handle", _("Handle the accepted petition (办理)")
    REVIEW_ASK = "review_ask", _("Window to request a review (申请复查)")
    REVIEW = "review", _("Answer the review (复查)")
    REEXAM_ASK = "reexam_ask", _("Window to request a re-examination (申请复核)")
    REEXAM = "reexam", _("Answer the re-examination (复核)")


class TimeLimitRule(CleanTextModel):
    """One time limit: its days from the start, the longest extension (0: none), whether the office is chased."""

    code = models.CharField(_("code"), max_length=12, choices=LimitCode.choices, unique=True)
    days = models.PositiveIntegerField(_("days"))
    max_extension_days = models.PositiveIntegerField(_("longest extension (days)"), default=0)
    chased = models.BooleanField(_("chased when overdue"), default=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("time limit rule")
        verbose_name_plural = _("time limit rules")

    def __str__(self) -> str:
        return self.get_code_display()


class CaseLimit(CleanTextModel):
    """One time limit of one case: started, due, extended at most once, met."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="limits")
    rule = models.ForeignKey(TimeLimitRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))
    extended_days = models.PositiveIntegerField(_("extended by (days)"), default=0)
    extension_reason = models.TextField(_("reason of the extension (told to the petitioner)"), blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [
            models.UniqueConstraint(fields=["case", "rule", "starts_on"], name="case_limit_once"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="case_limit_due_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.rule} · {self.due_on}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.met_on is None and today > self.due_on

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days


class LimitEventKind(models.TextChoices):
    CHASE = "chase", _("Chase (催办)")
    CIRCULAR = "circular", _("Escalation and circular (督办/通报)")


class LimitEvent(models.Model):
    """A chase or escalation of one case limit, once per limit, kind and due date (like matters' DeadlineEvent)."""

    limit = models.ForeignKey(CaseLimit, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=LimitEventKind.choices)
    due_on = models.DateField(_("due on"))
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["limit", "kind", "due_on"], name="limit_event_once")]

    def __str__(self) -> str:
        return f"{self.limit_id} {self.kind} {self.due_on}"
