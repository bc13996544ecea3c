"""Every chart of the dashboards, computed once: the dashboard page, its downloads, the API /api/v1/figures/ and the
monthly pack all call `charts()` and `headline()`, so a figure reads the same wherever it is shown.

The figures come from matters.figures (`period_matters`, `rates`, `rates_by_unit`) and the existing selectors,
never from a second formula. The special lines contribute their charts through the extension point
`"oversight.charts"`; the lines sit below oversight and import nothing of it, so an entry is a plain dict::

    extensions={"oversight.charts": [{
        "key": "petition_closed",                     # unique, stable: the chart's id on the page and in the API
        "title": _("Petition cases closed"),          # a lazy translation
        "order": 10,                                  # the lines' charts' order, after the park's own charts
        "build": "petitions.selectors:closed_chart",  # dotted path "module:function", imported when used
    }]}

`build(start: date, end: date, scope: Unit | None) -> dict` returns plain data for the period [start, end]
(inclusive; a period that runs on ends today) in the scope (None: the whole park): ``{"kind": "bar" | "line" | "stacked" | "pie", "labels": [str],
"series": [{"name": str, "values": [int | float | None]}], "unit": str}``, strings already translated and never
a person's name.

A scope is None (the park) or a unit (a handler's or a cadre's): `scope_for(user)` says which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaigns.selectors import campaign_current
from core.dates import month_spans
from core.plugins import extensions
from core.roles import Role, user_roles
from fieldwork.duties import CATEGORY_ROLES, DutyState, duty_grid, rows_state, week_bounds, week_tuple, weeks_between
from matters.figures import Rates, period_matters, rates, rates_by_unit
from matters.models import Category, Matter
from matters.selectors import unit_q
from matters.workflow import FINISHED
from org.models import Person, Unit, UnitKind
from oversight.series import ChartSpec, Series

POINT = "oversight.charts"

Scope = Unit | None
"""Whose figures: None is the whole park, a unit is that unit's matters (as matters.selectors.unit_q has them)."""

# Roles that see the park's figures; handlers and cadres see their unit's (matters.access gives them its matters).
PARK_ROLES = frozenset({Role.LEADER, Role.COORDINATOR, Role.ASSESSOR, Role.SUPERVISOR})
UNIT_ROLES = frozenset({Role.HANDLER, Role.CADRE})

# The park's own charts, in the order the dashboard shows them (the lines' charts follow, by their order).
KEYS = (
    "raised_solved_weekly",
    "raised_solved_monthly",
    "by_category",
    "by_unit",
    "by_community",
    "rates_monthly",
    "overdue_by_unit",
    "duties_weekly",
    "ratings",
)


# --- Scope -----------------------------------------------------------------------------------------------------


def scope_for(user: Any) -> Scope:
    """The park for leaders and the work teams; their own unit for handlers and cadres; else refused."""
    roles = user_roles(user)
    if roles & PARK_ROLES:
        return None
    person = getattr(user, "person", None) if roles & UNIT_ROLES else None
    if person is None or person.unit_id is None:
        raise PermissionDenied
    unit: Unit = person.unit
    return unit


def scoped(qs: QuerySet[Matter], scope: Scope) -> QuerySet[Matter]:
    """The matters of the scope: all of them, or those the unit is responsible for (its all-communities ones too)."""
    return qs if scope is None else qs.filter(unit_q(scope.pk))


def scope_name(scope: Scope) -> str:
    return _("The whole park") if scope is None else scope.name


# --- Periods ---------------------------------------------------------------------------------------------------


