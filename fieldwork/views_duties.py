"""Duty pages: a person's own week, and the grid of everyone's weeks for the coordination and assessment teams."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.access import require_cap
from fieldwork.capabilities import FieldworkCap
from fieldwork.duties import (
    CATEGORY_ROLES,
    DutyRow,
    DutyState,
    Week,
    campaign_for_week,
    current_week,
    duty_grid,
    duty_week,
    parse_week,
    rows_met,
    rows_short_text,
    rows_state,
    week_bounds,
    week_label,
    week_shift,
    week_title,
    weeks_between,
)
from fieldwork.grid_sheet import grid_workbook
from fieldwork.models import Visit
from fieldwork.selectors import person_of
from org.models import Person, PersonCategory, Unit

GRID_DEFAULT_WEEKS = 4
GRID_MAX_WEEKS = 26


def _week_param(request: HttpRequest, name: str, default: Week) -> Week:
    """The week in a query parameter; a bad one is reported on the page and the default used."""
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return default
    try:
        return parse_week(raw)
    except ValueError as exc:
        messages.error(request, str(exc))
        return default


def _percent(row: DutyRow) -> int:
    if row.threshold <= 0:
        return 100
    return int(min(Decimal(100), row.value * 100 / row.threshold))


# --- My week -------------------------------------------------------------------------------------------


@require_cap(FieldworkCap.VISIT_LOG)
def my_week(request: HttpRequest) -> HttpResponse:
    week = _week_param(request, "week", current_week())
    monday, sunday = week_bounds(*week)
    context: dict[str, Any] = {
        "week": week_label(*week),
        "week_title": week_title(*week),
        "monday": monday,
        "sunday": sunday,
        "is_current": week == current_week(),
        "previous": week_label(*week_shift(*week, -1)),
        "next": week_label(*week_shift(*week, 1)),
        "this_week": week_label(*current_week()),
    }
    person = person_of(request.user)
    if person is None:
        return render(request, "fieldwork/my_week.html", {**context, "person": None})
    campaign = campaign_for_week(*week)
    rows = duty_week(person, *week, campaign=campaign)
    visits = (
        Visit.objects.filter(person=person, date__gte=monday, date__lte=sunday)
        .select_related("unit", "contact_point__unit")
        .order_by("date", "start_time", "id")
    )
    context.update(
        person=person,
        campaign=campaign,
        in_campaign=campaign is not None and campaign.starts_on <= sunday and campaign.ends_on >= monday,
        rows=[{"row": row, "percent": _percent(row)} for row in rows],
        all_met=rows_met(rows),
        state=rows_state(rows),
        missing=[row.missing_text for row in rows if not row.met],
        visits=visits,
    )
    return render(request, "fieldwork/my_week.html", context)


# --- Week grid -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    week: str
    rows: list[DutyRow]

    @property
    def met(self) -> bool:
        return rows_met(self.rows)

    @property
    def state(self) -> str:
        return rows_state(self.rows)

    @property
    def text(self) -> str:
        return rows_short_text(self.rows)

    @property
    def missing(self) -> str:
        return "; ".join(row.missing_text for row in self.rows if not row.met)


@dataclass(frozen=True)
class GridRow:
    person: Person
    cells: list[GridCell]

    @property
    def weeks_met(self) -> int:
        return sum(1 for cell in self.cells if cell.rows and cell.met)

    @property
    def weeks_counted(self) -> int:
        """Weeks with rules, except the one still in progress and not met yet (it is not a failure)."""
        return sum(1 for cell in self.cells if cell.rows and cell.state != DutyState.IN_PROGRESS)

    @property
    def has_rules(self) -> bool:
        return any(cell.rows for cell in self.cells)


def _grid_weeks(request: HttpRequest) -> list[Week]:
    last = _week_param(request, "to", current_week())
    first = _week_param(request, "from", week_shift(*last, -(GRID_DEFAULT_WEEKS - 1)))
    if first > last:
        first, last = last, first
    weeks = weeks_between(first, last)
    if len(weeks) > GRID_MAX_WEEKS:
        messages.warning(
            request,
            _("The grid shows at most %(n)d weeks: the last %(n)d up to the end are shown.") % {"n": GRID_MAX_WEEKS},
        )
        weeks = weeks[-GRID_MAX_WEEKS:]
    return weeks


def _unit_and_below(unit_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [unit_id]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def _grid_people(unit_id: int | None, category: str) -> QuerySet[Person]:
    qs = Person.objects.filter(category__in=list(CATEGORY_ROLES)).select_related("unit")
    if category:
        qs = qs.filter(category=category)
    if unit_id is not None:
        qs = qs.filter(unit_id__in=_unit_and_below(unit_id))
    return qs


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = (request.GET.get(name) or "").strip()
    return int(raw) if raw.isdecimal() and len(raw) < 12 else None


@require_cap(FieldworkCap.DUTY_GRID)
def week_grid(request: HttpRequest) -> HttpResponse:
    weeks = _grid_weeks(request)
    unit_id = _int_param(request, "unit")
    category = request.GET.get("category") or ""
    category = category if category in CATEGORY_ROLES else ""
    people = sorted(_grid_people(unit_id, category), key=lambda p: p.category != PersonCategory.LEADER)
    grid = duty_grid(people, weeks)
    labels = [week_label(*w) for w in weeks]
    titles = [week_title(*w) for w in weeks]
    rows = [
        GridRow(person, [GridCell(label, grid[(person.pk, w)]) for w, label in zip(weeks, labels, strict=True)])
        for person in people
    ]
    rows = [row for row in rows if row.has_rules]  # people of a category without rules are left out
    if request.GET.get("format") == "xlsx":
        return _grid_xlsx(rows, weeks)
    query = request.GET.copy()
    query["format"] = "xlsx"
    context = {
        "rows": rows,
        "weeks": titles,
        "first": labels[0],
        "last": labels[-1],
        "first_title": titles[0],
        "last_title": titles[-1],
        "unit_id": unit_id,
        "category": category,
        "units": Unit.objects.filter(people__category__in=list(CATEGORY_ROLES)).distinct().order_by("order", "name"),
        "categories": [(c, PersonCategory(c).label) for c in CATEGORY_ROLES],
        "xlsx_query": query.urlencode(),
    }
    return render(request, "fieldwork/week_grid.html", context)


def _grid_xlsx(rows: list[GridRow], weeks: list[Week]) -> HttpResponse:
    """The grid as a workbook Excel can sum and filter (fieldwork.grid_sheet)."""
    response = HttpResponse(
        grid_workbook(rows, weeks), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    first, last = week_label(*weeks[0]), week_label(*weeks[-1])
    response["Content-Disposition"] = f'attachment; filename="duties-{first}-{last}.xlsx"'
    return response
