"""The clues area's tables: a problem clue (问题线索), its investigation and the accountability measures (问责).

Clues are confidential: only the conduct supervision team reads them (oversight.capabilities.CLUES), each read
audited; the people a clue names never see it. A public clue's reporter follows it by its tracking code, which shows
only the status (and, once concluded, the category of the conclusion).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel

__all__ = ["Clue", "ClueSource", "ClueStatus"]


class ClueSource(models.TextChoices):
    PUBLIC = "public", _("From the public")
    STAFF = "staff", _("From staff")
    SIGNAL = "signal", _("From a signal")


class ClueStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    DISPOSED = "disposed", _("Being handled")
    CONCLUDED = "concluded", _("Concluded")


class Clue(CleanTextModel):
    code = models.CharField(_("number"), max_length=20, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True, null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=ClueSource.choices)
    status = models.CharField(_("status"), max_length=12, choices=ClueStatus.choices, default=ClueStatus.REGISTERED)
    text = models.TextField(_("what is reported"), max_length=5000)
    received_at = models.DateTimeField(_("received at"))
    signal = models.OneToOneField(
        "oversight.Signal",
        verbose_name=_("signal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clue",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("problem clue")
        verbose_name_plural = _("problem clues")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.code
