"""Care's figures page: charts with their tables, and the same tables as .xlsx."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from care import figures
from care.capabilities import CareCap
from core.access import require_cap
from core.documents import xlsx


def _cell(value: object) -> str:
    return "—" if value is None else str(value)


@require_GET
@require_cap(CareCap.FIGURES)
def figures_page(request: HttpRequest) -> HttpResponse:
    categories, lines = figures.by_community(timezone.localdate())
    units = figures.by_claiming_unit()
    states = [(state.value, state.label) for state in figures.STATES]
    if request.GET.get("format") == "xlsx":
        return _xlsx(categories, lines, units, states)
    chart = {
        "households": {
            "labels": [line.name for line in lines],
            "series": [
                {"name": c.label, "values": [line.by_category.get(c.code, 0) for line in lines]} for c in categories
            ],
        },
        "wishes": {
            "labels": [line.name for line in lines],
            "series": [
                {"name": str(label), "values": [line.wishes.get(code, 0) for line in lines]} for code, label in states
            ],
        },
    }
    codes = [code for code, _label in states]
    rows = [
        (line, [line.by_category.get(c.code, 0) for c in categories], [line.wishes.get(code, 0) for code in codes])
        for line in lines
    ]
    unit_rows = [(unit, [unit.wishes.get(code, 0) for code in codes[2:]]) for unit in units]
    context = {"categories": categories, "rows": rows, "unit_rows": unit_rows, "states": states, "chart": chart}
    return render(request, "care/figures.html", context)


def _xlsx(categories: list, lines: list, units: list, states: list) -> HttpResponse:  # type: ignore[type-arg]
    head = [
        _("Community"),
        *[c.label for c in categories],
        _("Households"),
        _("Pairings"),
        _("Cadence kept"),
        *[str(label) for _code, label in states],
        _("Average days to fulfil"),
    ]
    rows: list[tuple[int, list[str]]] = [(xlsx.TITLE, [_("Care figures")]), (xlsx.HEADER, head)]
    for line in lines:
        rows.append(
            (
                xlsx.BODY,
                [
                    line.name,
                    *[str(line.by_category.get(c.code, 0)) for c in categories],
                    str(line.households),
                    str(line.pairings),
                    _cell(line.kept_rate),
                    *[str(line.wishes.get(code, 0)) for code, _l in states],
                    _cell(line.average_days),
                ],
            )
        )
    rows.append((xlsx.PLAIN, [""]))
    rows.append(
        (xlsx.HEADER, [_("Claiming unit"), *[str(label) for _code, label in states[2:]], _("Average days to fulfil")])
    )
    for unit in units:
        rows.append(
            (
                xlsx.BODY,
                [unit.name, *[str(unit.wishes.get(code, 0)) for code, _l in states[2:]], _cell(unit.average_days)],
            )
        )
    out = io.BytesIO()
    xlsx.write(out, title=_("Care figures"), rows=rows, widths=[18.0] * len(head), frozen_rows=2)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="care-figures.xlsx"'
    return response
