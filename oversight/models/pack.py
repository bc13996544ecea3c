"""The pack area's tables: one row per monthly pack made (its month, the job that makes it, its two files)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["MonthlyPack"]


class MonthlyPack(models.Model):
    """The committee's monthly pack (月度汇报材料) of one month, as made at one time: made again, it is a new row."""

    month = models.DateField(_("month of the pack"))  # its first day
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    job = models.OneToOneField(
        "core.Job", verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(_("made at"), null=True, blank=True)
    docx = models.FileField(_("Word file"), upload_to="oversight/packs/", blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="oversight/packs/", blank=True)
    data = models.JSONField(_("contents"), default=dict, blank=True)  # what the files say (oversight.pack_data)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("monthly pack")
        verbose_name_plural = _("monthly packs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(made_at__isnull=True) | (~models.Q(docx="") & ~models.Q(pdf="")),
                name="oversight_pack_made_has_both_files",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def made(self) -> bool:
        return self.made_at is not None
