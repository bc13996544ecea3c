"""The matters' indicators for the assessment (`"assessment.indicators"`, core.indicators): the headline rates of
matters.figures, per responsible unit and per lead, each with the matters behind it.

The definitions are matters.figures' (docs/figures.md), evaluated matter by matter so that every figure lists its
records: over the matters reported in the period (`period_matters`), a unit's are those it is responsible for (a
matter for all communities counts once for each community, as in `rates_by_unit`), a person's those they lead.
A satisfaction rate over fewer than ``FIGURES_MIN_RATINGS`` ratings is no figure, as the figures page shows none.
The public's ratings are counted on the matter (rated_satisfied / rated_basically / rated_dissatisfied): one
record a rating, so that a sustained appeal against a bad rating takes exactly the matter's bad ratings out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.indicators import Figure, RecordRef
from matters.figures import period_matters
from matters.models import Matter, Satisfaction
from matters.workflow import FINISHED, Status
from org.models import Unit, UnitKind

MODEL = "matters.matter"
FIELDS = (
    "pk",
    "code",
    "status",
    "all_communities",
    "accepted_at",
    "declined_at",
    "respond_by",
    "deadline_last_day",
    "completed_on",
    "satisfaction",
    "rated_satisfied",
    "rated_basically",
    "rated_dissatisfied",
)
UNIT_KINDS = (UnitKind.DEPARTMENT, UnitKind.COMMUNITY, UnitKind.ENTERPRISE)
Row = dict[str, Any]


def _ref(row: Row, hit: bool, note: str = "") -> RecordRef:
    title = f"{row['code']} {note}".strip()
    return RecordRef(MODEL, row["pk"], title, reverse("matters:detail", args=[row["pk"]]), hit)


def _on_time(row: Row, now: dt.datetime) -> list[RecordRef]:
    if row["status"] in FINISHED and row["deadline_last_day"] is not None and row["completed_on"] is not None:
        return [_ref(row, row["completed_on"] <= row["deadline_last_day"])]
    return []


def _resolution(row: Row, now: dt.datetime) -> list[RecordRef]:
    if row["status"] in (Status.REPORTED, Status.DECLINED):
        return []
    return [_ref(row, row["status"] in FINISHED)]


def _response(row: Row, now: dt.datetime) -> list[RecordRef]:
    by = row["respond_by"]
    answered = by is not None and any(at is not None and at <= by for at in (row["accepted_at"], row["declined_at"]))
    if answered or (by is not None and by <= now):
        return [_ref(row, answered)]
    return []


def _public(row: Row, now: dt.datetime) -> list[RecordRef]:
    if row["status"] not in FINISHED:
        return []
    good, fair, bad = row["rated_satisfied"], row["rated_basically"], row["rated_dissatisfied"]
    return (
        [_ref(row, True, str(Satisfaction.SATISFIED.label))] * good
        + [_ref(row, True, str(Satisfaction.BASICALLY.label))] * fair
        + [_ref(row, False, str(Satisfaction.DISSATISFIED.label))] * bad
    )


def _callback(row: Row, now: dt.datetime) -> list[RecordRef]:
    if row["status"] not in FINISHED or not row["satisfaction"]:
        return []
    return [_ref(row, row["satisfaction"] in (Satisfaction.SATISFIED, Satisfaction.BASICALLY))]


def _subjects_of(subject: str, rows: list[Row], ids: list[int] | None) -> dict[int, list[Row]]:
    """Each unit's (or lead's) matters among `rows`."""
    by_pk = {row["pk"]: row for row in rows}
    out: dict[int, list[Row]] = defaultdict(list)
    wanted = set(ids) if ids is not None else None
    if subject == "person":
        leads = Matter.leads.through.objects.filter(matter_id__in=by_pk).values_list("person_id", "matter_id")
        for person_id, matter_id in leads.order_by("person_id", "matter_id"):
            if wanted is None or person_id in wanted:
                out[person_id].append(by_pk[matter_id])
        return out
    units = dict(Unit.objects.filter(kind__in=UNIT_KINDS).values_list("pk", "kind"))
    communities = [pk for pk, kind in units.items() if kind == UnitKind.COMMUNITY]
    seen: set[tuple[int, int]] = set()
    links = Matter.units.through.objects.filter(matter_id__in=by_pk).values_list("unit_id", "matter_id")
    pairs: Iterable[tuple[int, int]] = list(links.order_by("unit_id", "matter_id"))
    everywhere = [(unit, row["pk"]) for row in rows if row["all_communities"] for unit in communities]
    for unit_id, matter_id in [*pairs, *everywhere]:
        if unit_id not in units or (unit_id, matter_id) in seen or (wanted is not None and unit_id not in wanted):
            continue
        seen.add((unit_id, matter_id))
        out[unit_id].append(by_pk[matter_id])
    return out


def _indicator(rule: Callable[[Row, dt.datetime], list[RecordRef]], *, min_records: int = 1) -> Callable[..., Any]:
    def compute(*, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Figure]:
        now = timezone.now()
        rows = list(period_matters(start, end).order_by("pk").values(*FIELDS))
        figures: dict[int, Figure] = {}
        for key, matters in _subjects_of(subject, rows, ids).items():
            records = tuple(ref for row in matters for ref in rule(row, now))
            if len(records) < max(min_records, 1):
                continue
            hits = sum(ref.hit for ref in records)
            figures[key] = Figure(hits / len(records), hits, len(records), records)
        return figures

    return compute


on_time = _indicator(_on_time)
resolution = _indicator(_resolution)
response = _indicator(_response)


def public_satisfaction(**kwargs: Any) -> dict[int, Figure]:
    return _indicator(_public, min_records=settings.FIGURES_MIN_RATINGS)(**kwargs)


def callback_satisfaction(**kwargs: Any) -> dict[int, Figure]:
    return _indicator(_callback, min_records=settings.FIGURES_MIN_RATINGS)(**kwargs)


_PATH = "matters.indicators:"
BOTH = ("unit", "person")
INDICATORS = [
    {"key": "matters.on_time", "label": _("On-time completion rate"), "subjects": BOTH, "kind": "rate",
     "compute": _PATH + "on_time"},
    {"key": "matters.resolution", "label": _("Resolution rate"), "subjects": BOTH, "kind": "rate",
     "compute": _PATH + "resolution"},
    {"key": "matters.public_satisfaction", "label": _("Public satisfaction rate"), "subjects": BOTH, "kind": "rate",
     "compute": _PATH + "public_satisfaction"},
    {"key": "matters.callback_satisfaction", "label": _("Callback satisfaction rate"), "subjects": BOTH,
     "kind": "rate", "compute": _PATH + "callback_satisfaction"},
    {"key": "matters.response", "label": _("Response rate"), "subjects": BOTH, "kind": "rate",
     "compute": _PATH + "response"},
]  # fmt: skip
