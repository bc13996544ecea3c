"""包保 in practice: the 五个一 of a case (one leader, team, plan, minutes, set of stability measures) and its home
visits, each a field-work visit of kind `petitioner` linked here (fieldwork knows nothing of petitions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from org.models import Person
from petitions.models.cases import PetitionCase


class FiveOnes(CleanTextModel):
    """The 五个一 of 领导包案, recorded on the case."""

    case = models.OneToOneField(PetitionCase, on_delete=models.CASCADE, related_name="five_ones")
    leader = models.ForeignKey(
        Person, verbose_name=_("the one owning leader"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.TextField(_("working team"), max_length=2000)
    plan = models.TextField(_("plan"), max_length=4000)
    minutes = models.TextField(_("meeting minutes"), max_length=4000, blank=True)
    measures = models.TextField(_("stability measures"), max_length=4000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("five ones (五个一)")
        verbose_name_plural = _("five ones (五个一)")

    def __str__(self) -> str:
        return f"{self.case} · 五个一"


class HomeVisit(models.Model):
    """A field-work visit that was a home visit to the case's petitioner."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="home_visits")
    visit = models.OneToOneField("fieldwork.Visit", on_delete=models.CASCADE, related_name="petition_home_visit")

    class Meta:
        ordering = ["-visit__date", "-id"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")

    def __str__(self) -> str:
        return f"{self.case} · {self.visit_id}"
