"""What the monthly pack (月度汇报材料) says, as plain JSON-ready data: `pack_data(month, campaign)`.

Every figure comes from where the rest of the application takes it: the rates from matters.figures, the three
lists from the lists' export (matters.exchange.exporter: its columns and its row builder), the duties from the
week grid's selectors (fieldwork.duties), each special line's part from oversight.sections, and the charts from
the dashboards' computation. The writer (oversight.pack) only lays this out; a stored pack could be written again.

The pack goes to the committee, not to the public: it names cadres (leads, the people short of a duty), never a
resident, and phone and ID numbers typed into a matter's text are masked as in the lists of a reader without the
right to see reporters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict
from itertools import islice
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.dates import add_months
from core.privacy import mask_numbers
from core.tables.cells import format_day
from fieldwork.duties import CATEGORY_ROLES, DutyState, duty_grid, rows_state, week_label, week_tuple, weeks_between
from matters.exchange import cells, exporter
from matters.figures import Rates, period_matters, rates
from matters.models import Matter, Transition
from matters.selectors import overdue_q
from matters.workflow import Action, Status
from org.models import Person, Unit
from oversight.charts import charts, headline
from oversight.sections import build_sections
from oversight.selectors.assessment import last_confirmed
from oversight.series import ChartSpec, Series

# A list longer than this is cut in the pack (its total is said): the whole list is the lists page's download.
LIST_ROWS_MAX = 300
TABLE_ROWS_MAX = 200  # the overdue, returned and duty tables


# --- the month -------------------------------------------------------------------------------------------------


def month_start(month: dt.date) -> dt.date:
    return month.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month_start(month), 1) - dt.timedelta(days=1)


def month_label(month: dt.date) -> str:
    """2026年11月 (in English: 2026-11)."""
    return _("%(year)d-%(month)02d") % {"year": month.year, "month": month.month}


def months_allowed(today: dt.date, first: dt.date | None = None, count: int = 24) -> list[dt.date]:
    """The months a pack may be made for, newest first: the current month (so far) and the ended ones."""
    current = month_start(today)
    months = [add_months(current, -n) for n in range(count)]
    return [m for m in months if first is None or m >= month_start(first)]


# --- the charts (the dashboards' computation) --------------------------------------------------------------------
# The dashboards' own charts and headline figures (oversight.charts): a figure in the pack is the dashboard's.


def chart_data(spec: ChartSpec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "title": spec.title,
        "kind": spec.kind,
        "labels": list(spec.labels),
        "series": [{"name": s.name, "values": list(s.values)} for s in spec.series],
        "unit": spec.unit,
    }


def chart_spec(data: dict[str, Any]) -> ChartSpec:
    """A chart of the pack's data as a ChartSpec again (to draw it)."""
    return ChartSpec(
        key=data["key"],
        title=data["title"],
        kind=data["kind"],
        labels=list(data["labels"]),
        series=[Series(s["name"], list(s["values"])) for s in data["series"]],
        unit=data.get("unit", ""),
    )


# --- the parts ---------------------------------------------------------------------------------------------------


def figures_of(r: Rates) -> dict[str, Any]:
    """The month's rates as matters.figures has them (with their counts), JSON-ready."""
    return asdict(r)


def _table(columns: list[str], rows: Iterable[list[str]], total: int, limit: int) -> dict[str, Any]:
    kept = list(islice(rows, limit))
    return {"columns": columns, "rows": kept, "total": total, "cut": total > len(kept)}


def three_lists(month: dt.date) -> list[dict[str, Any]]:
    """The problem, task and effect lists of the month in attachment 2's columns, as the lists' export writes them
    (numbers masked)."""
    found = []
    for list_kind in exporter.LIST_KINDS:
        spec = exporter.ListSpec(list_kind=list_kind, month=month_start(month), mask_numbers=True)
        table = _table(spec.columns, exporter.list_rows(spec), spec.matters().count(), LIST_ROWS_MAX)
        found.append({"kind": list_kind, "title": exporter.LIST_TITLES[list_kind], **table})
    return found


def _units_of(ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[tuple[int, str]]] = {}
    for matter_id, order, name in Matter.units.through.objects.filter(matter_id__in=ids).values_list(
        "matter_id", "unit__order", "unit__name"
    ):
        names.setdefault(matter_id, []).append((order, name))
    return {pk: [name for _o, name in sorted(found)] for pk, found in names.items()}


def overdue(end: dt.date, today: dt.date) -> dict[str, Any]:
    """The matters overdue on the day the pack is made (or on the month's last day, for a pack made then) whose
    deadline fell in or before the month, the longest overdue first."""
    day = min(today, end + dt.timedelta(days=1))
    qs = Matter.objects.filter(overdue_q(day), deadline_last_day__lte=end).order_by("deadline_last_day", "code")
    fields = ("pk", "code", "problem", "deadline", "deadline_precision", "deadline_last_day", "all_communities")
    values = list(qs.values_list(*fields)[:TABLE_ROWS_MAX])
    units = _units_of([v[0] for v in values])
    rows = [
        [
            code,
            mask_numbers(problem),
            cells.join_units(units.get(pk, []), everywhere),
            cells.format_deadline(deadline, precision),
            str((day - last).days),
        ]
        for pk, code, problem, deadline, precision, last, everywhere in values
    ]
    columns = [_("Code"), _("Problem"), _("Responsible units"), _("Deadline"), _("Days overdue")]
    return {
        "columns": columns,
        "rows": rows,
        "total": qs.count(),
        "cut": qs.count() > len(rows),
        "day": day.isoformat(),
    }


