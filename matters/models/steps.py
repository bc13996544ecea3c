"""What happens to a matter: its recorded steps, progress reports and their evidence."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from matters.models.matter import Matter
from matters.workflow import Action, Status


class Transition(CleanTextModel):
    """One status change (or progress report) of a matter: who, when, from what, to what, and why."""

    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, blank=True)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.action}"


class ProgressReport(CleanTextModel):
    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    text = models.TextField(_("text"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_0_100")]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.percent}%"


def evidence_token() -> str:
    """The random part of an attachment's public address: 128 bits, so that addresses cannot be guessed or counted."""
    return secrets.token_urlsafe(16)


class Attachment(CleanTextModel):
    """Evidence: an image (re-encoded, metadata stripped) or a PDF, attached to a progress report."""

    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    # An image's fingerprints (core.imagehash), set where it is stored: the supervision signals find a photo reused.
    sha256 = models.CharField(_("content hash"), max_length=64, blank=True, db_index=True)
    phash = models.CharField(_("perceptual hash"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    # The public address names this, never the sequential id (see matters.selectors.evidence_public).
    token = models.CharField(_("token"), max_length=32, unique=True, default=evidence_token, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
