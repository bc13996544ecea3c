"""The problem, task and effect lists as files in attachment 2's columns: xlsx, docx, csv and pdf.

The files are the park's own document format, so the title, the column names and the satisfaction
labels are written in Chinese whatever the interface language; the importer reads these files back.
Rows are fetched with `iterator()` and written as they come where the library allows (csv, xlsx).
Only the list's columns are written: never a reporter's name or phone.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matters.exchange import cells
from matters.models import Matter
from matters.selectors import MatterFilter, list_matters
from org.models import Unit

LIST_KINDS = ("problems", "tasks", "effects")
FORMATS = ("xlsx", "docx", "csv", "pdf")
LIST_TITLES = {"problems": "问题清单", "tasks": "任务清单", "effects": "效果清单"}
LIST_LABELS = {
    "problems": gettext_lazy("Problem list"),
    "tasks": gettext_lazy("Task list"),
    "effects": gettext_lazy("Effect list"),
}
SATISFACTION_LABELS = {"satisfied": "满意", "basically": "基本满意", "dissatisfied": "不满意"}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
# Relative column widths (characters in Excel; shares of the page width in Word and PDF).
WIDTHS = {
    cells.NUMBER: 7,
    cells.PROBLEM: 34,
    cells.TASK: 52,
    cells.DEADLINE: 12,
    cells.LEADS: 11,
    cells.UNITS: 16,
    cells.REMARKS: 10,
    cells.COMPLETED: 13,
    cells.EFFECT: 34,
    cells.SATISFACTION: 10,
}
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


class ExportError(Exception):
    """The export cannot be made here (a missing font); the message is translated and names the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ListSpec:
    """Which list, for which month, unit and community, and whether it is the public version."""

    list_kind: str = "tasks"
    month: dt.date | None = None
    unit: Unit | None = None
    community: Unit | None = None
    public_only: bool = False
    mask_numbers: bool = False  # for readers without the right to see reporters: phone and ID numbers masked

    def __post_init__(self) -> None:
        if self.list_kind not in LIST_KINDS:
            raise ValueError(f"unknown list {self.list_kind!r}")

    @property
    def columns(self) -> list[str]:
        return cells.EFFECT_COLUMNS if self.list_kind == "effects" else cells.ATTACHMENT2_COLUMNS

    def matter_filter(self) -> MatterFilter:
        return MatterFilter(
            month=self.month,
            unit=self.unit.pk if self.unit is not None else None,
            community=self.community.pk if self.community is not None else None,
            public_only=self.public_only,
        )

    def matters(self) -> Any:
        return list_matters(self.list_kind, self.matter_filter())

    def title(self) -> str:
        """长乐山工业园区党委 任务清单（2022年6月，基建办）: the root unit, the list, what it is cut to."""
        root = _root_unit()
        name = (root.short_name or root.name) if root is not None else ""
        scope = []
        if self.month is not None:
            scope.append(f"{self.month.year}年{self.month.month}月")
        scope += [u.name for u in (self.unit, self.community) if u is not None]
        suffix = f"（{'，'.join(scope)}）" if scope else ""
        return f"{name} {LIST_TITLES[self.list_kind]}{suffix}".strip()

    def filename(self, file_format: str) -> str:
        parts = [LIST_TITLES[self.list_kind]]
        if self.month is not None:
            parts.append(f"{self.month.year}-{self.month.month:02d}")
        parts += [u.name for u in (self.unit, self.community) if u is not None]
        if self.public_only:
            parts.append("公开")
        return "_".join(parts) + "." + file_format


def _root_unit() -> Unit | None:
    from campaigns.selectors import campaign_current
    from org.selectors import root_unit

    campaign = campaign_current()
    return campaign.organiser if campaign is not None else root_unit()


@dataclass
class Row:
    """What a list row is made of: a matter's own fields and the names of its leads and units, in order."""

    problem: str
    task: str
    deadline: dt.date | None
    deadline_precision: str
    remarks: str
    all_communities: bool
    completed_at: dt.datetime | None
    effect: str
    satisfaction: str
    leads: list[str]
    units: list[str]

    FIELDS = ("problem", "task", "deadline", "deadline_precision", "remarks", "all_communities", "completed_at",
              "effect", "satisfaction")  # fmt: skip


def matter_cells(matter: Matter, list_kind: str, *, public: bool = False, mask: bool = False) -> dict[str, str]:
    """One matter as the list's cells; leads one per line (as the seed writes them), units joined by 、."""
    leads = sorted(matter.leads.all(), key=lambda p: (p.unit.order if p.unit_id else 0, p.pk))
    units = sorted(matter.units.all(), key=lambda u: (u.order, u.name, u.pk))
    own = {name: getattr(matter, name) for name in Row.FIELDS}
    row = Row(**own, leads=[p.name for p in leads], units=[u.name for u in units])
    return row_cells(row, list_kind, public=public, mask=mask)