def returned(start: dt.date, end: dt.date) -> dict[str, Any]:
    """The matters sent back for redo in the month (failed verification, or the public's bad ratings)."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    qs = Transition.objects.filter(action=Action.RETURN, at__gte=lo, at__lt=hi).order_by("at", "id")
    values = list(
        qs.values_list("matter_id", "matter__code", "matter__problem", "at", "reason", "matter__status")[
            :TABLE_ROWS_MAX
        ]
    )
    units = _units_of([v[0] for v in values])
    rows = [
        [
            code,
            mask_numbers(problem),
            cells.join_units(units.get(pk, []), False),
            format_day(timezone.localdate(at)),
            mask_numbers(reason),
            str(Status(status).label),
        ]
        for pk, code, problem, at, reason, status in values
    ]
    columns = [_("Code"), _("Problem"), _("Responsible units"), _("Returned on"), _("Reason"), _("Status now")]
    total = qs.count()
    return {"columns": columns, "rows": rows, "total": total, "cut": total > len(rows)}


def duty_shortfalls(start: dt.date, end: dt.date, today: dt.date) -> dict[str, Any]:
    """The weeks of the month as the week grid counts them: per week how many people met their duties, were short
    or are still in the week; then each shortfall (person, unit, what was missing)."""
    last = min(end, today)
    if last < start:
        return {"weeks": [], "columns": [], "rows": [], "total": 0, "cut": False}
    weeks = weeks_between(week_tuple(start), week_tuple(last))
    people = list(
        Person.objects.filter(category__in=list(CATEGORY_ROLES)).select_related("unit").order_by("unit__order", "pk")
    )
    grid = duty_grid(people, weeks)
    summary = []
    shortfalls: list[list[str]] = []
    for week in weeks:
        states = {DutyState.MET: 0, DutyState.SHORT: 0, DutyState.IN_PROGRESS: 0}
        for person in people:
            rows = grid[(person.pk, week)]
            if not rows:
                continue
            state = rows_state(rows)
            states[state] += 1
            if state == DutyState.SHORT:
                missing = "；".join(f"{row.label}：{row.short_text}" for row in rows if not row.met and not row.open)
                unit = person.unit.name if person.unit_id else ""
                shortfalls.append([week_label(*week), person.name, unit, missing])
        summary.append(
            {
                "week": week_label(*week),
                "met": states[DutyState.MET],
                "short": states[DutyState.SHORT],
                "in_progress": states[DutyState.IN_PROGRESS],
            }
        )
    columns = [_("Week"), pgettext("a person", "Name"), _("Unit"), _("What was missing")]
    return {"weeks": summary, **_table(columns, shortfalls, len(shortfalls), TABLE_ROWS_MAX)}


def sections(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Each special line's section (oversight.sections), in the lines' order."""
    return [{"key": s.key, "title": s.title, **s.data} for s in build_sections(start, end)]


# --- the pack ----------------------------------------------------------------------------------------------------


def _organiser(campaign: Any) -> str:
    from org.selectors import root_unit

    unit: Unit | None = campaign.organiser if campaign is not None else root_unit()
    return unit.name if unit is not None else ""


def pack_data(
    month: dt.date,
    campaign: Any = None,
    *,
    decisions: list[dict[str, Any]] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The pack of `month` (any day of it), JSON-ready, strings in the current language.

    `decisions` are the last review meeting's decisions with what became of them ({"text", "kind", "matter",
    "outcome"}), given by the caller; None leaves the part out.
    """
    today = today or timezone.localdate()
    start, end = month_start(month), month_end(month)
    r = rates(period_matters(start, end))
    return {
        "month": f"{start.year}-{start.month:02d}",
        "month_label": month_label(start),
        "title": _("Monthly report on the people's conditions work (%(month)s)") % {"month": month_label(start)},
        "organiser": _organiser(campaign),
        "campaign": campaign.name if campaign is not None else "",
        "from": start.isoformat(),
        "to": end.isoformat(),
        "complete": end < today,  # False: the month is still running, its figures are so far
        "made_on": today.isoformat(),
        "figures": figures_of(r),
        "headline": headline(start, end, None),
        "charts": [chart_data(spec) for spec in charts(start, end, None)],
        "lists": three_lists(start),
        "overdue": overdue(end, today),
        "returned": returned(start, end),
        "duties": duty_shortfalls(start, end, today),
        "sections": sections(start, end),
        "decisions": None if decisions is None else [_decision(d) for d in decisions],
        "assessment": last_confirmed(end),  # each scheme's last confirmed assessment ended by then: top and bottom
    }


def _decision(raw: dict[str, Any]) -> dict[str, str]:
    return {key: str(raw.get(key) or "") for key in ("text", "kind", "matter", "outcome")}
