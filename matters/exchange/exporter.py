"""The problem, task and effect lists as files in attachment 2's columns: xlsx, docx, csv and pdf.

The files are the park's own document format, so the title, the column names and the satisfaction
labels are written in Chinese whatever the interface language; the importer reads these files back.
Rows are fetched with `iterator()` and written as they come where the library allows (csv, xlsx).
Only the list's columns are written: never a reporter's name or phone.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.documents import SHEET, Document, Section, Table, write_docx, write_pdf, xlsx
from core.documents.csv_text import write_csv
from core.tables.cells import format_day
from matters.exchange import cells
from matters.kinds import KindSpec, kind_specs
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
@dataclass
class ListSpec:
    """Which list, for which month, unit and community, and whether it is the public version."""

    list_kind: str = "tasks"
    month: dt.date | None = None
    unit: Unit | None = None
    community: Unit | None = None
    public_only: bool = False
    mask_numbers: bool = False  # for readers without the right to see reporters: phone and ID numbers masked
    # One kind of matter only ("" for all): the list then has that kind's own columns too (matters.kinds).
    kind: str = ""

    def __post_init__(self) -> None:
        if self.list_kind not in LIST_KINDS:
            raise ValueError(f"unknown list {self.list_kind!r}")

    @property
    def kind_spec(self) -> KindSpec | None:
        return kind_specs().get(self.kind) if self.kind else None

    @property
    def kind_columns(self) -> list[str]:
        spec = self.kind_spec
        return [str(column.label) for column in spec.columns] if spec is not None else []

    @property
    def columns(self) -> list[str]:
        base = cells.EFFECT_COLUMNS if self.list_kind == "effects" else cells.ATTACHMENT2_COLUMNS
        return [*base, *self.kind_columns]

    def matter_filter(self) -> MatterFilter:
        return MatterFilter(
            kind=self.kind,
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

    def subtitle(self) -> list[str]:
        """The line under the title: the month the list covers and the unit that issues it."""
        root = _root_unit()
        month = f"{self.month.year}年{self.month.month}月" if self.month is not None else "全部"
        parts = [f"月份：{month}"]
        if root is not None:
            parts.append(f"制表单位：{root.name}")
        return ["　　".join(parts)]

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
        row[cells.COMPLETED] = format_day(completed)
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
    own = kind_cells(spec, ids)
    for offset, (pk, *fields) in enumerate(chunk, start=1):
        row = Row(
            **dict(zip(Row.FIELDS, fields, strict=True)),
            leads=[name for _o, _p, name in sorted(leads.get(pk, []))],
            units=[name for _o, name, _u in sorted(units.get(pk, []))],
        )
        values = row_cells(row, spec.list_kind, public=spec.public_only, mask=spec.mask_numbers)
        values[cells.NUMBER] = str(number + offset)
        values.update(own.get(pk, {}))
        yield [values.get(c, "") for c in columns]


def kind_cells(spec: ListSpec, ids: list[int]) -> dict[int, dict[str, str]]:
    """The cells of the kind's own columns for these matters, in one query (masked like the list's text)."""
    kind = spec.kind_spec
    if kind is None or not kind.columns:
        return {}
    from core.privacy import mask_numbers, redact

    details = kind.details_for([Matter(pk=pk) for pk in ids])
    found: dict[int, dict[str, str]] = {}
    for pk in ids:
        detail = details.get(pk)
        row = {}
        for column in kind.columns:
            text = "" if (value := column.value(detail)) is None else str(value)
            row[str(column.label)] = redact(text) if spec.public_only else mask_numbers(text) if spec.mask_numbers else text
        found[pk] = row
    return found


def list_document(
    title: str, columns: list[str], rows: Iterable[list[str]], *, subtitle: list[str] | None = None
) -> Document:
    """The list as a document: one wide table under its title, month and unit on landscape pages, numbered
    "第 N 页 共 M 页" with the day it was made."""
    table = Table(headers=columns, rows=rows, widths=[WIDTHS.get(c, 12) for c in columns], centre_headers=True)
    return Document(
        title=title,
        sections=[Section(table=table)],
        layout=SHEET,
        subtitle=subtitle or [],
        page_numbers=True,
        generated=f"生成日期：{format_day(timezone.localdate())}",
    )


def export(
    spec: ListSpec,
    file_format: str,
    out: IO[bytes],
    *,
    count: Callable[[Iterator[list[str]]], Iterable[list[str]]] | None = None,
) -> None:
    """Write the list in `file_format` to a binary file object; `count` wraps the rows (a job's progress).

    DocumentError when the PDF's font is missing.
    """
    title, columns, rows = spec.title(), spec.columns, list_rows(spec)
    counted = count(rows) if count is not None else rows
    if file_format == "xlsx":
        write_xlsx(title, columns, counted, out)
    elif file_format == "csv":
        write_csv(title, columns, counted, out)
    else:
        document = list_document(title, columns, counted, subtitle=spec.subtitle())
        {"docx": write_docx, "pdf": write_pdf}[file_format](document, out)


def write_xlsx(title: str, columns: list[str], rows: Iterable[list[str]], out: IO[bytes]) -> None:
    """Title row merged across the table, bold frozen header on grey repeated on every printed page, wrapped
    bordered text, 序号 a number and every other cell text (2022.6 stays 2022.6).

    Streamed (core.documents.xlsx): memory does not grow with the number of rows.
    """

    numbered = bool(columns) and columns[0] == cells.NUMBER

    def styled() -> Iterator[tuple[int, list[xlsx.Value]]]:
        yield xlsx.TITLE, [title]
        yield xlsx.HEADER, list(columns)
        for row in rows:
            values: list[xlsx.Value] = list(row)
            if numbered and row[0].isdecimal():
                values[0] = int(row[0])  # 序号 a number Excel can sort and count
            yield xlsx.BODY, values

    xlsx.write(
        out,
        title=title.split(" ")[-1],
        rows=styled(),
        widths=[WIDTHS.get(c, 12) for c in columns],
        frozen_rows=2,
        repeat_row=2,
        merge_title=True,
    )


def export_bytes(spec: ListSpec, file_format: str) -> bytes:
    buffer = io.BytesIO()
    export(spec, file_format, buffer)
    return buffer.getvalue()
