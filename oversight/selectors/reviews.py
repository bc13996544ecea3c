"""Reads of the monthly reviews: the preparation of a month (`prepare`), the minutes' draft, the campaign's phases.

`prepare(month, campaign)` returns plain, JSON-ready data, frozen into the review when it is prepared: the three
lists of the month (matters.selectors' month definitions), the headline rates (matters.figures, not recomputed)
and their trend over the campaign, overdue matters by unit, the duty grid's shortfalls, each line's section
(oversight.sections) and what changed since last month. Rows carry no personal data (free text is redacted).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaigns.models import Campaign
from core.dates import add_months
from core.privacy import redact
from fieldwork.duties import CATEGORY_ROLES, duty_grid, week_bounds, week_ended, week_label, week_tuple, weeks_between
from matters import figures
from matters.models import Matter
from matters.selectors import MatterFilter, list_queryset, overdue_q
from org.models import Person, Unit
from oversight.models.reviews import Review, ReviewStatus
from oversight.sections import build_sections

ROWS_KEPT = 200  # rows kept per list in a preparation; the counts are always complete
LISTS = ("problems", "tasks", "effects")
# The headline figures compared month by month: key in matters.figures' report, and its label.
HEADLINES: tuple[tuple[str, str], ...] = (
    ("reported", gettext_noop("Matters reported")),
    ("response", gettext_noop("Response rate (%)")),
    ("resolution", gettext_noop("Resolution rate (%)")),
    ("public_satisfaction", gettext_noop("Public satisfaction rate (%)")),
    ("callback_satisfaction", gettext_noop("Callback satisfaction rate (%)")),
    ("on_time", gettext_noop("On-time completion rate (%)")),
    ("completed", gettext_noop("Completed")),
    ("overdue_open", gettext_noop("Overdue now")),
)
Progress = Callable[[int, str], None]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month_start(month), 1) - dt.timedelta(days=1)


def campaign_months(campaign: Campaign, *, until: dt.date | None = None) -> list[dt.date]:
    """The first days of the campaign's months, up to `until`'s month (default: its last)."""
    last = month_start(until or campaign.ends_on)
    month, months = month_start(campaign.starts_on), []
    while month <= last and month <= campaign.ends_on:
        months.append(month)
        month = add_months(month, 1)
    return months


def _labels(items: Any) -> str:
    return "、".join(str(item) for item in items)


def _row(matter: Matter) -> dict[str, Any]:
    """A matter as a row of the preparation: what the park's lists show, no reporter, free text redacted."""
    return {
        "id": matter.pk,
        "code": matter.code,
        "category": matter.category.name if matter.category is not None else "",
        "problem": redact(matter.problem),
        "task": redact(matter.task),
        "units": _("All communities") if matter.all_communities else _labels(matter.units.all()),
        "deadline": matter.due_on.isoformat() if matter.due_on else "",
        "status": str(matter.get_status_display()),
        "effect": redact(matter.effect),
    }


def month_lists(month: dt.date) -> dict[str, dict[str, Any]]:
    """The three lists of the month, as the back office and the portal select them (matters.selectors)."""
    out = {}
    for kind in LISTS:
        qs = list_queryset(kind, MatterFilter(month=month))
        rows = (
            qs.select_related("category")
            .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("order", "name")))
            .order_by("reported_at", "id")[:ROWS_KEPT]
        )
        out[kind] = {"count": qs.count(), "rows": [_row(m) for m in rows]}
    return out


def month_figures(month: dt.date) -> dict[str, Any]:
    """The month's headline figures: matters.figures' report of the month, overall (its per-unit part left out)."""
    values = dataclasses.asdict(figures.rates(figures.period_matters(month_start(month), month_end(month))))
    values.pop("min_ratings")
    return values


def _overdue_by_unit(today: dt.date) -> list[dict[str, Any]]:
    overdue: QuerySet[Matter] = Matter.objects.filter(overdue_q(today))
    return [
        {"unit": unit.name, "unit_id": unit.pk, "overdue": rates.overdue_open}
        for unit, rates in figures.rates_by_unit(overdue, today=today)
        if rates.overdue_open
    ]


