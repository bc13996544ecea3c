"""The publication area's tables: a month's three lists as published, one immutable row per version."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.text import CleanTextModel

__all__ = ["Publication", "PublishedVersionImmutable"]


class PublishedVersionImmutable(DomainError):
    """A published version is never changed or removed through the application."""


class PublicationQuerySet(models.QuerySet["Publication"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise PublishedVersionImmutable(str(_("A published version cannot be removed.")))


class Publication(CleanTextModel):
    """One published version of a campaign's month: the three lists and the figures exactly as the public saw them.

    Written once by `oversight.services.publication.publication_publish`; a correction is a new version that
    supersedes the previous one. `content_hash` is the sha256 of the snapshot's canonical JSON, recorded in the
    audit chain, so that `verify_audit` finds a snapshot changed in the database.
    """

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="publications"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month published."))
    version = models.PositiveIntegerField(_("version"), default=1)
    reason = models.TextField(_("reason for the correction"), blank=True, max_length=1000)
    published_at = models.DateTimeField(_("published at"))
    publisher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publisher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    publisher_unit = models.CharField(_("publisher's unit"), max_length=200, blank=True)
    snapshot = models.JSONField(_("snapshot"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    objects: ClassVar[Any] = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "month", "version"], name="publication_one_per_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="publication_version_from_one"),
            models.CheckConstraint(
                condition=(Q(version=1) & Q(reason="")) | (Q(version__gt=1) & ~Q(reason="")),
                name="publication_correction_has_reason",
            ),
            # "The month is its first day" is checked in clean(): a CHECK on the day would call a function of
            # Django's own on SQLite, which a plain sqlite3 connection (the integrity check, a backup) lacks.
        ]

    def __str__(self) -> str:
        return f"{self.month_label} v{self.version}"

    @property
    def month_label(self) -> str:
        """The month as the URLs write it: 2026-11."""
        return f"{self.month.year:04d}-{self.month.month:02d}"

    @property
    def is_correction(self) -> bool:
        return self.version > 1

    @property
    def month_end(self) -> dt.date:
        nxt = dt.date(self.month.year + (self.month.month == 12), self.month.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    def clean(self) -> None:
        super().clean()
        if self.month is not None and self.month.day != 1:
            raise ValidationError({"month": _("A month is written as its first day.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PublishedVersionImmutable(str(_("A published version cannot be changed; publish a correction.")))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PublishedVersionImmutable(str(_("A published version cannot be removed.")))
