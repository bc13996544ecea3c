"""A file's bytes (.xlsx, .docx or .csv) → the rows of its table, the header found among the first rows by its names.

Offices' tables carry a title and notes above the header, merged cells, blank rows, the header repeated on every
page of a Word table, headers written 责任部门/社区 or *问题清单, UTF-8 or GB18030 text. The reader takes all of that;
what it cannot read it refuses with one translated sentence (`TableError`), never with a parser's exception.
Zip bombs and tables of a million cells are refused from the archive's directory, before any of it is parsed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from core.spreadsheet import csv_unescape
from core.tables.cells import CellError, header_key
from core.text import clean_text

HEADER_SCAN_ROWS = 20  # the header may sit below a title and a few notes, not further
MAX_ROWS = 5000  # an office's table is tens or hundreds of rows; more is a mistake or an attack
MAX_COLUMNS = 60
# A table of 5000 rows unpacks to a few MB. Every MB of sheet XML costs the reader about a second (openpyxl parses
# a whole sheet that names no dimension), so the limits are tight: a zip bomb, or a small file of a million tiny
# cells, is refused before any of it is parsed.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100  # unpacked/packed size of one member; office XML packs about 5–20 to 1
RATIO_FROM_BYTES = 1024 * 1024  # small members may pack better than that: they cost nothing to parse
# Formats of old office programs, and the format to save them as instead.
_OLD_FORMATS = {"xls": "xlsx", "et": "xlsx", "doc": "docx", "wps": "docx"}

Parse = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """One column of a table: its name as the table writes it, the other names offices give it, how it is read.

    The names are the file format, so they are not translated. `fields` are the names under which the services
    refuse what came from this column (the model's fields, the service's arguments): an importer files such a
    refusal under this column. The cell's text goes to the row's `attr`, through `parse` if given (a `CellError`
    becomes the cell's error); without `attr` the importer's `read` reads the cell.
    """

    name: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    fields: tuple[str, ...] = ()
    attr: str = ""
    parse: Parse | None = None

    def read(self, row: Any, text: str) -> None:
        """Set the row's `attr` (if it names one) from the cell: the text itself, or what `parse` makes of it.

        An empty optional cell is not parsed."""
        if not self.attr:
            return
        if self.parse is None:
            setattr(row, self.attr, text)
            return
        if not (text.strip() or self.required):
            return
        try:
            setattr(row, self.attr, self.parse(text))
        except CellError as exc:
            row.error(self.name, exc.message)


class TableError(Exception):
    """The file cannot be read as the table; the message is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SourceRow:
    number: int  # the row's number in the file (the spreadsheet row, the Word table row, the CSV record)
    cells: dict[str, str]  # column name → text

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Table:
    file_format: str
    header_row: int
    columns: list[str]
    rows: list[SourceRow] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    """What a table must look like: its columns, the formats it may come in, and what to say about others."""

    columns: Sequence[Column]
    formats: tuple[str, ...] = ("xlsx", "csv")
    format_hint: str = ""  # the sentence for a file of another format ("Upload the visit sheet as …")
    missing: Callable[[set[str]], list[str]] | None = None  # the needed columns a header lacks

    def aliases(self) -> dict[str, str]:
        return {header_key(name): c.name for c in self.columns for name in (c.name, *c.synonyms)}

    def lacking(self, found: set[str]) -> list[str]:
        if self.missing is not None:
            return self.missing(found)
        return [c.name for c in self.columns if c.required and c.name not in found]


def file_format(name: str, layout: Layout) -> str:
    """The format named by the file's extension; a clear refusal for anything else."""
    suffix = PurePath(name or "").suffix.lower().lstrip(".")
    kind = {"xlsm": "xlsx", "txt": "csv"}.get(suffix, suffix)
    if kind in layout.formats:
        return kind
    modern = _OLD_FORMATS.get(suffix)
    if modern in layout.formats:
        raise TableError(
            _("Old .%(suffix)s files cannot be read: save the file as .%(format)s and upload it again.")
            % {"suffix": suffix, "format": modern}
        )
    raise TableError(layout.format_hint or _("This kind of file cannot be read as a table."))


def read_table(name: str, data: bytes, layout: Layout) -> Table:
    """Read the table of a file; raise TableError, never anything else, on a bad file."""
    kind = file_format(name, layout)
    if not data:
        raise TableError(_("The file is empty."))
    try:
        if kind == "xlsx":
            return _first_table(kind, xlsx_sheets(data), layout)
        if kind == "docx":
            return _first_table(kind, _docx_tables(data), layout)
        return _locate(kind, csv_rows(data), layout)
    except TableError:
        raise
    except Exception as exc:  # a parser's own error on a damaged file; the user needs one clear sentence
        raise TableError(
            _("The file could not be read as %(format)s (%(detail)s). Open it, save it again and retry.")
            % {"format": kind, "detail": type(exc).__name__}
        ) from exc


def _check_zip(data: bytes, kind: str) -> None:
    label = {"xlsx": _("an Excel workbook (.xlsx)"), "docx": _("a Word document (.docx)")}[kind]
    if not data.startswith(b"PK\x03\x04"):
        raise TableError(
            _("This file is not %(what)s: it may be another kind of file renamed. Save the table as %(what)s.")
            % {"what": label}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise TableError(_("This file is not %(what)s, or it is damaged.") % {"what": label}) from None
    # The sizes are the archive's own claims; zipfile stops reading a member at its claimed size, so they bound
    # what parsing can unpack.
    unpacked = sum(info.file_size for info in members)
    packed_too_well = any(
        info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in members
    )
    if unpacked > MAX_UNPACKED_BYTES or packed_too_well:
        raise TableError(
            _("This file unpacks to far more than a list table (%(mb)d MB at most): it is refused.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    marker = "xl/" if kind == "xlsx" else "word/"
    if not any(n.startswith(marker) for n in names):
        raise TableError(
            _("This file is not %(what)s: it may be another kind of file renamed. Save the table as %(what)s.")
            % {"what": label}
        )


def _too_many_rows() -> TableError:
    return TableError(_("The table has more than %(n)d rows; split it.") % {"n": MAX_ROWS})


def _xlsx_text(value: Any, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        # A date typed as "2022-06" is stored as 2022-06-01 with a format without days: keep it a month.
        if "d" not in (number_format or "").lower():
            return f"{value.year}.{value.month}"
        return f"{value.year}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


_TEXT_TYPES = frozenset({"s", "str", "inlineStr"})
# A formula in a sheet's XML (<f>, or <x:f> under a prefix). Most sheets have none, and are then read only once.
_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _has_formulas(data: bytes) -> bool:
    """Whether any sheet holds a formula; the sizes were checked by _check_zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _FORMULA_ELEMENT.search(archive.read(info))
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        )


def xlsx_sheets(data: bytes) -> Iterator[list[tuple[int, list[str]]]]:
    """Each sheet of a workbook as numbered rows of text .

    A formula is read as the value Excel or WPS saved with it, which is what the person saw: offices number rows
    and join texts with formulas, so refusing them would make people paste values by hand, and the formula itself
    is never read or stored (a cell's text that begins with = is stored as that text, and exported neutralised,
    see core.spreadsheet). A formula saved without its value (a file a program wrote and no spreadsheet
    calculated) would read as an empty cell and lose what it stands for: such a file is refused, naming the cell.
    """
    import openpyxl

    _check_zip(data, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True) if _has_formulas(data) else None
    try:
        for index, sheet in enumerate(workbook.worksheets):
            rows: list[tuple[int, list[str]]] = []
            # Cells without a saved value; a formula whose result is empty text is saved as such (t="str").
            unsaved: set[tuple[int, int]] = set()
            for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
                if number > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise _too_many_rows()
                rows.append((number, [_xlsx_text(c.value, getattr(c, "number_format", "") or "") for c in row]))
                if formulas is not None:
                    unsaved.update(
                        (number, i) for i, c in enumerate(row) if c.value is None and c.data_type not in _TEXT_TYPES
                    )
            if formulas is not None:
                _refuse_unsaved_formulas(formulas.worksheets[index], len(rows), unsaved)
            yield rows
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()


def _refuse_unsaved_formulas(sheet: Any, row_count: int, unsaved: set[tuple[int, int]]) -> None:
    from openpyxl.utils import get_column_letter

    if not unsaved:
        return
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, max_row=row_count), start=1):
        for i, cell in enumerate(row):
            if cell.data_type == "f" and (number, i) in unsaved:
                raise TableError(
                    _(
                        "Cell %(cell)s of the sheet “%(sheet)s” holds a formula whose result was never saved "
                        "(the file was not last saved by Excel or WPS). Open the file in Excel or WPS and save it, "
                        "or paste the values instead of the formulas, then upload it again."
                    )
                    % {"cell": f"{get_column_letter(i + 1)}{number}", "sheet": sheet.title[:31]}
                )


def _docx_tables(data: bytes) -> Iterator[list[tuple[int, list[str]]]]:
    import docx

    _check_zip(data, "docx")
    document = docx.Document(io.BytesIO(data))
    if not document.tables:
        raise TableError(_("The document has no table: the list must be a Word table, not text."))
    for table in document.tables:
        rows: list[tuple[int, list[str]]] = []
        for number, row in enumerate(table.rows, start=1):
            if number > MAX_ROWS + HEADER_SCAN_ROWS:
                raise _too_many_rows()
            rows.append((number, [cell.text for cell in row.cells[:MAX_COLUMNS]]))
        yield rows


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what Excel and WPS save as "CSV" on Chinese Windows)."""
    # Anywhere in the file, not only near its start: a NUL in a cell cannot be stored (PostgreSQL refuses it).
    if b"\x00" in data:
        raise TableError(_("This file is not a text (CSV) table: it may be another kind of file renamed."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise TableError(_("The CSV file is neither UTF-8 nor GB18030 text; save it as “CSV UTF-8”.")) from None


def csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """A CSV file (comma or tab, UTF-8 or GB18030) as numbered rows of text."""
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if number > MAX_ROWS + HEADER_SCAN_ROWS:
                raise _too_many_rows()
            # Without the apostrophe an export put before formula-like text (core.spreadsheet): read back, our own
            # file gives the text it was made of; the text is stored as text either way.
            rows.append((number, [csv_unescape(cell) for cell in row[:MAX_COLUMNS]]))
    except csv.Error as exc:
        raise TableError(_("The CSV file is malformed near record %(n)d.") % {"n": len(rows) + 1}) from exc
    return rows


def _header_map(row: list[str], aliases: dict[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, text in enumerate(row):
        column = aliases.get(header_key(text))
        if column is not None and column not in found:
            found[column] = index
    return found


def _first_table(kind: str, candidates: Iterable[list[tuple[int, list[str]]]], layout: Layout) -> Table:
    """The first sheet or Word table that has the header; else the error about the first non-empty one."""
    first_error: TableError | None = None
    for rows in candidates:
        if not any(any(c.strip() for c in r) for _n, r in rows):
            continue
        try:
            return _locate(kind, rows, layout)
        except TableError as exc:
            first_error = first_error or exc
    raise first_error or TableError(_("The file has no rows."))


def _clean(text: str) -> str:
    """A cell as the services will keep it (core.text): a row's key and its stored text are then the same text."""
    return clean_text((text or "").replace("\r\n", "\n").replace("\r", "\n").strip())


def _locate(kind: str, rows: list[tuple[int, list[str]]], layout: Layout) -> Table:
    """Find the header among the first rows (a title may sit above it) and keep the non-empty rows below it."""
    if not any(any(c.strip() for c in r) for _n, r in rows):
        raise TableError(_("The file has no rows."))
    aliases = layout.aliases()
    best: tuple[int, dict[str, int]] | None = None
    for number, row in rows[:HEADER_SCAN_ROWS]:
        found = _header_map(row, aliases)
        if not layout.lacking(set(found)):
            best = (number, found)
            break
        if best is None or len(found) > len(best[1]):
            best = (number, found)
    if best is None or len(best[1]) < 2:
        needed = layout.lacking(set()) or [c.name for c in layout.columns]
        raise TableError(
            _("No header row found in the first %(n)d rows: the table needs the columns %(columns)s.")
            % {"n": HEADER_SCAN_ROWS, "columns": "、".join(needed)}
        )
    header_row, found = best
    missing = layout.lacking(set(found))
    if missing:
        raise TableError(
            _("The table (header in row %(row)d) has no column %(columns)s.")
            % {"row": header_row, "columns": "、".join(f"“{c}”" for c in missing)}
        )
    table = Table(file_format=kind, header_row=header_row, columns=list(found))
    for number, row in rows:
        if number <= header_row:
            continue
        values = {column: _clean(row[index]) if index < len(row) else "" for column, index in found.items()}
        if not any(values.values()):
            continue
        if not layout.lacking(set(_header_map(row, aliases))):
            continue  # the header repeated (a Word table split over pages, or two tables pasted together)
        table.rows.append(SourceRow(number=number, cells=values))
    if len(table.rows) > MAX_ROWS:
        raise _too_many_rows()
    return table
