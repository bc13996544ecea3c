"""The week grid as a workbook: one row per person and week, one numeric column per metric's value and threshold.

So that Excel and WPS can sum, sort and filter it: the figures are numbers, whether the week was met is a column
of its own ("met", "short", or "in progress" for a week that has not ended and is not yet met), and each person's
weeks met is a number on their first row. Printed like the lists: A4 landscape, one page wide, the header on every
page (core.documents.xlsx).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.documents import xlsx
from fieldwork.duties import DutyState, Week, state_word, week_bounds, week_label, week_title

# The grid's lines and cells are fieldwork.views_duties' GridRow and GridCell (person, cells; week, rows, met).
Line = Any
Cell = Any


def _metrics(lines: Sequence[Line]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        for cell in line.cells:
            for row in cell.rows:
                found.setdefault(row.metric, str(row.label))
    return found


def grid_workbook(lines: Sequence[Line], weeks: Sequence[Week]) -> bytes:
    """The workbook of the grid's lines, whose cells are the `weeks` in order."""
    metrics = _metrics(lines)
    headers = [_("No."), pgettext("person", "Name"), _("Unit"), _("Duty category"), _("Week"), _("Dates")]
    for label in metrics.values():
        headers += [_("%(metric)s: done") % {"metric": label}, _("%(metric)s: required") % {"metric": label}]
    headers += [_("Met"), _("Weeks met"), _("Weeks counted")]
    widths = [6, 18, 16, 10, 10, 12, *([10] * (2 * len(metrics))), 10, 9, 9]
    title = _("Weekly duties %(first)s to %(last)s") % {"first": week_title(*weeks[0]), "last": week_title(*weeks[-1])}

    def rows() -> Iterator[tuple[int, list[xlsx.Value]]]:
        yield xlsx.TITLE, [title]
        yield xlsx.HEADER, list[xlsx.Value](headers)
        number = 0
        for line in lines:
            first = True
            for cell, week in zip(line.cells, weeks, strict=True):
                if not cell.rows:
                    continue
                number += 1
                monday, sunday = week_bounds(*week)
                person = line.person
                values: list[xlsx.Value] = [
                    number,
                    person.display_name,
                    person.unit.name,
                    person.get_category_display(),
                    week_label(*week),
                    f"{monday.month}.{monday.day}—{sunday.month}.{sunday.day}",
                ]
                by_metric = {row.metric: row for row in cell.rows}
                for metric in metrics:
                    row = by_metric.get(metric)
                    values += [row.value, row.threshold] if row is not None else ["", ""]
                values += [state_word(cell.state), line.weeks_met if first else "", line.weeks_counted if first else ""]
                first = False
                yield (xlsx.SHORT if cell.state == DutyState.SHORT else xlsx.BODY), values

    out = io.BytesIO()
    xlsx.write(out, title=_("Weekly duties"), rows=rows(), widths=widths, frozen_rows=2, repeat_row=2, merge_title=True)
    return out.getvalue()
