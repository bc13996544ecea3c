"""The signals area's tables: a supervision signal (预警), a reason to look computed from the records, never a penalty.

A signal is found by a detector of `oversight.signals` (a scheduled job and on demand) and keyed by its
`fingerprint` (the kind and the records it rests on), so that finding it again updates it instead of adding a copy.
Its `evidence` holds the references of those records; the supervision team looks at it, dismisses it with a reason
or turns it into a problem clue (oversight.models.clues.Clue.signal).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel

__all__ = ["Signal", "SignalKind", "SignalStatus"]


class SignalKind(models.TextChoices):
    OVERDUE_STALE = "overdue_stale", _("Overdue without progress")
    RETURNED = "returned", _("Returned or reopened repeatedly")
    UNSATISFIED = "unsatisfied", _("Closed with a 不满意 majority")
    DUTY_SHORTFALL = "duty_shortfall", _("Duties short two weeks running")
    POINT_UNVISITED = "point_unvisited", _("Contact point never visited")
    NOTE_COPIED = "note_copied", _("Visit notes copied")
    PHOTO_REUSED = "photo_reused", _("Visit photo reused")
    LATE_ENTRY = "late_entry", _("Visit entered long after its date")
    LONG_DAY = "long_day", _("More than 16 hours of visits in a day")
    OVERLAP = "overlap", _("Overlapping visits")
    TOO_FAR = "too_far", _("Places too far apart for the time between")
    REGULAR = "regular", _("Implausibly regular visits")
    REPORT_PHOTO_REUSED = "report_photo", _("Progress report photo repeats an earlier one")
    EFFECT_COPIED = "effect_copied", _("Effect copied from the task text")


class SignalStatus(models.TextChoices):
    NEW = "new", _("New")
    SEEN = "seen", _("Looked at")
    DISMISSED = "dismissed", _("Dismissed")
    CLUED = "clued", _("Turned into a clue")


class Signal(CleanTextModel):
    kind = models.CharField(_("kind"), max_length=24, choices=SignalKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=SignalStatus.choices, default=SignalStatus.NEW)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    person = models.ForeignKey(
        "org.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("date"), help_text=_("The day of the records the signal rests on (the latest)."))
    summary = models.CharField(_("summary"), max_length=300)
    evidence = models.JSONField(_("evidence"), default=dict)
    found_at = models.DateTimeField(_("first found"))
    refreshed_at = models.DateTimeField(_("last found"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dismiss_reason = models.TextField(_("reason for dismissing"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["status", "kind"], name="signal_status_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismiss_reason=""), name="signal_dismissed_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"