def row_cells(source: Row, list_kind: str, *, public: bool = False, mask: bool = False) -> dict[str, str]:
    """A row's cells. The public version masks phone, ID and door numbers typed into the text; `mask` masks
    phone and ID numbers for back-office readers without the right to see reporters (see core.privacy)."""
    row = {
        cells.PROBLEM: source.problem,
        cells.TASK: source.task,
        cells.DEADLINE: cells.format_deadline(source.deadline, source.deadline_precision),
        cells.LEADS: "\n".join(source.leads),
        cells.UNITS: cells.join_units(source.units, source.all_communities),
        cells.REMARKS: source.remarks,
    }
    if list_kind == "effects":
        completed = timezone.localdate(source.completed_at) if source.completed_at else None
        row[cells.COMPLETED] = cells.format_day(completed)
        row[cells.EFFECT] = source.effect
        row[cells.SATISFACTION] = SATISFACTION_LABELS.get(source.satisfaction, "")
    if public or mask:
        from core.privacy import mask_numbers, redact

        for column in (cells.PROBLEM, cells.TASK, cells.REMARKS, cells.EFFECT):
            if column in row:
                row[column] = redact(row[column]) if public else mask_numbers(row[column])
    return row


CHUNK = 2000


def list_rows(spec: ListSpec) -> Iterator[list[str]]:
    """The list's data rows in column order, numbered from 1.

    Read as plain values, 2,000 matters at a time with their leads' and units' names in two more
    queries: a province's list of 100,000 rows is written in seconds and in constant memory.
    """
    columns = spec.columns
    number = 0
    ids_and_fields = spec.matters().prefetch_related(None).values_list("pk", *Row.FIELDS)
    chunk: list[tuple[Any, ...]] = []
    for values in ids_and_fields.iterator(chunk_size=CHUNK):
        chunk.append(values)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk, spec, columns, number)
            number += len(chunk)
            chunk = []
    yield from _chunk_rows(chunk, spec, columns, number)


def _chunk_rows(chunk: list[tuple[Any, ...]], spec: ListSpec, columns: list[str], number: int) -> Iterator[list[str]]:
    if not chunk:
        return
    ids = [values[0] for values in chunk]
    leads: dict[int, list[tuple[int, int, str]]] = {}
    for matter_id, order, person_id, name in Matter.leads.through.objects.filter(matter_id__in=ids).values_list(
        "matter_id", "person__unit__order", "person_id", "person__name"
    ):
        leads.setdefault(matter_id, []).append((order or 0, person_id, name))
    units: dict[int, list[tuple[int, str, int]]] = {}
    for matter_id, order, name, unit_id in Matter.units.through.objects.filter(matter_id__in=ids).values_list(
        "matter_id", "unit__order", "unit__name", "unit_id"
    ):
        units.setdefault(matter_id, []).append((order, name, unit_id))
    for offset, (pk, *fields) in enumerate(chunk, start=1):
        row = Row(
            **dict(zip(Row.FIELDS, fields, strict=True)),
            leads=[name for _o, _p, name in sorted(leads.get(pk, []))],
            units=[name for _o, name, _u in sorted(units.get(pk, []))],
        )
        values = row_cells(row, spec.list_kind, public=spec.public_only, mask=spec.mask_numbers)
        values[cells.NUMBER] = str(number + offset)
        yield [values.get(c, "") for c in columns]


def export(
    spec: ListSpec,
    file_format: str,
    out: IO[bytes],
    *,
    count: Callable[[Iterator[list[str]]], Iterable[list[str]]] | None = None,
) -> None:
    """Write the list in `file_format` to a binary file object; `count` wraps the rows (a job's progress)."""
    writer = {"xlsx": write_xlsx, "docx": write_docx, "csv": write_csv, "pdf": write_pdf}[file_format]
    rows = list_rows(spec)
    writer(spec.title(), spec.columns, count(rows) if count is not None else rows, out)


# --- csv -----------------------------------------------------------------------------------------------


def csv_chunks(title: str, columns: list[str], rows: Iterable[list[str]]) -> Iterator[bytes]:
    """UTF-8 with a BOM, so that Excel and WPS open the Chinese text; the title in the first row.

    Every column of the lists is text (序号 and the dates are written as the seed writes them), so every cell goes
    through core.spreadsheet.csv_safe: quoted, and neutralised where a spreadsheet would take it for a formula.
    """
    from core.spreadsheet import csv_records

    yield "\ufeff".encode()
    for record in csv_records(itertools.chain([[title], columns], rows)):
        yield record.encode("utf-8")


