"""A compound as it is: one-to-one with its org unit (kind compound); its owners' committee; policy talks held."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from core.validators import phone_validator

# The fields nobody outside the compound's staff sees (API, pages): contacts' names and phones.
PRIVATE_FIELDS = ("property_company_contact", "property_company_phone", "party_contact_name", "party_contact_phone")


class CompoundProfile(CleanTextModel):
    compound = models.OneToOneField(
        "org.Unit",
        verbose_name=_("compound"),
        on_delete=models.CASCADE,
        related_name="compound_profile",
        limit_choices_to={"kind": "compound"},
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    buildings = models.PositiveIntegerField(_("buildings"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    exclusive_area = models.DecimalField(
        _("exclusive floor area (m²)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_("The owners' exclusive parts in total (专有部分面积), the base of owners' votes."),
    )
    owners = models.PositiveIntegerField(_("owners"), default=0, help_text=_("The base headcount of owners' votes."))
    has_property_company = models.BooleanField(_("has a property company"), default=True)
    property_company = models.CharField(_("property company"), max_length=120, blank=True)
    property_company_contact = models.CharField(_("property company contact"), max_length=60, blank=True)
    property_company_phone = models.CharField(
        _("property company phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    party_contact_name = models.CharField(_("party organisation contact"), max_length=60, blank=True)
    party_contact_phone = models.CharField(
        _("party organisation contact phone"), max_length=20, blank=True, validators=[phone_validator]
    )

    class Meta:
        ordering = ["compound__parent__order", "compound__order", "compound__name"]
        verbose_name = _("compound profile")
        verbose_name_plural = _("compound profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(has_property_company=True) | Q(property_company=""),
                name="compound_no_company_no_company_name",
            )
        ]

    def __str__(self) -> str:
        return self.compound.name

    @property
    def community(self) -> object:
        return self.compound.parent


class CommitteeRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DEPUTY = "deputy", _("Deputy director")
    MEMBER = "member", _("Member")


class CommitteeMember(CleanTextModel):
    """A member of the owners' committee and their term; name and phone are private."""

    profile = models.ForeignKey(CompoundProfile, on_delete=models.CASCADE, related_name="committee")
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=10, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    term_starts = models.DateField(_("term starts"))
    term_ends = models.DateField(_("term ends"))

    class Meta:
        ordering = ["profile", "role", "id"]
        verbose_name = _("owners' committee member")
        verbose_name_plural = _("owners' committee members")
        constraints = [
            models.CheckConstraint(condition=Q(term_ends__gte=models.F("term_starts")), name="committee_term_in_order")
        ]

    def __str__(self) -> str:  # the audit log's label: never the member's name
        return f"{self.profile} · {self.get_role_display()}"


class TalkPlace(models.TextChoices):
    COMPOUND = "compound", _("Compound")
    BUILDING = "building", _("Building")
    WORKSHOP = "workshop", _("Workshop")
    ENTERPRISE = "enterprise", _("Enterprise")


class PolicyTalk(CleanTextModel):
    """What a policy talk (a visit of kind policy_talk) recorded beyond the visit: place, speaker, topic, audience."""

    visit = models.OneToOneField("fieldwork.Visit", on_delete=models.CASCADE, related_name="policy_talk")
    place = models.CharField(_("place"), max_length=10, choices=TalkPlace.choices)
    compound = models.ForeignKey(
        CompoundProfile,
        verbose_name=_("compound"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talks",
    )
    place_detail = models.CharField(_("building, workshop or enterprise"), max_length=120, blank=True)
    speaker = models.CharField(_("speaker"), max_length=60)
    topic = models.CharField(_("topic"), max_length=200)
    audience = models.PositiveIntegerField(_("audience"))

    class Meta:
        ordering = ["-visit__date", "id"]
        verbose_name = _("policy talk")
        verbose_name_plural = _("policy talks")

    def __str__(self) -> str:
        return self.topic
