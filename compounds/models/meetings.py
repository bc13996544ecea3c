"""Tripartite linkage meetings (三方联动), their decisions (which may become matters) and owners' votes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel

# The four headings of the linkage (组织联建、要事联商、矛盾联处、服务联评): field name, label.
HEADINGS = (
    ("topics_organisation", _("Building the organisation together (组织联建)")),
    ("topics_affairs", _("Consulting on important affairs together (要事联商)")),
    ("topics_disputes", _("Handling disputes together (矛盾联处)")),
    ("topics_services", _("Assessing services together (服务联评)")),
)
# The three sides: field name, label.
SIDES = (
    ("party_attendees", _("Community party organisation")),
    ("committee_attendees", _("Owners' committee")),
    ("property_attendees", _("Property company")),
)


class LinkageMeeting(CleanTextModel):
    compound = models.ForeignKey(
        "compounds.CompoundProfile", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    # Who came from each side, one name a line: private (names of residents and company staff).
    party_attendees = models.TextField(_("community party organisation attendees"), blank=True)
    committee_attendees = models.TextField(_("owners' committee attendees"), blank=True)
    property_attendees = models.TextField(_("property company attendees"), blank=True)
    topics_organisation = models.TextField(HEADINGS[0][1], blank=True)
    topics_affairs = models.TextField(HEADINGS[1][1], blank=True)
    topics_disputes = models.TextField(HEADINGS[2][1], blank=True)
    topics_services = models.TextField(HEADINGS[3][1], blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("linkage meeting")
        verbose_name_plural = _("linkage meetings")

    def __str__(self) -> str:
        return f"{self.compound} · {self.held_on:%Y-%m-%d}"

    def attendees(self, side: str) -> list[str]:
        return [line.strip() for line in getattr(self, side).splitlines() if line.strip()]

    @property
    def missing_sides(self) -> list[str]:
        """The labels of the sides nobody came from: such a meeting is flagged."""
        return [str(label) for field, label in SIDES if not self.attendees(field)]

    @property
    def all_sides(self) -> bool:
        return not self.missing_sides


class VoteSubject(models.TextChoices):
    """What the owners decide (Civil Code art. 278, items 1–9); items 6–8 need three-quarters."""

    RULES = "rules", _("Rules of the owners' assembly or the compound (items 1–2)")
    COMMITTEE = "committee", _("Electing or changing the owners' committee (item 3)")
    PROPERTY_COMPANY = "property_company", _("Choosing or dismissing the property company (item 4)")
    USE_REPAIR_FUND = "use_repair_fund", _("Using the repair fund (item 5)")
    RAISE_REPAIR_FUND = "raise_repair_fund", _("Raising the repair fund (item 6)")
    REBUILD = "rebuild", _("Rebuilding or reconstructing buildings and facilities (item 7)")
    COMMON_PARTS = "common_parts", _("Changing the use of common parts or renting them out (item 8)")
    OTHER = "other", _("Other major matters of common ownership (item 9)")


class Decision(CleanTextModel):
    """A decision of a meeting; it may become a matter (kind livelihood, channel meeting) and need the owners' vote."""

    meeting = models.ForeignKey(LinkageMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    matter = models.OneToOneField(
        "matters.Matter",
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linkage_decision",
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:60]


class OwnersVote(models.Model):
    """The owners' vote on a decision, by exclusive floor area and by headcount (private to the compound's staff).

    The bases (total area, total owners) are copied from the compound's profile when the vote is recorded; the
    outcome is computed by compounds.votes and a vote recorded as passed that the law does not pass is refused.
    """

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="vote")
    subject = models.CharField(_("subject"), max_length=20, choices=VoteSubject.choices)
    held_on = models.DateField(_("held on"))
    total_area = models.DecimalField(_("total exclusive area (m²)"), max_digits=12, decimal_places=2)
    total_owners = models.PositiveIntegerField(_("total owners"))
    voting_area = models.DecimalField(_("area of the owners who voted (m²)"), max_digits=12, decimal_places=2)
    voting_owners = models.PositiveIntegerField(_("owners who voted"))
    agreeing_area = models.DecimalField(_("area of the owners who agreed (m²)"), max_digits=12, decimal_places=2)
    agreeing_owners = models.PositiveIntegerField(_("owners who agreed"))
    passed = models.BooleanField(_("passed"))

    class Meta:
        verbose_name = _("owners' vote")
        verbose_name_plural = _("owners' votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_area__lte=models.F("total_area"))
                & Q(voting_owners__lte=models.F("total_owners"))
                & Q(agreeing_area__lte=models.F("voting_area"))
                & Q(agreeing_owners__lte=models.F("voting_owners")),
                name="owners_vote_parts_within_wholes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.get_subject_display()}"
