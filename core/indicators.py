"""The extension point `"assessment.indicators"`: what an assessment can score, each figure computed from the records.

Each app declares the indicators of its own records in its plugin's extensions (matters its rates, fieldwork its
duties and visits, each line its own; the assessment in oversight only collects them)::

    extensions={"assessment.indicators": [
        {"key": "clues.measures", "label": _("Accountability measures"), "subjects": ("unit", "person"),
         "kind": "deduction", "compute": "oversight.selectors.clues:measures_indicator"},
    ]}

- `key`: unique across the house, `<area>.<what>`; a scheme's items refer to it, so a new indicator needs no code
  change in the assessment;
- `label`: translatable; `subjects`: which of "unit" and "person" it can score;
- `kind`: "rate" (a share 0..1 of a denominator), "count" (a number of things done, scored against the item's
  target) or "deduction" (occurrences that take points off);
- `compute`: dotted "module:function" called as ``compute(subject=..., start=..., end=..., ids=...)`` with the
  subject kind, the period's first and last day and the ids of the units or people to score (None: all); it returns
  ``{id: Figure}`` for those with anything to count (a missing id has nothing: no data, not zero).

A `Figure` carries the records it came from, so a score can be followed down to the matters, visits or cases
behind it: for a rate, every record of the denominator, `hit` marking those of the numerator; for a count or a
deduction, every occurrence. That is also how a sustained appeal (容错纠错) takes a record out of the figures: the
assessment drops the record and recomputes the figure from the rest, without asking the app again. Records the rules forbid as indicators (check-ins, online time, points, likes, endorsements, votes,
shares, the number of photos) are never counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

from core.plugins import extensions

POINT = "assessment.indicators"
SUBJECTS = ("unit", "person")
KINDS = ("rate", "count", "deduction")


@dataclass(frozen=True)
class RecordRef:
    """One record behind a figure: its model label ("matters.matter"), key, a short title, the page that shows it
    and, for a rate, whether it counts in the numerator."""

    model: str
    pk: int
    title: str
    url: str = ""
    hit: bool = True


@dataclass(frozen=True)
class Figure:
    """An indicator's figure for one unit or person: `value` is the rate (0..1), the count or the occurrences."""

    value: float
    numerator: int | None = None
    denominator: int | None = None
    records: tuple[RecordRef, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Any
    subjects: tuple[str, ...]
    kind: str
    compute: Callable[..., dict[int, Figure]]


def registered() -> dict[str, Indicator]:
    """Every declared indicator by key; a malformed declaration stops the caller loudly."""
    found: dict[str, Indicator] = {}
    for entry in extensions(POINT):
        key = entry["key"]
        if key in found:
            raise ValueError(f"{POINT}: the indicator {key!r} is declared twice.")
        if entry["kind"] not in KINDS or not set(entry["subjects"]) <= set(SUBJECTS):
            raise ValueError(f"{POINT}: the indicator {key!r} has an unknown kind or subject.")
        found[key] = Indicator(
            key=key,
            label=entry["label"],
            subjects=tuple(entry["subjects"]),
            kind=entry["kind"],
            compute=import_string(str(entry["compute"]).replace(":", ".")),
        )
    return found


def compute(key: str, *, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Figure]:
    """One indicator's figures for a period."""
    return registered()[key].compute(subject=subject, start=start, end=end, ids=ids)
