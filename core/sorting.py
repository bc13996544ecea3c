"""Sorting a list by a column the viewer chose, with the order kept in the URL (`?sort=deadline`, `?sort=-deadline`).

Only whitelisted keys sort: each list names its keys and the fields they order by. Anything else in `sort`
(a field name, a typo, an injection attempt) is ignored and the list keeps its default order, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy

SORT_PARAM = "sort"


@dataclass(frozen=True)
class Sort:
    """The chosen order: a whitelisted key (or "" for the list's default) and its direction."""

    key: str = ""
    descending: bool = False

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending and self.key else self.key


def sort_from_params(params: Mapping[str, str] | object, allowed: Mapping[str, Sequence[str]]) -> Sort:
    raw = str(params.get(SORT_PARAM) or "").strip()[:40]  # type: ignore[union-attr]
    descending = raw.startswith("-")
    key = raw[1:] if descending else raw
    return Sort(key, descending) if key in allowed else Sort()


def order_fields(fields: Sequence[str], *, descending: bool) -> list[OrderBy]:
    """Each field in the chosen direction, empty values last either way (a missing deadline is not the most urgent)."""
    return [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in fields]


def sorted_by(qs: QuerySet, sort: Sort, allowed: Mapping[str, Sequence[str]]) -> QuerySet:  # type: ignore[type-arg]
    if not sort.key:
        return qs
    return qs.order_by(*order_fields(allowed[sort.key], descending=sort.descending), "pk")
