"""Reads of the organisation that are more than a `.get`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.tables.cells import name_key
from org.models import ContactPoint, Person, PersonCategory, TeamMembership, Unit, UnitKind


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


def unit_subtree_ids(root: Unit) -> set[int]:
    """The ids of a unit and of every unit below it."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    out, todo = set(), [root.pk]
    while todo:
        pk = todo.pop()
        if pk not in out:
            out.add(pk)
            todo.extend(children.get(pk, []))
    return out


class UnitsByName:
    """Units by the name or short name a table cell writes (folded, spaces ignored): the lookups of importers."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self._units: dict[str, list[Unit]] = {}
        for unit in units:
            for name in {unit.name, unit.short_name} - {""}:
                self._units.setdefault(name_key(name), []).append(unit)

    def named(self, name: str) -> list[Unit]:
        return self._units.get(name_key(name), [])


class PeopleByName:
    """People by the name a table cell writes; of namesakes, the one leader is meant."""

    def __init__(self, people: Iterable[Person]) -> None:
        self._people: dict[str, list[Person]] = {}
        for person in people:
            self._people.setdefault(name_key(person.name), []).append(person)

    def find(self, name: str) -> Person | str | None:
        """The person, None when nobody has the name, or a message when it names several people."""
        found = self._people.get(name_key(name), [])
        if len(found) > 1:
            leaders = [p for p in found if p.category == PersonCategory.LEADER]
            if len(leaders) == 1:
                return leaders[0]
            return _("Several people are named “%(name)s”; rename one of them first.") % {"name": name}
        return found[0] if found else None
