"""The circulars area's tables: a circular (情况通报), drafted from the records, edited, issued to the units concerned
and kept; an issued circular never changes (the model, its querysets and its links refuse)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.text import CleanTextModel

__all__ = ["Circular", "CircularImmutable", "CircularKind", "CircularPerson", "CircularStatus", "CircularUnit"]


class CircularImmutable(DomainError):
    """An issued circular is kept as issued: no change, no removal, through any part of the application."""


class CircularKind(models.TextChoices):
    OVERDUE = "overdue", _("Overdue units")
    DUTIES = "duties", _("Duty shortfalls")
    CLUES = "clues", _("Founded clues and their measures")
    GOOD = "good", _("Good examples")


# The kinds that criticise (the assessment counts them as deductions of the units and persons named).
CRITICAL_KINDS = (CircularKind.OVERDUE, CircularKind.DUTIES, CircularKind.CLUES)


class CircularStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


def _refuse_issued(qs: models.QuerySet[Any], issued: Q, message: str) -> None:
    if qs.filter(issued).exists():
        raise CircularImmutable(message)


class CircularQuerySet(models.QuerySet["Circular"]):
    def update(self, **kwargs: Any) -> int:
        _refuse_issued(self, Q(status=CircularStatus.ISSUED), str(_("An issued circular cannot be changed.")))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse_issued(self, Q(status=CircularStatus.ISSUED), str(_("An issued circular cannot be removed.")))
        return super().delete()


class Circular(CleanTextModel):
    """One circular: generated from the records of a period as a draft (title, lead paragraph, body, table,
    conclusion, the units and persons concerned), edited, then issued with its number (〔2031〕第3期).

    Issuing freezes it: `content_hash` (sha256 of its canonical content) goes into the audit chain, and the audit's
    content check (oversight.selectors.circulars.circulars_audit_problems) compares it with the stored row."""

    kind = models.CharField(_("kind"), max_length=8, choices=CircularKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=CircularStatus.choices, default=CircularStatus.DRAFT)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=200)
    lead = models.TextField(_("lead paragraph"), blank=True, max_length=5000)
    body = models.TextField(_("body"), blank=True, max_length=50_000)
    conclusion = models.TextField(_("conclusion"), blank=True, max_length=5000)
    table = models.JSONField(_("table"), default=dict, blank=True)  # {"headers": [...], "rows": [[...], ...]}
    issuer = models.CharField(_("issued by (signature)"), max_length=100)
    year = models.PositiveIntegerField(_("year of the number"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("issue number"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    decision = models.ForeignKey(
        "oversight.Decision",
        verbose_name=_("review decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="circulars",
    )
    units: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "org.Unit", verbose_name=_("units concerned"), through="CircularUnit", related_name="circulars"
    )
    persons: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "org.Person", verbose_name=_("persons named"), through="CircularPerson", related_name="circulars"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    objects: ClassVar[Any] = CircularQuerySet.as_manager()

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "seq"], condition=Q(status="issued"), name="circular_one_number_per_year"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(year__isnull=False, seq__isnull=False, issued_at__isnull=False, issued_on__isnull=False)
                & ~Q(content_hash=""),
                name="circular_issued_has_number_and_hash",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="circular_period"),
            models.CheckConstraint(condition=~Q(title=""), name="circular_has_title"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def number(self) -> str:
        """The number as circulars write it: 〔2031〕第3期 (empty for a draft)."""
        return f"〔{self.year}〕第{self.seq}期" if self.year and self.seq else ""

    @property
    def is_issued(self) -> bool:
        return self.status == CircularStatus.ISSUED

    @property
    def is_critical(self) -> bool:
        return self.kind in CRITICAL_KINDS

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("oversight:circular_detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and type(self).objects.filter(pk=self.pk, status=CircularStatus.ISSUED).exists():
            raise CircularImmutable(str(_("An issued circular cannot be changed.")))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if type(self).objects.filter(pk=self.pk, status=CircularStatus.ISSUED).exists():
            raise CircularImmutable(str(_("An issued circular cannot be removed.")))
        return super().delete(*args, **kwargs)


class _LinkQuerySet(models.QuerySet[Any]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        circulars = {obj.circular_id for obj in objs}
        if Circular.objects.filter(pk__in=circulars, status=CircularStatus.ISSUED).exists():
            raise CircularImmutable(str(_("An issued circular cannot be changed.")))
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        _refuse_issued(self, Q(circular__status=CircularStatus.ISSUED), str(_("An issued circular cannot be changed.")))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse_issued(self, Q(circular__status=CircularStatus.ISSUED), str(_("An issued circular cannot be changed.")))
        return super().delete()


class _Link(models.Model):
    """A unit or person of a circular; frozen with it once it is issued."""

    objects: ClassVar[Any] = _LinkQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._frozen():
            raise CircularImmutable(str(_("An issued circular cannot be changed.")))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._frozen():
            raise CircularImmutable(str(_("An issued circular cannot be changed.")))
        return super().delete(*args, **kwargs)

    def _frozen(self) -> bool:
        circular_id = self.circular_id  # type: ignore[attr-defined]
        return Circular.objects.filter(pk=circular_id, status=CircularStatus.ISSUED).exists()


class CircularUnit(_Link):
    """A unit the circular concerns: told when it is issued; named in it (a deduction if the circular criticises)."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("unit concerned")
        verbose_name_plural = _("units concerned")
        constraints = [models.UniqueConstraint(fields=["circular", "unit"], name="circular_unit_once")]

    def __str__(self) -> str:
        return f"{self.circular_id} {self.unit_id}"


class CircularPerson(_Link):
    """A person the circular names."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("person named")
        verbose_name_plural = _("persons named")
        constraints = [models.UniqueConstraint(fields=["circular", "person"], name="circular_person_once")]

    def __str__(self) -> str:
        return f"{self.circular_id} {self.person_id}"
