"""A petition backlog case (信访积案): the detail of a matter of kind `petition`, with its petitioners apart.

The petitioners' names, phones, ID numbers and addresses live in `Petitioner`, never on the case or the matter:
only the owning leaders, the handlers of the case's handling units and the coordination and supervision teams see
them (petitions.access), each time audited. The case's summary is private too; `public_summary` is the redacted,
anonymous text shown outside only when the case is `publishable`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from matters.models import Matter
from org.models import Person, Unit


class FocusArea(CleanTextModel):
    """A focus of the campaign (农民工欠薪, 小区物业 …): a configurable list, shared with dispute screening."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Some entries are only dispute types (邻里纠纷, 家庭纠纷 …), not petition focuses.
    disputes_only = models.BooleanField(_("disputes only"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    PARK = "park", _("Park (园区)")
    DISTRICT = "district", _("District (区)")
    CITY = "city", _("City (市)")
    PROVINCE = "province", _("Province (省)")
    NATION = "nation", _("National (国家)")


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter (来信)")
    VISIT = "visit", _("In person (来访)")
    ONLINE = "online", _("Online (网上)")
    PHONE = "phone", _("Telephone (电话)")


class Risk(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class RefusalGround(models.TextChoices):
    """The grounds of a 不予受理告知书 (信访工作条例 第三十条)."""

    PROCEEDINGS = "proceedings", _("Already in litigation, arbitration or administrative review")
    MEDIATED = "mediated", _("A mediation agreement is in force")
    REVIEW_MISSED = "review_missed", _("The review deadline was missed")
    REEXAMINED = "reexamined", _("The re-examination is concluded")


class PetitionCase(CleanTextModel):
    """The case data of one petition matter; `owners` (包保领导) are one or more leaders, never none."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="petition_case")
    summary = models.TextField(_("summary (private)"), max_length=4000)
    publishable = models.BooleanField(_("publishable"), default=False)
    public_summary = models.TextField(_("public summary"), blank=True, editable=False)
    focus = models.ForeignKey(FocusArea, verbose_name=_("focus area"), on_delete=models.PROTECT, related_name="cases")
    first_petition_on = models.DateField(_("first petitioned on"))
    petition_count = models.PositiveIntegerField(_("times petitioned"), default=1, validators=[MinValueValidator(1)])
    level = models.CharField(_("level reached"), max_length=10, choices=Level.choices, default=Level.PARK)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.VISIT)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    owners = models.ManyToManyField(Person, verbose_name=_("owning leaders"), related_name="owned_petition_cases")
    handling_units = models.ManyToManyField(
        Unit, verbose_name=_("handling units"), related_name="petition_cases", blank=True
    )
    visit_every_days = models.PositiveIntegerField(
        _("home visit every (days)"), default=30, validators=[MinValueValidator(1)]
    )
    received_on = models.DateField(_("received on"))
    refusal_ground = models.CharField(
        _("ground of refusal"), max_length=16, choices=RefusalGround.choices, blank=True, editable=False
    )
    reexamined_on = models.DateField(_("re-examination concluded on"), null=True, blank=True, editable=False)
    # The home-visit plan runs from this day (the case's registration): a visit every `visit_every_days`.
    visits_from = models.DateField(_("home visits planned from"), default=timezone.localdate, editable=False)
    # The due date of the home visit last chased, so that one overdue visit is chased once.
    visit_chased_for = models.DateField(null=True, blank=True, editable=False)
    reopened = models.PositiveIntegerField(_("times reopened"), default=0, editable=False)
    # A key of the demo or an import, so that loading twice finds the case again.
    ref = models.CharField(_("reference"), max_length=80, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("petition case")
        verbose_name_plural = _("petition cases")
        constraints = [
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="petition_case_ref_unique"),
            models.CheckConstraint(condition=Q(petition_count__gte=1), name="petition_case_count_positive"),
        ]

    def __str__(self) -> str:
        # The case number only: a case is never named by its petitioner.
        return self.case_number

    @property
    def case_number(self) -> str:
        return f"XF-{self.matter.code}"


class Petitioner(CleanTextModel):
    """One petitioner of a case: personal data, shown only to those petitions.access allows, each time audited."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="petitioners")
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    id_number = models.CharField(_("ID number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")

    def __str__(self) -> str:
        return _("Petitioner %(n)s") % {"n": self.pk}


class DocumentKind(models.TextChoices):
    OPINION = "opinion", _("Handling opinion (处理意见书)")
    NOTICE = "notice", _("Notice to the petitioner (告知书)")
    REVIEW = "review", _("Review opinion (复查意见书)")
    REEXAMINATION = "reexam", _("Re-examination opinion (复核意见书)")
    ACCEPTANCE = "acceptance", _("Signed acceptance (息诉罢访承诺书)")
    OTHER = "other", _("Other document")


class CaseDocument(CleanTextModel):
    """A file of the case (a handling opinion, a notice …), checked by core.uploads; private like the case."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    # Evidence of one disposition term (petitions.models.dispositions), when it is that.
    disposition = models.ForeignKey(
        "petitions.Disposition", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="petitions/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"
