"""Reads of the organisation that are more than a `.get`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from org.models import ContactPoint, Person, TeamMembership, Unit, UnitKind


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    people: int


def unit_tree(*, kind: str = "", q: str = "") -> list[UnitNode]:
    """Return units depth-first under their parents; filtering keeps matching units flat."""
    units = list(Unit.objects.annotate(people_count=Count("people")).order_by("order", "name"))
    if kind or q:
        return [
            UnitNode(u, 0, u.people_count)  # type: ignore[attr-defined]
            for u in units
            if (not kind or u.kind == kind) and (not q or q in u.name or q in u.short_name)
        ]
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    out: list[UnitNode] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            out.append(UnitNode(unit, depth, unit.people_count))  # type: ignore[attr-defined]
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return out


def people_list(*, q: str = "", unit_id: int | None = None, category: str = "") -> QuerySet[Person]:
    qs = Person.objects.select_related("unit", "user")
    if "\x00" in q:
        return qs.none()  # no name holds a NUL, and PostgreSQL cannot even compare text with one
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(title__contains=q))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if category:
        qs = qs.filter(category=category)
    return qs


def root_unit() -> Unit | None:
    """The top party committee: the organisation this deployment serves."""
    return Unit.objects.filter(parent__isnull=True, kind=UnitKind.PARTY_COMMITTEE).order_by("order", "id").first()


def teams_with_members() -> list[tuple[Unit, list[TeamMembership]]]:
    """The leading group and its work teams, each with its members in order."""
    teams = list(Unit.objects.filter(kind=UnitKind.WORK_TEAM).select_related("parent").order_by("order", "id"))
    members: dict[int, list[TeamMembership]] = {team.pk: [] for team in teams}
    for m in TeamMembership.objects.filter(team__in=teams).select_related("person", "person__unit"):
        members[m.team_id].append(m)
    return [(team, members[team.pk]) for team in teams]


def contact_points_list(*, leader_id: int | None = None) -> QuerySet[ContactPoint]:
    qs = ContactPoint.objects.select_related("leader", "unit")
    if leader_id:
        qs = qs.filter(leader_id=leader_id)
    return qs
