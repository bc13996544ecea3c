"""Reads of field work: who sees which visits, contact points with their last visit, registrations by community."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from core.roles import Role, user_can, user_roles
from fieldwork.capabilities import FieldworkCap
from fieldwork.models import PlaceKind, Registration, Visit, VisitKind
from matters.selectors import parse_month
from org.capabilities import OrgCap
from org.models import ContactPoint, Person, UnitKind

User = AbstractBaseUser | AnonymousUser

STALE_AFTER_DAYS = 30


def person_of(user: User) -> Person | None:
    """The person behind an account, or None (an account of no person, or anonymous)."""
    if not user.is_authenticated:
        return None
    try:
        return user.person  # type: ignore[union-attr,attr-defined]
    except Person.DoesNotExist:
        return None


def visits_visible_to(user: User) -> QuerySet[Visit]:
    """Everyone's visits for the coordination, assessment and supervision teams; otherwise one's own."""
    qs = Visit.objects.select_related("person", "unit", "contact_point__unit")
    if user_can(user, FieldworkCap.VISITS_ALL):
        return qs
    if not user_can(user, FieldworkCap.VISIT_LOG):
        return qs.none()
    person = person_of(user)
    scope = Q(created_by=user.pk)
    if person is not None:
        scope |= Q(person=person)
    return qs.filter(scope)


def visit_get_for_user(user: User, pk: int) -> Visit:
    """The visit if this user may see it; "not found" alike whether it is missing or forbidden."""
    visit = visits_visible_to(user).filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


def is_visit_author(user: User, visit: Visit) -> bool:
    """The person who made the visit, or the account that entered it."""
    person = person_of(user)
    return (person is not None and person.pk == visit.person_id) or (
        user.is_authenticated and visit.created_by_id == user.pk
    )


def may_see_place_detail(user: User, visit: Visit) -> bool:
    """A household's description is personal data: its author and the teams that see every visit only."""
    return user_can(user, FieldworkCap.VISITS_ALL) or is_visit_author(user, visit)


def visit_is_private(visit: Visit) -> bool:
    """A visit to a household or a petitioner's home: its place, notes and photos are residents' personal data."""
    return visit.place_kind == PlaceKind.HOUSEHOLD or visit.kind in (VisitKind.HOUSEHOLD, VisitKind.PETITIONER)


def may_see_numbers(user: User, visit: Visit) -> bool:
    """Phone and ID numbers typed into a visit: its author and those allowed to see phones; masked for others."""
    return user_can(user, OrgCap.PHONE_VIEW) or is_visit_author(user, visit)


def visit_place_for(user: User, visit: Visit) -> str:
    """The place of a visit as this user may read it."""
    if visit.place_kind == PlaceKind.HOUSEHOLD and not may_see_place_detail(user, visit):
        return str(PlaceKind.HOUSEHOLD.label)
    return visit.place_label


def week_monday(raw: str) -> dt.date | None:
    """'2022-W28' → the Monday of that ISO week; anything else → None (a lenient filter, see duties.parse_week)."""
    from fieldwork.duties import parse_week, week_bounds

    try:
        return week_bounds(*parse_week((raw or "").strip()))[0]
    except ValueError:
        return None


@dataclass(frozen=True)
class VisitFilter:
    """The filters of the visit list; every field optional and parsed leniently from query parameters."""

    person: int | None = None
    unit: int | None = None
    kind: str = ""
    week: dt.date | None = None  # the Monday of an ISO week
    month: dt.date | None = None  # the first of a month

    @classmethod
    def from_params(cls, params: Any) -> VisitFilter:
        def _int(name: str) -> int | None:
            raw = (params.get(name) or "").strip()
            return int(raw) if raw.isdecimal() and len(raw) < 12 else None

        kind = params.get("kind") or ""
        return cls(
            person=_int("person"),
            unit=_int("unit"),
            kind=kind if kind in VisitKind.values else "",
            week=week_monday(params.get("week") or ""),
            month=parse_month(params.get("month") or ""),
        )

    @property
    def week_param(self) -> str:
        if self.week is None:
            return ""
        year, week, _day = self.week.isocalendar()
        return f"{year}-W{week:02d}"

    def apply(self, qs: QuerySet[Visit]) -> QuerySet[Visit]:
        if self.person is not None:
            qs = qs.filter(person_id=self.person)
        if self.unit is not None:
            qs = qs.filter(Q(unit_id=self.unit) | Q(contact_point__unit_id=self.unit))
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.week is not None:
            qs = qs.filter(date__gte=self.week, date__lte=self.week + dt.timedelta(days=6))
        if self.month is not None:
            nxt = dt.date(self.month.year + (self.month.month == 12), self.month.month % 12 + 1, 1)
            qs = qs.filter(date__gte=self.month, date__lt=nxt)
        return qs


def contact_points_for_choice(person: Person | None) -> QuerySet[ContactPoint]:
    """Every contact point, the person's own first (the visit form's select)."""
    qs = ContactPoint.objects.select_related("leader", "unit")
    if person is None:
        return qs.order_by("leader__name", "id")
    return qs.annotate(
        mine=Case(When(leader=person, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("mine", "leader__name", "id")


@dataclass(frozen=True)
class ContactPointRow:
    point: ContactPoint
    last_visit: dt.date | None
    days_since: int | None
    mine: bool

    @property
    def stale(self) -> bool:
        """Never visited, or not for more than 30 days."""
        return self.days_since is None or self.days_since > STALE_AFTER_DAYS


def contact_points_with_last_visit(user: User, *, today: dt.date | None = None) -> list[ContactPointRow]:
    """Contact points with the date each was last visited: a visit to the point, or by its leader to its unit.

    The teams that see every visit, and leaders, see all points (one's own first); anyone else only their own.
    """
    today = today or timezone.localdate()
    person = person_of(user)
    last = (
        Visit.objects.filter(
            Q(contact_point=OuterRef("pk")) | Q(person=OuterRef("leader"), unit=OuterRef("unit")), date__lte=today
        )
        .order_by("-date")
        .values("date")[:1]
    )
    qs = contact_points_for_choice(person).annotate(last_visit=Subquery(last))
    if not (user_can(user, FieldworkCap.VISITS_ALL) or Role.LEADER in user_roles(user)):
        qs = qs.filter(leader=person) if person is not None else qs.none()
    rows = []
    for point in qs:
        last_visit = point.last_visit  # type: ignore[attr-defined]
        rows.append(
            ContactPointRow(
                point=point,
                last_visit=last_visit,
                days_since=(today - last_visit).days if last_visit is not None else None,
                mine=person is not None and point.leader_id == person.pk,
            )
        )
    return rows


def registrations_visible_to(user: User, *, community: int | None = None) -> QuerySet[Registration]:
    """Who registered where, with each one's latest report: all for the teams that see every visit (filtered by
    community if asked), a community's own for its handlers, none for anyone else."""
    qs = Registration.objects.select_related("person", "person__unit", "community").annotate(
        last_report=Max("reports__period_end"), last_filed=Max("reports__filed_at")
    )
    if user_can(user, FieldworkCap.VISITS_ALL):
        return qs.filter(community_id=community) if community is not None else qs
    if user_can(user, FieldworkCap.REGISTRATIONS_VIEW):
        person = person_of(user)
        if person is not None and person.unit.kind == UnitKind.COMMUNITY:
            return qs.filter(community=person.unit)
    return qs.none()
