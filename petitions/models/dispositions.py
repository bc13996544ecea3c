"""三到位一处理: the four terms in which a case is disposed of, and how it was closed (息诉罢访 / 终结)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from petitions.models.cases import PetitionCase


class Term(models.TextChoices):
    SOLVED = "solved", _("Reasonable demand: problem solved (诉求合理的解决问题到位)")
    EDUCATED = "educated", _("Unreasonable demand: thinking guided (诉求无理的思想教育到位)")
    RELIEVED = "relieved", _("Hardship: help and relief given (生活困难的帮扶救助到位)")
    LAWFUL = "lawful", _("Unlawful conduct: handled by law (行为违法的依法处理)")


class Disposition(CleanTextModel):
    """One term of a case's disposition: what was done, when, by whom; its evidence are the case's documents."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="dispositions")
    term = models.CharField(_("term"), max_length=10, choices=Term.choices)
    done = models.TextField(_("what was done"), max_length=4000)
    done_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["done_on", "id"]
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")

    def __str__(self) -> str:
        return f"{self.case} · {self.get_term_display()}"


class CloseWay(models.TextChoices):
    ACCEPTED = "accepted", _("Petitioner accepts (息诉罢访)")
    TERMINATED = "terminated", _("Terminated by the regulation (终结)")


class Closing(CleanTextModel):
    """How a case was closed; a new petition on a closed case reopens it and keeps this row as history."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="closings")
    way = models.CharField(_("way"), max_length=12, choices=CloseWay.choices)
    basis = models.TextField(_("basis"), max_length=4000)
    closed_on = models.DateField(_("closed on"))
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["closed_on", "id"]
        verbose_name = _("closing")
        verbose_name_plural = _("closings")

    def __str__(self) -> str:
        return f"{self.case} · {self.get_way_display()}"
