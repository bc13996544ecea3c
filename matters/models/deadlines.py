"""A matter's deadline over time: extensions asked and decided, chases and circulars sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from matters.models.matter import Matter


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Extension(CleanTextModel):
    """A request, made before the deadline, to move it; a lead decides."""

    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    old_deadline = models.DateField(_("old deadline"))
    new_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["matter"], condition=Q(status="pending"), name="extension_one_pending_per_matter"
            ),
            models.CheckConstraint(
                condition=Q(new_deadline__gt=models.F("old_deadline")), name="extension_moves_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} → {self.new_deadline}"


class DeadlineEventKind(models.TextChoices):
    CHASE = "chase", _("Chase (催办)")
    CIRCULAR = "circular", _("Escalation and circular (督办/通报)")


class DeadlineEvent(models.Model):
    """A chase or escalation recorded by `manage.py tick`; once per matter, kind and deadline."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="deadline_events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DeadlineEventKind.choices)
    due_on = models.DateField(_("deadline"))
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("deadline event")
        verbose_name_plural = _("deadline events")
        constraints = [
            models.UniqueConstraint(fields=["matter", "kind", "due_on"], name="deadline_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.kind} {self.due_on}"
