from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import CleanTextModel
from core.validators import phone_validator


class UnitKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    DEPARTMENT = "department", _("Department")
    COMMUNITY = "community", _("Community")
    ENTERPRISE = "enterprise", _("Enterprise")
    WORK_TEAM = "work_team", _("Work team")
    COMPOUND = "compound", _("Compound")


class Unit(CleanTextModel):
    """A party committee, department, community, enterprise, work team or compound, in one tree."""

    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    duties = models.TextField(_("duties"), blank=True, help_text=_("For work teams: their main duties."))
    order = models.PositiveIntegerField(_("order"), default=0)
    ref = models.CharField(
        _("external reference"), max_length=80, blank=True, help_text=_("Stable key from an import or the seed.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_under_parent"),
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="unit_ref_unique"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
            models.CheckConstraint(condition=~Q(name=""), name="unit_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class PersonCategory(models.TextChoices):
    """Which weekly duty rules apply to a person (DESIGN.md, "Weekly duties")."""

    LEADER = "leader", _("Leader")
    CADRE = "cadre", _("Cadre")
    OTHER = "other", _("Other")


class Person(CleanTextModel):
    """A named person of the organisation; the phone is private, the login optional."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=60, blank=True)
    name_incomplete = models.BooleanField(
        _("name incomplete"), default=False, help_text=_("The source lost characters of this name; do not guess them.")
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    category = models.CharField(
        _("duty category"), max_length=10, choices=PersonCategory.choices, default=PersonCategory.CADRE
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    ref = models.CharField(_("external reference"), max_length=80, blank=True)

    class Meta:
        ordering = ["unit__order", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="person_ref_unique"),
            models.CheckConstraint(condition=~Q(name="") | Q(name_incomplete=True), name="person_named_or_incomplete"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if not self.name:
            return str(_("(name missing)"))
        if self.name_incomplete:
            suffix = _("(incomplete)")
            return f"{self.name}{suffix}"
        return self.name


class TeamPosition(models.TextChoices):
    HEAD = "head", _("Head")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member")


class TeamMembership(models.Model):
    """A person's place in the leading group or one of its work teams."""

    team = models.ForeignKey(Unit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    position = models.CharField(_("position"), max_length=10, choices=TeamPosition.choices, default=TeamPosition.MEMBER)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["team", "order", "id"]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="membership_once_per_team")]

    def __str__(self) -> str:
        return f"{self.team} · {self.person}"


class ContactPointKind(models.TextChoices):
    COMMUNITY = "community", _("Community")
    ENTERPRISE = "enterprise", _("Enterprise")
    PARTY_BUILDING = "party_building", _("Party-building point")


class ContactPoint(CleanTextModel):
    """联系点: a community, enterprise or party-building point a leader is assigned to."""

    leader = models.ForeignKey(
        Person, verbose_name=_("leader"), on_delete=models.CASCADE, related_name="contact_points"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContactPointKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="contact_points"
    )
    place = models.CharField(_("place"), max_length=120, blank=True, help_text=_("For a point that is not a unit."))
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        ordering = ["leader", "kind", "id"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.CheckConstraint(condition=Q(unit__isnull=False) | ~Q(place=""), name="contact_point_has_target"),
            models.UniqueConstraint(
                fields=["leader", "unit"], condition=Q(unit__isnull=False), name="contact_point_once_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.target_label}"

    @property
    def target_label(self) -> str:
        return self.unit.name if self.unit is not None else self.place
