"""A streaming .xlsx writer for long lists: one sheet of cells, written row by row into the zip.

openpyxl builds a Python object per cell; a province's effect list has a million cells, which takes it
a minute with styles. This writes the sheet's XML directly, with four fixed styles, so memory stays flat
and 100,000 rows take seconds. The files are plain SpreadsheetML (ECMA-376) that Excel, WPS and
LibreOffice open; openpyxl reads them back in the tests. A text cell is an inline string, a number (int, float,
Decimal) a number Excel can sum; nothing written here is ever a formula, whatever the text begins with (see
core.spreadsheet).

The sheet prints as the park sends it: A4 landscape fitted to one page wide, the header row repeated on every
page, the title merged across the table, page numbers in the footer, and every row as tall as its wrapped text
(spreadsheets do not grow a row for wrapped text on their own: the height is estimated from the column widths).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape, quoteattr

# Style indexes into cellXfs below: SHORT is a body cell on pale yellow (a week short of its duties).
PLAIN, TITLE, HEADER, BODY, NUMBER, SHORT = 0, 1, 2, 3, 4, 5
Value = str | int | float | Decimal
# Row heights (points) for Calibri 11 with a CJK fallback font, whose lines are taller than Latin ones.
LINE_PT = 16.0
TITLE_PT = 26.0
CELL_PAD_PT = 4.0
DEFAULT_WIDTH = 9.0

# Characters XML 1.0 cannot carry (a pasted form feed would make the file unreadable).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets>{names}
</workbook>"""
# Fonts: 0 normal, 1 bold, 2 bold 14 pt. Fills: 0 none, 1 gray125 (both required), 2 light grey.
# Borders: 0 none, 1 thin grey. Number format 49 is text ("@"): 2022.6 stays 2022.6.
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFE9ECEF"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFF3CD"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color rgb="FF999999"/></left><right style="thin"><color rgb="FF999999"/></right><top style="thin"><color rgb="FF999999"/></top><bottom style="thin"><color rgb="FF999999"/></bottom><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="49" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf>
<xf numFmtId="49" fontId="0" fillId="3" borderId="1" xfId="0" applyNumberFormat="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(title: str) -> str:
    """A valid sheet name: at most 31 characters, none of []:*?/\\."""
    return _SHEET_NAME_BAD.sub("_", title)[:31] or "Sheet1"


def text_width(text: str) -> float:
    """How wide a line is in Excel's column unit (the width of a "0"): a Chinese character takes about two.

    Every character outside ASCII counts as wide (Chinese text and its full-width marks): fast for long lists.
    """
    narrow = len(text.encode("ascii", "ignore"))
    return 1.1 * narrow + 2.2 * (len(text) - narrow)


def row_height(values: Sequence[Value], widths: Sequence[float], style: int) -> float:
    """Points for a row whose wrapped text shows whole in columns of `widths` (a title row: the title's size)."""
    if style == TITLE:
        return TITLE_PT
    rooms = [max(1.0, w - 1.2) for w in widths]
    return _lines(values, rooms) * LINE_PT + CELL_PAD_PT


def _lines(values: Sequence[Value], rooms: list[float]) -> int:
    """The most lines any cell of the row wraps into (`rooms`: the text's width in each column)."""
    lines = 1
    columns = len(rooms)
    for index, value in enumerate(values):
        if value.__class__ is not str or not value:
            continue
        room = rooms[index] if index < columns else DEFAULT_WIDTH - 1.2
        text: str = value  # type: ignore[assignment]
        if len(text) * 2.2 <= room and "\n" not in text:  # fits on one line whatever its characters
            continue
        count = 0
        for part in text.split("\n"):
            count += max(1, math.ceil(text_width(part) / room))
        if count > lines:
            lines = count
    return lines


def _cell(ref: str, style: int, value: Value) -> str:
    kind = value.__class__
    if kind is str:
        if not value:
            return f'<c r="{ref}" s="{style}"/>'  # empty, but bordered like its row
        text = escape(_ILLEGAL.sub("", value))  # type: ignore[arg-type]
        return f'<c r="{ref}" t="inlineStr" s="{style}"><is><t xml:space="preserve">{text}</t></is></c>'
    if kind is Decimal:
        return f'<c r="{ref}" s="{NUMBER}"><v>{value:f}</v></c>'
    if kind is int or kind is float:
        return f'<c r="{ref}" s="{NUMBER}"><v>{value}</v></c>'
    return _cell(ref, style, str(value))  # anything else (a bool, a subclass) as its text


def _print_titles(name: str, repeat_row: int) -> str:
    if not repeat_row:
        return ""
    quoted = "'" + name.replace("'", "''") + "'"
    return (
        f'\n<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'
        f"{escape(quoted)}!${repeat_row}:${repeat_row}</definedName></definedNames>"
    )


_PAGE = (
    '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" footer="0.3"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    "<headerFooter><oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter></headerFooter>"
)


def write(
    out: IO[bytes],
    *,
    title: str,
    rows: Iterable[tuple[int, Sequence[Value]]],
    widths: Sequence[float] = (),
    frozen_rows: int = 0,
    repeat_row: int = 0,
    merge_title: bool = False,
) -> int:
    """Write a one-sheet workbook to `out`; `rows` yields (style, values). Returns the number of rows.

    `repeat_row` is the row printed at the top of every page (the header); `merge_title` merges the first row
    across the columns of `widths` (the title above the table).
    """
    letters = [column_letter(i) for i in range(1, 16385)]
    rooms = [max(1.0, w - 1.2) for w in widths]
    count = 0
    name = sheet_name(title)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr(
            "xl/workbook.xml", _WORKBOOK.format(name=quoteattr(name), names=_print_titles(name, repeat_row))
        )
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            head = [
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            ]
            if frozen_rows:
                top = f"A{frozen_rows + 1}"
                head.append(
                    '<sheetViews><sheetView workbookViewId="0">'
                    f'<pane ySplit="{frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                    f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>'
                )
            if widths:
                cols = "".join(
                    f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1)
                )
                head.append(f"<cols>{cols}</cols>")
            head.append("<sheetData>")
            raw.write("".join(head).encode())
            buffer: list[str] = []
            for style, values in rows:
                count += 1
                cells = "".join(_cell(f"{letters[i]}{count}", style, value) for i, value in enumerate(values))
                height = TITLE_PT if style == TITLE else _lines(values, rooms) * LINE_PT + CELL_PAD_PT
                buffer.append(f'<row r="{count}" ht="{height}" customHeight="1">{cells}</row>')
                if len(buffer) >= 500:
                    raw.write("".join(buffer).encode())
                    buffer = []
            buffer.append("</sheetData>")
            if merge_title and count and len(widths) > 1:
                buffer.append(f'<mergeCells count="1"><mergeCell ref="A1:{letters[len(widths) - 1]}1"/></mergeCells>')
            buffer.append(_PAGE + "</worksheet>")
            raw.write("".join(buffer).encode())
    return count
