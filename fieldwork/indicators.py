"""Field work's indicators for the assessment (`"assessment.indicators"`, core.indicators): weekly duties met, field
days and household visits, per person and per unit (over the unit's people), each with its records.

- duties met: the ended weeks whose Sunday falls in the period, met ÷ weeks, by `fieldwork.duties.duty_grid` (the
  duty grid's own computation); a week with no rule for the person is not counted; a record is the person's week;
- field days: the distinct days with a field visit (`FIELD_KINDS`), a record a day (its first visit);
- household visits: the household visits of the period, a record a visit.
Nothing here counts hours online, check-ins or photos (the 2024 rules forbid them as indicators).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.indicators import Figure, RecordRef
from fieldwork.duties import duty_grid, rows_met, week_ended, week_label, week_tuple, weeks_between
from fieldwork.models import FIELD_KINDS, Visit, VisitKind
from org.models import Person

VISIT = "fieldwork.visit"


def _people(subject: str, ids: list[int] | None) -> list[Person]:
    qs = Person.objects.order_by("pk")
    if ids is not None:
        qs = qs.filter(**({"pk__in": ids} if subject == "person" else {"unit_id__in": ids}))
    return list(qs)


def _key(subject: str, person: Person) -> int:
    return person.pk if subject == "person" else person.unit_id


def _weeks(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """The ended weeks whose Sunday is in [start, end]."""
    weeks = weeks_between(week_tuple(start), week_tuple(end))
    return [w for w in weeks if start <= dt.date.fromisocalendar(*w, 7) <= end and week_ended(*w)]


def duties_met(*, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Figure]:
    people = _people(subject, ids)
    weeks = _weeks(start, end)
    grid = duty_grid(people, weeks)
    records: dict[int, list[RecordRef]] = defaultdict(list)
    for person in people:
        for week in weeks:
            rows = grid.get((person.pk, week)) or []
            if not rows:
                continue
            label = week_label(*week)
            url = reverse("fieldwork:week_grid") + f"?week={label}"
            title = f"{person.display_name} {label}"
            records[_key(subject, person)].append(RecordRef("org.person", person.pk, title, url, rows_met(rows)))
    return {
        key: Figure(sum(r.hit for r in refs) / len(refs), sum(r.hit for r in refs), len(refs), tuple(refs))
        for key, refs in records.items()
    }


def _visits(subject: str, start: dt.date, end: dt.date, ids: list[int] | None, **filters: Any) -> Any:
    qs = Visit.objects.filter(date__gte=start, date__lte=end, **filters).select_related("person")
    if ids is not None:
        qs = qs.filter(**({"person_id__in": ids} if subject == "person" else {"person__unit_id__in": ids}))
    return qs.order_by("person_id", "date", "pk")


def _visit_ref(visit: Visit) -> RecordRef:
    title = f"{visit.person.display_name} {visit.date:%Y-%m-%d} {visit.get_kind_display()}"
    return RecordRef(VISIT, visit.pk, title, reverse("fieldwork:visit_detail", args=[visit.pk]))


def _count(records: dict[int, list[RecordRef]]) -> dict[int, Figure]:
    return {key: Figure(float(len(refs)), records=tuple(refs)) for key, refs in records.items() if refs}


def field_days(*, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Figure]:
    records: dict[int, list[RecordRef]] = defaultdict(list)
    seen: set[tuple[int, dt.date]] = set()
    for visit in _visits(subject, start, end, ids, kind__in=FIELD_KINDS):
        if (visit.person_id, visit.date) in seen:
            continue
        seen.add((visit.person_id, visit.date))
        records[_key(subject, visit.person)].append(_visit_ref(visit))
    return _count(records)


def household_visits(*, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Figure]:
    records: dict[int, list[RecordRef]] = defaultdict(list)
    for visit in _visits(subject, start, end, ids, kind=VisitKind.HOUSEHOLD):
        records[_key(subject, visit.person)].append(_visit_ref(visit))
    return _count(records)


_PATH = "fieldwork.indicators:"
BOTH = ("unit", "person")
INDICATORS = [
    {"key": "fieldwork.duties_met", "label": _("Weekly duties met"), "subjects": BOTH, "kind": "rate",
     "compute": _PATH + "duties_met"},
    {"key": "fieldwork.field_days", "label": _("Field days"), "subjects": BOTH, "kind": "count",
     "compute": _PATH + "field_days"},
    {"key": "fieldwork.household_visits", "label": _("Household visits"), "subjects": BOTH, "kind": "count",
     "compute": _PATH + "household_visits"},
]  # fmt: skip
