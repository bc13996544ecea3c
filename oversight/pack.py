"""The monthly pack as files: `pack_data` (oversight.pack_data) laid out as one core.documents.Document, written
as .docx and as PDF (A4 portrait, "第 X 页 共 Y 页" in the footer, the charts drawn by oversight.chart_images).

The lists keep attachment 2's columns and relative widths (matters.exchange.exporter.WIDTHS) on portrait pages:
the document model has one orientation for the whole document, and the committee reads the pack as a report.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils.translation import gettext as _

from core.documents import Document, Image, Layout, Section, Table, write_docx, write_pdf
from core.tables.cells import format_day
from matters.exchange import cells, exporter
from oversight import chart_images
from oversight.pack_data import chart_spec

CHART_WIDTH_MM = 160
# A4 portrait with narrower margins and smaller type than a report, so that the lists' ten columns keep their words.
PACK = Layout(margin_mm=15, font_pt=9.5, pdf_margin_mm=12)
# The lists' columns on a portrait page (shares of the width, about mm): each at least as wide as its header, so that
# no column gives its room away to another's header; the three texts share what is left.
PORTRAIT_WIDTHS = {
    cells.NUMBER: 9.5,
    cells.PROBLEM: 40,
    cells.TASK: 57,
    cells.DEADLINE: 19.5,
    cells.LEADS: 16.5,
    cells.UNITS: 23,
    cells.REMARKS: 14.5,
}
EFFECT_WIDTHS = {**PORTRAIT_WIDTHS, cells.PROBLEM: 24, cells.TASK: 24, cells.REMARKS: 9.5}
EFFECT_WIDTHS |= {cells.COMPLETED: 19.5, cells.EFFECT: 24, cells.SATISFACTION: 13}
CONTENT_TYPES = {"docx": exporter.CONTENT_TYPES["docx"], "pdf": exporter.CONTENT_TYPES["pdf"]}


def _value(figure: dict[str, Any]) -> str:
    value = figure["value"]
    if value is None:
        return "—"
    return f"{chart_images.number(value)}{figure['unit']}"


def _table_sections(
    title: str, table: dict[str, Any], widths: list[float], *, empty: str, lines: list[str]
) -> list[Section]:
    """A titled table, or the sentence saying there is nothing; a line when the table was cut."""
    if table["total"] and table["cut"]:
        lines = [
            *lines,
            _("Only the first %(shown)d of %(total)d are listed here.")
            % {"shown": len(table["rows"]), "total": table["total"]},
        ]
    if not table["rows"]:
        return [Section(title=title, lines=[*lines, empty])]
    return [
        Section(
            title=title,
            lines=lines,
            table=Table(headers=table["columns"], rows=table["rows"], widths=widths, centre_headers=True),
        )
    ]


def _summary(data: dict[str, Any]) -> Section:
    rows = [[f["label"], _value(f), f["note"]] for f in data["headline"]]
    lines = [] if data["complete"] else [_("The month has not ended: its figures are those so far.")]
    return Section(
        title=_("1. Summary figures"),
        lines=lines,
        table=Table(headers=[_("Figure"), _("Value"), _("Note")], rows=rows, widths=[30, 16, 40], centre_headers=True),
    )


def _charts(data: dict[str, Any]) -> Section:
    images = [
        Image(
            chart_images.png(chart_spec(chart)),
            CHART_WIDTH_MM,
            caption=_("Figure %(n)d %(title)s") % {"n": n, "title": chart["title"]},
        )
        for n, chart in enumerate(data["charts"], start=1)
    ]
    return Section(title=_("2. Charts"), images=images)


def _lists(data: dict[str, Any]) -> list[Section]:
    found = [Section(title=_("3. The three lists of the month"))]
    for one in data["lists"]:
        chosen = EFFECT_WIDTHS if one["kind"] == "effects" else PORTRAIT_WIDTHS
        widths = [float(chosen.get(c, 12)) for c in one["columns"]]
        count = _("%(n)d items this month.") % {"n": one["total"]}
        found += _table_sections(one["title"], one, widths, empty=_("None this month."), lines=[count])
    return found


def _duties(data: dict[str, Any]) -> list[Section]:
    duties = data["duties"]
    lines = [
        _("%(week)s: %(met)d met their duties, %(short)d fell short, %(open)d are still in the week.")
        % {"week": w["week"], "met": w["met"], "short": w["short"], "open": w["in_progress"]}
        for w in duties["weeks"]
    ]
    if not duties["weeks"]:
        return [Section(title=_("6. Duty shortfalls"), lines=[_("None this month.")])]
    return _table_sections(
        _("6. Duty shortfalls"), duties, [14, 12, 22, 52], empty=_("No one fell short."), lines=lines
    )


def _lines_sections(data: dict[str, Any]) -> list[Section]:
    title = _("7. The special lines")
    if not data["sections"]:
        return [Section(title=title, lines=[_("No line contributes a section.")])]
    found = [Section(title=title)]
    for part in data["sections"]:
        lines = [f"{f['label']}：{f['value']}{f.get('unit', '')}" for f in part["figures"]] + list(part["notes"])
        found.append(Section(title=part["title"], lines=lines))
        for table in part["tables"]:
            columns = [str(c) for c in table["columns"]]
            rows = [[str(v) for v in row] for row in table["rows"]]
            if rows:
                found.append(
                    Section(lines=[table["title"]], table=Table(headers=columns, rows=rows, widths=[1] * len(columns)))
                )
    return found


def _decisions(data: dict[str, Any]) -> list[Section]:
    decisions = data["decisions"]
    if decisions is None:
        return []
    title = _("8. The decisions of the last meeting and what became of them")
    if not decisions:
        return [Section(title=title, lines=[_("The last meeting took no decision.")])]
    rows = [[str(n), d["text"], d["kind"], d["matter"], d["outcome"]] for n, d in enumerate(decisions, start=1)]
    headers = [_("No."), _("Decision"), _("Kind"), _("Matter"), _("What became of it")]
    return [
        Section(title=title, table=Table(headers=headers, rows=rows, widths=[6, 40, 12, 16, 30], centre_headers=True))
    ]


def _assessment(data: dict[str, Any]) -> list[Section]:
    """Each scheme's last confirmed assessment: its top and bottom (a pack made before this part has none)."""
    parts = data.get("assessment") or []
    if not parts:
        return []
    found = [Section(title=_("9. The last confirmed assessment"))]
    headers = [_("Rank"), _("Unit or person"), _("Total"), _("Grade")]
    for part in parts:
        rows = [[str(r["rank"]), r["name"], f"{r['total']:g}", r["grade"]] for r in [*part["top"], *part["bottom"]]]
        title = _("%(scheme)s, %(period)s (version %(version)d, %(count)d assessed): the top and the bottom") % part
        found.append(Section(lines=[title], table=Table(headers=headers, rows=rows, widths=[8, 40, 12, 12])))
    return found


