"""The backlog board (信访积案攻坚): every case with its owners, focus, risk, days open, visits, dispositions; the
campaign's progress per leader; and the board as .xlsx and .docx in the park's table form.

Files leave the back office: the petitioner is shown by the case number, never by name, and every free text
(the problem, the measures) is the petitioners' details removed and numbers masked (services.anonymised).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.documents import SHEET, Document, Section, Table, write_docx, xlsx
from core.types import Actor
from matters.workflow import Status
from petitions.models import PetitionCase
from petitions.ownership import VisitPlan, plans_for
from petitions.selectors import cases_filtered
from petitions.services import anonymised

GOAL = "全面终结信访包保积案"


@dataclass(frozen=True)
class BoardRow:
    case: PetitionCase
    owners: list[str]
    units: list[str]
    days_open: int
    plan: VisitPlan
    terms: list[str]
    closed: bool
    problem: str  # without the petitioners' details
    measures: str
    progress: str
    limits: str


def board_rows(user: Actor, params: Mapping[str, Any], today: dt.date) -> list[BoardRow]:
    cases = list(
        cases_filtered(user, params)
        .select_related("five_ones")
        .prefetch_related("dispositions", "petitioners", "limits__rule", "closings")
    )
    plans = plans_for(cases, today)
    rows = []
    for case in cases:
        petitioners = list(case.petitioners.all())
        dispositions = list(case.dispositions.all())
        five = case.five_ones if hasattr(case, "five_ones") else None
        measures = "；".join(f"{d.get_term_display()}：{d.done}" for d in dispositions)
        if five is not None and five.measures:
            measures = f"{measures}；{_('Stability measures')}：{five.measures}" if measures else five.measures
        closings = [c for c in case.closings.all() if c.reopened_on is None]
        progress = case.matter.get_status_display()
        if case.matter.status == Status.CLOSED and closings:
            progress = f"{progress}（{closings[-1].get_way_display()}）"
        open_limits = [lim for lim in case.limits.all() if lim.met_on is None and lim.rule.chased]
        rows.append(
            BoardRow(
                case=case,
                owners=[p.display_name for p in case.owners.all()],
                units=[u.name for u in case.handling_units.all()],
                days_open=(today - case.received_on).days,
                plan=plans[case.pk],
                terms=sorted({d.get_term_display() for d in dispositions}),
                closed=case.matter.status == Status.CLOSED,
                problem=anonymised(case.summary, petitioners),
                measures=anonymised(measures, petitioners),
                progress=progress,
                limits="；".join(f"{lim.rule.get_code_display()} {lim.due_on.isoformat()}" for lim in open_limits),
            )
        )
    return rows


@dataclass(frozen=True)
class Progress:
    total: int
    closed: int
    per_leader: list[tuple[str, int, int]]  # (leader, closed, total)


def progress(rows: list[BoardRow]) -> Progress:
    """Closed of total owned, overall and per leader (a case of two owners counts for each of them)."""
    leaders: dict[str, list[int]] = {}
    for row in rows:
        for name in row.owners:
            counts = leaders.setdefault(name, [0, 0])
            counts[0] += int(row.closed)
            counts[1] += 1
    per_leader = [(name, closed, total) for name, (closed, total) in sorted(leaders.items())]
    return Progress(len(rows), sum(row.closed for row in rows), per_leader)


def chart_data(result: Progress) -> dict[str, Any]:
    return {
        "leaders": [name for name, _closed, _total in result.per_leader],
        "series": [
            {"name": _("Closed"), "values": [closed for _n, closed, _t in result.per_leader]},
            {"name": _("Open"), "values": [total - closed for _n, closed, total in result.per_leader]},
        ],
    }


HEADERS = [
    "序号",
    "信访人（化名或编号）",
    "反映问题",
    "包保领导",
    "责任单位",
    "化解措施",
    "进展情况",
    "办理时限",
    "备注",
]
WIDTHS = [5, 14, 26, 10, 12, 26, 12, 14, 10]


def _table(rows: list[BoardRow]) -> Iterator[list[str]]:
    for number, row in enumerate(rows, start=1):
        note = f"{_('Risk')}：{row.case.get_risk_display()}"
        if row.case.reopened:
            note += f"；{_('times reopened')}：{row.case.reopened}"
        yield [
            str(number),
            row.case.case_number,
            row.problem,
            "、".join(row.owners),
            "、".join(row.units),
            row.measures,
            row.progress,
            row.limits,
            note,
        ]


def board_xlsx(rows: list[BoardRow], title: str) -> bytes:
    out = io.BytesIO()
    lines: list[tuple[int, list[str]]] = [(xlsx.TITLE, [title]), (xlsx.HEADER, HEADERS)]
    lines += [(xlsx.BODY, line) for line in _table(rows)]
    xlsx.write(out, title=title, rows=lines, widths=WIDTHS, frozen_rows=2)
    return out.getvalue()


def board_docx(rows: list[BoardRow], title: str) -> bytes:
    out = io.BytesIO()
    document = Document(
        title=title,
        sections=[Section(table=Table(headers=HEADERS, rows=list(_table(rows)), widths=WIDTHS, centre_headers=True))],
        layout=SHEET,
        page_numbers=True,
    )
    write_docx(document, out)
    return out.getvalue()
