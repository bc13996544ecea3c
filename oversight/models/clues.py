"""The clues area's tables: a problem clue (问题线索), its investigation and the accountability measures (问责).

Clues are confidential: only the conduct supervision team reads them (oversight.capabilities.CLUES), each read
audited; the people a clue names never see it. A public clue's reporter follows it by its tracking code, which shows
only the status (and, once concluded, the category of the conclusion).

The life of a clue (oversight.services.clues, one writer over `TRANSITIONS`): registered → disposed in one of the
four ways of discipline practice (`ClueDisposal`) → concluded (`ClueConclusion`: founded, partly founded, unfounded, with the
findings). A founded or partly founded clue carries its accountability measures (`Measure`), each for one person or
one organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from core.validators import phone_validator

__all__ = ["Clue", "ClueConclusion", "ClueDisposal", "ClueSource", "ClueStatus", "Measure"]


class ClueSource(models.TextChoices):
    PUBLIC = "public", _("From the public")
    STAFF = "staff", _("From staff")
    SIGNAL = "signal", _("From a signal")


class ClueStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    DISPOSED = "disposed", _("Being handled")
    CONCLUDED = "concluded", _("Concluded")


class ClueDisposal(models.TextChoices):
    """The four ways of disposing of a clue (问题线索的四类处置方式)."""

    INQUIRY = "inquiry", _("Talk or written inquiry (谈话函询)")
    VERIFY = "verify", _("Preliminary verification (初步核实)")
    SHELVE = "shelve", _("Set aside pending investigation (暂存待查)")
    CLOSE = "close", _("Closed without action (予以了结)")


class ClueConclusion(models.TextChoices):
    FOUNDED = "founded", _("Founded")
    PARTLY = "partly", _("Partly founded")
    UNFOUNDED = "unfounded", _("Unfounded")


# The workflow: status → the statuses it may move to. Nothing else moves a clue.
TRANSITIONS: dict[str, frozenset[str]] = {
    ClueStatus.REGISTERED: frozenset({ClueStatus.DISPOSED}),
    ClueStatus.DISPOSED: frozenset({ClueStatus.CONCLUDED}),
    ClueStatus.CONCLUDED: frozenset(),
}
ACCOUNTABLE = frozenset({ClueConclusion.FOUNDED, ClueConclusion.PARTLY})


class Clue(CleanTextModel):
    code = models.CharField(_("number"), max_length=20, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True, null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=ClueSource.choices)
    status = models.CharField(_("status"), max_length=12, choices=ClueStatus.choices, default=ClueStatus.REGISTERED)
    text = models.TextField(_("what is reported"), max_length=5000)
    concerned = models.CharField(
        _("persons or units concerned"),
        max_length=500,
        blank=True,
        help_text=_("As the reporter named them; the supervision team links the people and units below."),
    )
    persons = models.ManyToManyField("org.Person", verbose_name=_("persons named"), blank=True, related_name="+")
    units = models.ManyToManyField("org.Unit", verbose_name=_("units named"), blank=True, related_name="+")
    # The reporter's details, for a reply: private, shown to the supervision team only and every showing audited.
    reporter_name = models.CharField(_("reporter's name"), max_length=60, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True, validators=[phone_validator])
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
    disposal = models.CharField(_("way of disposal"), max_length=8, choices=ClueDisposal.choices, blank=True)
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    replied_on = models.DateField(
        _("reply received on"), null=True, blank=True, help_text=_("谈话函询: the day the person's reply came in.")
    )
    due_on = models.DateField(_("to conclude by"), null=True, blank=True)
    chased_for = models.DateField(
        _("chased for the limit of"), null=True, blank=True, help_text=_("The limit already chased, so once only.")
    )
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=ClueConclusion.choices, blank=True)
    findings = models.TextField(_("findings"), max_length=10_000, blank=True)
    evidence = models.TextField(
        _("evidence"), max_length=5000, blank=True, help_text=_("What the findings rest on: records, statements.")
    )
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem clue")
        verbose_name_plural = _("problem clues")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="clue_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="registered") | (~Q(disposal="") & Q(disposed_on__isnull=False)),
                name="clue_disposed_has_way",
            ),
            models.CheckConstraint(
                condition=~Q(status="concluded")
                | (~Q(conclusion="") & ~Q(findings="") & Q(concluded_on__isnull=False)),
                name="clue_concluded_has_findings",
            ),
            models.CheckConstraint(
                condition=Q(status="concluded") | Q(conclusion=""), name="clue_conclusion_only_when_concluded"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def accountable(self) -> bool:
        """Whether measures may be taken: concluded founded or partly founded."""
        return self.status == ClueStatus.CONCLUDED and self.conclusion in ACCOUNTABLE


class Measure(CleanTextModel):
    """One accountability measure (问责措施) of a clue, for one person or one organisation."""

    clue = models.ForeignKey(Clue, verbose_name=_("clue"), on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("measure"), max_length=24, help_text=_("A key of settings.CLUE_MEASURES_*."))
    person = models.ForeignKey(
        "org.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"))
    decider = models.CharField(_("decided by"), max_length=100)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("recorded at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("accountability measure")
        verbose_name_plural = _("accountability measures")
        ordering = ["decided_on", "pk"]
        indexes = [models.Index(fields=["decided_on"], name="measure_decided_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True, unit__isnull=False) | Q(person__isnull=False, unit__isnull=True),
                name="measure_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clue.code} · {self.kind}"


class ClueFile(models.Model):
    """A file of evidence of a clue's conclusion, checked by core.uploads; as confidential as the clue."""

    clue = models.ForeignKey(Clue, verbose_name=_("clue"), on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("file"), upload_to="clues/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.clue.code} · {self.pk}"