def pack_document(data: dict[str, Any]) -> Document:
    """The pack as a Document (strings in the current language: the job writes it in Chinese)."""
    period = _("Period: %(from)s to %(to)s") % {
        "from": format_day(_date(data["from"])),
        "to": format_day(_date(data["to"])),
    }
    overdue_day = format_day(_date(data["overdue"]["day"]))
    sections = [
        _summary(data),
        _charts(data),
        *_lists(data),
        *_table_sections(
            _("4. Overdue matters"),
            data["overdue"],
            [14, 50, 22, 12, 10],
            empty=_("No matter is overdue."),
            lines=[_("Overdue on %(day)s, their deadline in or before the month.") % {"day": overdue_day}],
        ),
        *_table_sections(
            _("5. Matters returned for redo"),
            data["returned"],
            [14, 40, 18, 12, 30, 12],
            empty=_("No matter was returned this month."),
            lines=[],
        ),
        *_duties(data),
        *_lines_sections(data),
        *_decisions(data),
        *_assessment(data),
    ]
    subtitle = [line for line in (data["organiser"], period) if line]
    return Document(
        title=data["title"],
        subtitle=subtitle,
        sections=sections,
        layout=PACK,
        header=_("For the committee's review"),
        footer=data["organiser"],
        page_numbers=True,
        generated=_("Made on %(day)s") % {"day": format_day(_date(data["made_on"]))},
    )


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def filename(data: dict[str, Any], file_format: str) -> str:
    return f"{_('Monthly pack')}_{data['month']}.{file_format}"


def pack_files(data: dict[str, Any]) -> dict[str, bytes]:
    """Both files of one document (the charts drawn once): {"docx": …, "pdf": …}; DocumentError when the PDF's
    font is missing."""
    document = pack_document(data)
    files = {}
    for file_format, write in (("docx", write_docx), ("pdf", write_pdf)):
        out = io.BytesIO()
        write(document, out)
        files[file_format] = out.getvalue()
    return files