def write_csv(title: str, columns: list[str], rows: Iterable[list[str]], out: IO[bytes]) -> None:
    for chunk in csv_chunks(title, columns, rows):
        out.write(chunk)


# --- xlsx ----------------------------------------------------------------------------------------------


def write_xlsx(title: str, columns: list[str], rows: Iterable[list[str]], out: IO[bytes]) -> None:
    """Title row, bold frozen header on grey, wrapped bordered text, every cell text (2022.6 stays 2022.6).

    Streamed (core.xlsx): memory does not grow with the number of rows.
    """
    from core import xlsx

    def styled() -> Iterator[tuple[int, list[str]]]:
        yield xlsx.TITLE, [title]
        yield xlsx.HEADER, columns
        for row in rows:
            yield xlsx.BODY, row

    xlsx.write(
        out,
        title=title.split(" ")[-1],
        rows=styled(),
        widths=[WIDTHS.get(c, 12) for c in columns],
        frozen_rows=2,
    )


# --- docx ----------------------------------------------------------------------------------------------


def write_docx(title: str, columns: list[str], rows: Iterable[list[str]], out: IO[bytes]) -> None:
    """A real Word table on landscape A4, the header row repeated on every page."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)  # type: ignore[attr-defined]
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), "宋体")
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(16)

    total = sum(WIDTHS.get(c, 12) for c in columns)
    widths = [Mm(267 * WIDTHS.get(c, 12) / total) for c in columns]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for index, (cell, column) in enumerate(zip(header.cells, columns, strict=True)):
        cell.width = widths[index]
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(column).bold = True
    for values in rows:
        row_cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(row_cells, values, strict=True)):
            cell.width = widths[index]
            lines = value.split("\n") if value else [""]
            cell.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:  # one paragraph per lead, as the seed's table has them
                cell.add_paragraph(line)
    document.save(out)


# --- pdf -----------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _face_index(path: str, wanted: str = "Noto Sans CJK SC") -> int:
    """The Simplified Chinese face of a Noto CJK collection (.ttc); 0 if it cannot be told."""
    try:
        from fontTools.ttLib import TTCollection

        collection = TTCollection(path, lazy=True)
        for index, font in enumerate(collection.fonts):
            if font["name"].getDebugName(4) == wanted:
                return index
    except Exception:  # noqa: S110  # an unreadable collection still has a face 0
        pass
    return 0


def cjk_font_paths() -> tuple[str, str | None]:
    regular = getattr(settings, "MINQING_CJK_FONT", CJK_FONT)
    bold = getattr(settings, "MINQING_CJK_FONT_BOLD", CJK_FONT_BOLD)
    if not Path(regular).is_file():
        raise ExportError(
            _(
                "The PDF export needs the Noto Sans CJK font, which is not installed (%(path)s). "
                "Install it with: apt-get install fonts-noto-cjk"
            )
            % {"path": regular}
        )
    return regular, bold if bold and Path(bold).is_file() else None


def write_pdf(title: str, columns: list[str], rows: Iterable[list[str]], out: IO[bytes]) -> None:
    """Landscape A4 with Noto Sans CJK (Simplified Chinese face); long cells wrap inside their row."""
    from fpdf import FPDF, FontFace
    from fpdf.enums import WrapMode

    regular, bold = cjk_font_paths()
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter logs every glyph at INFO
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("Minqing")
    pdf.add_font("NotoSansCJK", "", regular, collection_font_number=_face_index(regular))
    if bold is not None:
        pdf.add_font("NotoSansCJK", "B", bold, collection_font_number=_face_index(bold, "Noto Sans CJK SC Bold"))
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=10)
    pdf.add_page()
    pdf.set_font("NotoSansCJK", "B" if bold else "", 14)
    pdf.cell(w=0, h=10, text=title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("NotoSansCJK", "", 9)
    headings = FontFace(emphasis="BOLD" if bold else None, fill_color=(233, 236, 239))
    with pdf.table(
        col_widths=tuple(WIDTHS.get(c, 12) for c in columns),
        text_align="LEFT",
        v_align="TOP",
        line_height=4.6,
        padding=1.2,
        wrapmode=WrapMode.CHAR,  # Chinese has no spaces to break at
        headings_style=headings,
        repeat_headings=1,
    ) as table:
        table.row(columns)
        for values in rows:
            table.row(values)
    out.write(bytes(pdf.output()))


def export_bytes(spec: ListSpec, file_format: str) -> bytes:
    buffer = io.BytesIO()
    export(spec, file_format, buffer)
    return buffer.getvalue()