def _duty_shortfalls(month: dt.date, campaign: Campaign, today: dt.date) -> list[dict[str, Any]]:
    """Who fell short of a weekly duty in the ended weeks of the month (by their Sunday): the weeks and what was
    missing each time, one row a person."""
    first, last = week_tuple(month_start(month)), week_tuple(month_end(month))
    weeks = [
        w for w in weeks_between(first, last) if month_start(week_bounds(*w)[1]) == month and week_ended(*w, today)
    ]
    people = list(Person.objects.filter(category__in=list(CATEGORY_ROLES)).select_related("unit").order_by("pk"))
    grid = duty_grid(people, weeks, campaign=campaign)
    out = []
    for person in people:
        short = {week: [row for row in grid[(person.pk, week)] if not row.met] for week in weeks}
        short = {week: rows for week, rows in short.items() if rows}
        if short:
            out.append(
                {
                    "person": person.display_name,
                    "unit": person.unit.name if person.unit_id else "",
                    "weeks": len(short),
                    "of": len(weeks),
                    "missing": "；".join(
                        f"{week_label(*week)}: " + "、".join(row.missing_text for row in rows)
                        for week, rows in short.items()
                    ),
                }
            )
    return out


def _changes(
    now: dict[str, Any], before: dict[str, Any], counts: dict[str, int], counts_before: dict[str, int]
) -> list[dict[str, Any]]:
    """Each headline figure and list count with last month's value and the difference."""
    out = []
    names = dict(list_labels())
    compared: list[tuple[str, Any, Any, str]] = [(k, counts[k], counts_before.get(k), names[k]) for k in LISTS]
    compared += [(k, now.get(k), before.get(k), _(label)) for k, label in HEADLINES]
    for key, value, previous, label in compared:
        difference = round(value - previous, 1) if value is not None and previous is not None else None
        out.append({"key": key, "label": str(label), "value": value, "previous": previous, "difference": difference})
    return out


def list_labels() -> list[tuple[str, str]]:
    return [("problems", _("Problem list")), ("tasks", _("Task list")), ("effects", _("Effect list"))]


def prepare(month: dt.date, campaign: Campaign, *, progress: Progress | None = None) -> dict[str, Any]:
    """Everything the review of `month` looks at, as JSON-ready data (see the module's docstring)."""
    step = progress or (lambda done, stage: None)
    month = month_start(month)
    today = timezone.localdate()
    start, end = month, month_end(month)
    step(0, gettext_noop("The three lists"))
    lists = month_lists(month)
    step(1, gettext_noop("The headline figures"))
    rates = month_figures(month)
    step(2, gettext_noop("The trend over the campaign"))
    trend = []
    for m in campaign_months(campaign, until=month):
        figures_of_m = rates if m == month else month_figures(m)
        trend.append({"month": f"{m:%Y-%m}", **{key: figures_of_m.get(key) for key, _label in HEADLINES}})
    step(3, gettext_noop("Overdue matters and duties"))
    overdue = _overdue_by_unit(today)
    duties = _duty_shortfalls(month, campaign, today)
    step(4, gettext_noop("The special lines"))
    sections = [dataclasses.asdict(section) for section in build_sections(start, end)]
    step(5, gettext_noop("What changed since last month"))
    previous = add_months(month, -1)
    before_lists = {kind: list_queryset(kind, MatterFilter(month=previous)).count() for kind in LISTS}
    changes = _changes(rates, month_figures(previous), {k: v["count"] for k, v in lists.items()}, before_lists)
    return {
        "month": f"{month:%Y-%m}",
        "campaign": campaign.pk,
        "as_of": today.isoformat(),
        "lists": lists,
        "figures": rates,
        "trend": trend,
        "overdue_by_unit": overdue,
        "duty_shortfalls": duties,
        "sections": sections,
        "changes": changes,
    }


PREPARE_STAGES = 6


# --- the reviews ---------------------------------------------------------------------------------------------


def reviews_list(*, campaign: Campaign | None = None) -> QuerySet[Review]:
    qs = Review.objects.select_related("campaign", "chair")
    return qs.filter(campaign=campaign) if campaign is not None else qs


def reviews_to_close() -> QuerySet[Review]:
    return Review.objects.filter(status=ReviewStatus.HELD)


