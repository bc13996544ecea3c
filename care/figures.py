"""Care's figures: households by category and community, pairings and the cadence kept, wishes by state and the
average days from publication to fulfilment, per community and per claiming unit. Counts only, never a person."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from care.models import Category, Household, Pairing, Wish, WishState
from care.selectors import pairings_behind
from org.models import Unit, UnitKind

STATES = [WishState.SUBMITTED, WishState.PUBLISHED, WishState.CLAIMED, WishState.DELIVERED, WishState.FULFILLED]


@dataclass
class Line:
    """One community's (or unit's) line of the figures."""

    name: str
    by_category: dict[str, int] = field(default_factory=dict)
    households: int = 0
    pairings: int = 0
    kept: int = 0
    wishes: dict[str, int] = field(default_factory=dict)
    days_to_fulfil: list[int] = field(default_factory=list)

    @property
    def kept_rate(self) -> int | None:
        return round(100 * self.kept / self.pairings) if self.pairings else None

    @property
    def average_days(self) -> float | None:
        return round(sum(self.days_to_fulfil) / len(self.days_to_fulfil), 1) if self.days_to_fulfil else None


def _days(wish: Wish) -> int | None:
    if wish.fulfilled_at is None or wish.published_at is None:
        return None
    return max(0, (wish.fulfilled_at - wish.published_at).days)


def by_community(today: dt.date) -> tuple[list[Category], list[Line]]:
    categories = list(Category.objects.all())
    lines = {u.pk: Line(u.name) for u in Unit.objects.filter(kind=UnitKind.COMMUNITY)}
    for community_id, code in Household.categories.through.objects.values_list(
        "household__community_id", "category__code"
    ):
        line = lines.get(community_id)
        if line is not None:
            line.by_category[code] = line.by_category.get(code, 0) + 1
    for community_id, count in Counter(Household.objects.values_list("community_id", flat=True)).items():
        if community_id in lines:
            lines[community_id].households = count
    behind = {p.pk for p in pairings_behind(today=today)}
    for pk, community_id in Pairing.objects.filter(ended_on__isnull=True).values_list("pk", "household__community_id"):
        if community_id in lines:
            lines[community_id].pairings += 1
            lines[community_id].kept += pk not in behind
    for wish in Wish.objects.only("state", "community_id", "published_at", "fulfilled_at"):
        line = lines.get(wish.community_id)
        if line is None:
            continue
        line.wishes[wish.state] = line.wishes.get(wish.state, 0) + 1
        if (days := _days(wish)) is not None:
            line.days_to_fulfil.append(days)
    return categories, [line for line in lines.values() if line.households or line.wishes]


def by_claiming_unit() -> list[Line]:
    """Wishes claimed and fulfilled per unit of the claimer (a unit or party branch claiming in its name counts
    under that name)."""
    lines: dict[str, Line] = defaultdict(lambda: Line(""))
    claimed = Wish.objects.filter(state__in=[WishState.CLAIMED, WishState.DELIVERED, WishState.FULFILLED])
    for wish in claimed.select_related("claimed_by__person__unit"):
        person = getattr(wish.claimed_by, "person", None) if wish.claimed_by_id else None
        name = (
            wish.claimer_name if wish.claimer_kind != "cadre" else (person.unit.name if person else wish.claimer_name)
        )
        line = lines[name]
        line.name = name
        line.wishes[wish.state] = line.wishes.get(wish.state, 0) + 1
        if (days := _days(wish)) is not None:
            line.days_to_fulfil.append(days)
    return sorted(lines.values(), key=lambda line: line.name)
