"""Dispute screening (矛盾纠纷排查): entries raised on visits or by a community, their parties (private), their
warning colour with its history, and the screening rounds per community, where finding nothing is a record too."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from matters.models import Matter
from org.models import Person, Unit
from petitions.models.cases import FocusArea, PetitionCase, Risk


class Colour(models.TextChoices):
    RED = "red", _("Red: complex, crosses departments (one case, one plan)")
    ORANGE = "orange", _("Orange: may escalate")
    YELLOW = "yellow", _("Yellow: ordinary")
    BLUE = "blue", _("Blue: latent")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved on the spot (调解成功)")
    MATTER = "matter", _("Escalated to a matter")
    PETITION = "petition", _("Escalated to a petition case")


class Dispute(CleanTextModel):
    community = models.ForeignKey(Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="disputes")
    kind = models.ForeignKey(FocusArea, verbose_name=_("type"), on_delete=models.PROTECT, related_name="disputes")
    summary = models.TextField(_("what the dispute is (private)"), max_length=4000)
    place = models.CharField(_("place"), max_length=200)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    colour = models.CharField(_("warning colour"), max_length=10, choices=Colour.choices, default=Colour.YELLOW)
    measures = models.TextField(_("stabilisation measures taken"), max_length=4000, blank=True)
    responsible = models.ForeignKey(
        Person, verbose_name=_("person responsible"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    raised_on = models.DateField(_("raised on"))
    followed_up_on = models.DateField(_("last followed up on"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    visit = models.ForeignKey(
        "fieldwork.Visit", verbose_name=_("visit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey(PetitionCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="disputes")

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        return _("Dispute %(n)s") % {"n": self.pk}


class DisputeParty(CleanTextModel):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    id_number = models.CharField(_("ID number"), max_length=30, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return _("Party %(n)s") % {"n": self.pk}


class ColourChange(models.Model):
    """One change of a dispute's warning colour: the history the early-warning work reads."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="colour_changes")
    old = models.CharField(_("from"), max_length=10, blank=True)
    new = models.CharField(_("to"), max_length=10, choices=Colour.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class SensitivePeriod(CleanTextModel):
    """A sensitive period (holidays, big meetings): screening rounds are weekly then instead of half-monthly."""

    label = models.CharField(_("label"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("sensitive period")
        verbose_name_plural = _("sensitive periods")

    def __str__(self) -> str:
        return self.label


class ScreeningRound(CleanTextModel):
    """One screening round of one community for one period; `zero_report`: nothing was found (零报告)."""

    community = models.ForeignKey(Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    zero_report = models.BooleanField(_("nothing found (零报告)"), default=False)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "community_id"]
        verbose_name = _("screening round")
        verbose_name_plural = _("screening rounds")
        constraints = [
            models.UniqueConstraint(fields=["community", "period_start"], name="screening_round_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.period_start}"