def weeks_of(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """The ISO weeks touching [start, end]."""
    return weeks_between(week_tuple(start), week_tuple(end))


def seen_end(start: dt.date, end: dt.date) -> dt.date:
    """The end of a time series: today when the period runs on (weeks and months to come hold nothing yet)."""
    return max(start, min(end, timezone.localdate()))


def month_label(day: dt.date) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT")


def week_label_short(year: int, week: int) -> str:
    monday, sunday = week_bounds(year, week)
    return _("W%(week)d (%(from)s–%(to)s)") % {
        "week": week,
        "from": f"{monday.month}.{monday.day}",
        "to": f"{sunday.month}.{sunday.day}",
    }


def campaign_start(end: dt.date) -> dt.date | None:
    """The first day of the campaign in force at `end` (or the nearest), for the trends over the campaign."""
    campaign = campaign_current(on=end)
    return campaign.starts_on if campaign is not None and campaign.starts_on <= end else None


# --- Units of measure ------------------------------------------------------------------------------------------


def unit_items() -> str:
    return pgettext("unit of a count of matters", "items")


def unit_people() -> str:
    return pgettext("unit of a count of people", "people")


PERCENT = "%"


# --- The park's charts -----------------------------------------------------------------------------------------


def _local_bounds(lo: dt.date, hi: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(lo, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(hi + dt.timedelta(days=1), dt.time.min))


def raised_counts(spans: list[tuple[dt.date, dt.date]], scope: Scope) -> list[int]:
    """Matters reported in each span (period_matters' rule: duplicates left out), in one query."""
    if not spans:
        return []
    qs = scoped(period_matters(spans[0][0], spans[-1][1]), scope)
    counts = {}
    for i, (lo, hi) in enumerate(spans):
        first, after = _local_bounds(lo, hi)
        counts[f"s{i}"] = Count("pk", filter=Q(reported_at__gte=first, reported_at__lt=after))
    got = qs.aggregate(**counts)
    return [got[f"s{i}"] for i in range(len(spans))]


def solved_counts(spans: list[tuple[dt.date, dt.date]], scope: Scope) -> list[int]:
    """Matters completed in each span (completed, verified or closed now: the spans' effects), in one query."""
    if not spans:
        return []
    qs = Matter.objects.filter(status__in=FINISHED, completed_on__gte=spans[0][0], completed_on__lte=spans[-1][1])
    counts = {
        f"s{i}": Count("pk", filter=Q(completed_on__gte=lo, completed_on__lte=hi)) for i, (lo, hi) in enumerate(spans)
    }
    got = scoped(qs, scope).aggregate(**counts)
    return [got[f"s{i}"] for i in range(len(spans))]


def _raised_solved(key: str, title: str, spans: list[tuple[str, dt.date, dt.date]], scope: Scope) -> ChartSpec:
    bounds = [(lo, hi) for _label, lo, hi in spans]
    return ChartSpec(
        key=key,
        title=title,
        kind="bar",
        labels=[label for label, _lo, _hi in spans],
        series=[
            Series(pgettext("dashboard series", "Raised"), list(raised_counts(bounds, scope))),
            Series(pgettext("dashboard series", "Solved"), list(solved_counts(bounds, scope))),
        ],
        unit=unit_items(),
    )


def raised_solved_weekly(start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    """Matters raised (reported) and solved (completed) in each week of the period."""
    spans = []
    end = seen_end(start, end)
    for year, week in weeks_of(start, end):
        monday, sunday = week_bounds(year, week)
        spans.append((week_label_short(year, week), max(monday, start), min(sunday, end)))
    return _raised_solved("raised_solved_weekly", _("Raised and solved by week"), spans, scope)


def raised_solved_monthly(start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    """Matters raised and solved in each month of the period."""
    spans = [(month_label(lo), lo, hi) for lo, hi in month_spans(start, seen_end(start, end))]
    return _raised_solved("raised_solved_monthly", _("Raised and solved by month"), spans, scope)


def by_category(start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    """The period's matters per category: reported, and completed of them."""
    qs = scoped(period_matters(start, end), scope)
    counts = {
        row["category_id"]: row
        for row in qs.values("category_id").annotate(
            reported=Count("pk"), completed=Count("pk", filter=Q(status__in=FINISHED))
        )
    }
    names = {c.pk: c.name for c in Category.objects.filter(pk__in=[k for k in counts if k is not None])}
    keys = sorted(counts, key=lambda k: (-counts[k]["reported"], names.get(k, "") if k is not None else "~"))
    return ChartSpec(
        key="by_category",
        title=_("Matters by category"),
        kind="bar",
        labels=[names.get(k, "") if k is not None else _("Uncategorised") for k in keys],
        series=[
            Series(pgettext("dashboard series", "Raised"), [counts[k]["reported"] for k in keys]),
            Series(pgettext("dashboard series", "Completed"), [counts[k]["completed"] for k in keys]),
        ],
        unit=unit_items(),
    )


# Within one charts() call, the per-unit rates are read once for the three per-unit charts.
_UNIT_RATES: ContextVar[dict[tuple[dt.date, dt.date, int | None], list[tuple[Unit, Rates]]] | None] = ContextVar(
    "oversight_unit_rates", default=None
)


def unit_rates(start: dt.date, end: dt.date, scope: Scope) -> list[tuple[Unit, Rates]]:
    """The figures page's rates per unit for the period; in a unit's scope, that unit's line only."""
    memo = _UNIT_RATES.get()
    key = (start, end, None if scope is None else scope.pk)
    if memo is not None and key in memo:
        return memo[key]
    rows = rates_by_unit(period_matters(start, end))
    rows = rows if scope is None else [(unit, r) for unit, r in rows if unit.pk == scope.pk]
    if memo is not None:
        memo[key] = rows
    return rows


def _per_unit(key: str, title: str, rows: list[tuple[Unit, Rates]]) -> ChartSpec:
    return ChartSpec(
        key=key,
        title=title,
        kind="bar",
        labels=[unit.name for unit, _r in rows],
        series=[
            Series(pgettext("dashboard series", "Raised"), [r.reported for _u, r in rows]),
            Series(pgettext("dashboard series", "Completed"), [r.completed for _u, r in rows]),
        ],
        unit=unit_items(),
    )


def by_unit(start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    """The period's matters per responsible department (or enterprise): reported, and completed of them."""
    rows = [(u, r) for u, r in unit_rates(start, end, scope) if u.kind != UnitKind.COMMUNITY]
    return _per_unit("by_unit", _("Matters by responsible unit"), rows)


def by_community(start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    """The period's matters per community (an all-communities matter counts for each)."""
    rows = [(u, r) for u, r in unit_rates(start, end, scope) if u.kind == UnitKind.COMMUNITY]
    return _per_unit("by_community", _("Matters by community"), rows)


RATE_SERIES: tuple[tuple[str, Callable[[], str]], ...] = (
    ("public_satisfaction", lambda: _("Public satisfaction rate")),
    ("callback_satisfaction", lambda: _("Callback satisfaction rate")),
    ("response", lambda: _("Response rate")),
    ("on_time", lambda: _("On-time completion rate")),
)


def month_rates(start: dt.date, end: dt.date, scope: Scope) -> list[tuple[dt.date, dt.date, Rates]]:
    """The rates of each month from the campaign's start (or the period's) to the period's end."""
    first = campaign_start(end)
    first = min(first, start) if first is not None else start
    months = month_spans(first, seen_end(start, end))
    return [(lo, hi, rates(scoped(period_matters(lo, hi), scope))) for lo, hi in months]


def rates_monthly(start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    """Both satisfaction rates, the response and the on-time rates, month by month over the campaign."""
    months = month_rates(start, end, scope)
    return ChartSpec(
        key="rates_monthly",
        title=_("Headline rates by month"),
        kind="line",
        labels=[month_label(lo) for lo, _hi, _r in months],
        series=[Series(label(), [getattr(r, attr) for _lo, _hi, r in months]) for attr, label in RATE_SERIES],
        unit=PERCENT,
    )


def overdue_by_unit(start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    """The period's matters overdue now, per responsible unit (the figures page's "Overdue now")."""
    rows = [(u, r) for u, r in unit_rates(start, end, scope) if r.overdue_open]
    rows.sort(key=lambda row: -row[1].overdue_open)
    return ChartSpec(
        key="overdue_by_unit",
        title=_("Overdue matters by unit"),
        kind="bar",
        labels=[unit.name for unit, _r in rows],
        series=[Series(pgettext("dashboard series", "Overdue now"), [r.overdue_open for _u, r in rows])],
        unit=unit_items(),
    )


def duty_people(scope: Scope) -> list[Person]:
    people = Person.objects.filter(category__in=list(CATEGORY_ROLES))
    if scope is not None:
        people = people.filter(unit_id=scope.pk)
    return list(people)


def duties_weekly(start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    """Per week of the period, the people (leaders and cadres with weekly duties) who met all their duties, who
    fell short, and whose week is still running (fieldwork.duties' grid)."""
    weeks = weeks_of(start, seen_end(start, end))
    people = duty_people(scope)
    grid = duty_grid(people, weeks) if people else {}
    states = (DutyState.MET, DutyState.SHORT, DutyState.IN_PROGRESS)
    tally: dict[str, list[int]] = {state: [0] * len(weeks) for state in states}
    for (_person, week), rows in grid.items():
        if rows:
            tally[rows_state(rows)][weeks.index(week)] += 1
    return ChartSpec(
        key="duties_weekly",
        title=_("Weekly duties met"),
        kind="stacked",
        labels=[week_label_short(*w) for w in weeks],
        series=[
            Series(pgettext("dashboard series", "Met"), list(tally[DutyState.MET])),
            Series(pgettext("dashboard series", "Short"), list(tally[DutyState.SHORT])),
            Series(pgettext("dashboard series", "Week in progress"), list(tally[DutyState.IN_PROGRESS])),
        ],
        unit=unit_people(),
    )


def ratings(start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    """The public's ratings of the period's completed matters by value (the public satisfaction rate's counts)."""
    qs = scoped(period_matters(start, end), scope).filter(status__in=FINISHED)
    sums = qs.aggregate(
        satisfied=Coalesce(Sum("rated_satisfied"), 0),
        basically=Coalesce(Sum("rated_basically"), 0),
        dissatisfied=Coalesce(Sum("rated_dissatisfied"), 0),
    )
    return ChartSpec(
        key="ratings",
        title=_("Public ratings"),
        kind="pie",
        labels=[_("Satisfied"), _("Basically satisfied"), _("Dissatisfied")],
        series=[
            Series(
                pgettext("dashboard series", "Ratings"), [sums["satisfied"], sums["basically"], sums["dissatisfied"]]
            )
        ],
        unit=pgettext("unit of a count of ratings", "ratings"),
    )


PARK_CHARTS: dict[str, Callable[[dt.date, dt.date, Scope], ChartSpec]] = {
    "raised_solved_weekly": raised_solved_weekly,
    "raised_solved_monthly": raised_solved_monthly,
    "by_category": by_category,
    "by_unit": by_unit,
    "by_community": by_community,
    "rates_monthly": rates_monthly,
    "overdue_by_unit": overdue_by_unit,
    "duties_weekly": duties_weekly,
    "ratings": ratings,
}


# --- The lines' charts -----------------------------------------------------------------------------------------


def declared() -> list[dict[str, Any]]:
    """The installed lines' chart entries, in their order (then by key)."""
    entries = list(extensions(POINT))
    for entry in entries:
        missing = {"key", "title", "build"} - set(entry)
        if missing:
            raise ValueError(f"an {POINT} entry lacks {sorted(missing)}: {entry!r}")
    return sorted(entries, key=lambda e: (e.get("order", 100), e["key"]))


def line_chart(entry: dict[str, Any], start: dt.date, end: dt.date, scope: Scope) -> ChartSpec:
    build = import_string(entry["build"].replace(":", "."))
    data = build(start, seen_end(start, end), scope)  # the lines' charts are monthly series
    return ChartSpec(
        key=entry["key"],
        title=str(entry["title"]),
        kind=data.get("kind", "bar"),
        labels=[str(label) for label in data.get("labels", [])],
        series=[Series(str(s["name"]), list(s["values"])) for s in data.get("series", [])],
        unit=str(data.get("unit", "")),
    )


# --- What the dashboard, the API and the pack read -------------------------------------------------------------


def charts(start: dt.date, end: dt.date, scope: Scope) -> list[ChartSpec]:
    """Every chart of the period [start, end] in the scope: the park's own, then each line's."""
    token = _UNIT_RATES.set({})
    try:
        own = [build(start, end, scope) for build in PARK_CHARTS.values()]
    finally:
        _UNIT_RATES.reset(token)
    return own + [line_chart(entry, start, end, scope) for entry in declared()]


def chart(key: str, start: dt.date, end: dt.date, scope: Scope) -> ChartSpec | None:
    """One chart by its key (None for an unknown key)."""
    if key in PARK_CHARTS:
        return PARK_CHARTS[key](start, end, scope)
    for entry in declared():
        if entry["key"] == key:
            return line_chart(entry, start, end, scope)
    return None


def period_rates(start: dt.date, end: dt.date, scope: Scope) -> Rates:
    """The period's rates in the scope: matters.figures.rates over the scope's matters."""
    return rates(scoped(period_matters(start, end), scope))


def headline(start: dt.date, end: dt.date, scope: Scope) -> list[dict[str, Any]]:
    """The headline figures of the period in the scope, as plain data: {label, value, unit, note}.

    A rate not shown (no denominator, or too few ratings) has the value None and says why in its note.
    """
    r = period_rates(start, end, scope)

    def satisfaction(label: str, value: float | None, count: int) -> dict[str, Any]:
        words = _("too few ratings (%(n)s)") if value is None else _("over %(n)s ratings")
        note = words % {"n": count}
        return {"key": "", "label": label, "value": value, "unit": PERCENT, "note": note}

    def rate(label: str, value: float | None, note: str = "") -> dict[str, Any]:
        return {"key": "", "label": label, "value": value, "unit": PERCENT, "note": note}

    figures = [
        (
            "reported",
            {"label": pgettext("dashboard series", "Raised"), "value": r.reported, "unit": unit_items(), "note": ""},
        ),
        (
            "completed",
            {
                "label": pgettext("dashboard series", "Completed"),
                "value": r.completed,
                "unit": unit_items(),
                "note": "",
            },
        ),
        ("public_satisfaction", satisfaction(_("Public satisfaction rate"), r.public_satisfaction, r.public_ratings)),
        ("callback_satisfaction", satisfaction(_("Callback satisfaction rate"), r.callback_satisfaction, r.callbacks)),
        ("response", rate(_("Response rate"), r.response, _("%(n)s pending") % {"n": r.response_pending})),
        ("resolution", rate(_("Resolution rate"), r.resolution)),
        ("on_time", rate(_("On-time completion rate"), r.on_time)),
        ("overdue_open", {"label": _("Overdue now"), "value": r.overdue_open, "unit": unit_items(), "note": ""}),
    ]
    return [{**figure, "key": key} for key, figure in figures]


def spec_plain(spec: ChartSpec) -> dict[str, Any]:
    """A chart as JSON-ready data (the API's and the page's)."""
    return {
        "key": spec.key,
        "title": spec.title,
        "kind": spec.kind,
        "labels": list(spec.labels),
        "series": [{"name": s.name, "values": list(s.values)} for s in spec.series],
        "unit": spec.unit,
    }