def review_get(pk: int) -> Review | None:
    return (
        Review.objects.select_related("campaign", "chair", "job")
        .prefetch_related("attendees", "decisions__matter")
        .filter(pk=pk)
        .first()
    )


def headline_label(key: str) -> str:
    return next((_(label) for k, label in HEADLINES if k == key), key)


def minutes_draft(review: Review) -> str:
    """The minutes drafted from the records: date, chair, attendees, agenda, the figures, the decisions."""
    lines = [
        _("Date: %(date)s") % {"date": review.held_on.isoformat() if review.held_on else "—"},
        _("Chair: %(name)s") % {"name": review.chair.display_name if review.chair else "—"},
        _("Attendees: %(names)s") % {"names": _labels(p.display_name for p in review.attendees.all()) or "—"},
        "",
        _("Agenda:"),
        review.agenda or "—",
        "",
        _("Figures of the month:"),
    ]
    data = review.prepared or {}
    for kind, label in list_labels():
        count = data.get("lists", {}).get(kind, {}).get("count")
        if count is not None:
            lines.append(f"{label}: {count}")
    for key, _label in HEADLINES:
        value = data.get("figures", {}).get(key)
        lines.append(f"{headline_label(key)}: {'—' if value is None else value}")
    lines += ["", _("Decisions:")]
    for decision in review.decisions.all():
        matter = f" ({decision.matter.code})" if decision.matter is not None else ""
        lines.append(f"{decision.order}. [{decision.get_kind_display()}] {decision.text}{matter}")
    if not review.decisions.exists():
        lines.append("—")
    return "\n".join(lines)


def held_months(campaign: Campaign) -> set[dt.date]:
    """The months of the campaign with a review held (held or closed)."""
    return set(
        Review.objects.filter(campaign=campaign, status__in=[ReviewStatus.HELD, ReviewStatus.CLOSED]).values_list(
            "month", flat=True
        )
    )


REVIEW_GOAL = "定期梳理并发布三张清单"


def phase_rows(campaign: Campaign, phase: Any) -> dict[str, Any]:
    """The campaign page's part of a phase (`campaigns.phase`): the reviews held and the lists published in its
    months, and its goal (定期梳理并发布三张清单: every ended month reviewed and its lists published) marked met or
    not from the records."""
    from oversight.models.publication import Publication

    today = timezone.localdate()
    held = held_months(campaign)
    published = set(Publication.objects.filter(campaign=campaign).values_list("month", flat=True))
    months = [m for m in campaign_months(campaign) if phase.starts_on <= month_end(m) and m <= phase.ends_on]
    ended = [m for m in months if month_end(m) < today]
    count = len([m for m in months if m in held])
    rows = [
        {"label": _("Reviews held"), "value": f"{count}/{len(months)}"},
        {"label": _("Lists published"), "value": f"{len([m for m in months if m in published])}/{len(months)}"},
    ]
    goals = []
    if "清单" in (phase.phase.focus or ""):  # the phase asks for the lists (the seed's 全面开展阶段)
        met = bool(ended) and all(m in held and m in published for m in ended)
        goals.append({"label": REVIEW_GOAL, "met": met})
    return {"rows": rows, "goals": goals}


def last_meeting_decisions(campaign: Campaign | None, month: dt.date) -> list[dict[str, str]] | None:
    """The decisions of the last review held up to `month` (its own month's or an earlier one), each with what
    became of it: the matter's state now. None when no review has been held yet (the pack then says nothing)."""
    if campaign is None:
        return None
    review = (
        Review.objects.filter(campaign=campaign, month__lte=month, status__in=[ReviewStatus.HELD, ReviewStatus.CLOSED])
        .order_by("-month")
        .first()
    )
    if review is None:
        return None
    rows = []
    for decision in review.decisions.select_related("matter").order_by("order"):
        matter = decision.matter
        outcome = matter.get_status_display() if matter is not None else _("Recorded")
        rows.append(
            {
                "text": decision.text,
                "kind": str(decision.get_kind_display()),
                "matter": matter.code if matter is not None else "",
                "outcome": str(outcome),
            }
        )
    return rows
