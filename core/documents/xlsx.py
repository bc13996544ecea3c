"""A streaming .xlsx writer for long lists: one sheet of text cells, written row by row into the zip.

openpyxl builds a Python object per cell; a province's effect list has a million cells, which takes it
a minute with styles. This writes the sheet's XML directly, with four fixed styles, so memory stays flat
and 100,000 rows take seconds. The files are plain SpreadsheetML (ECMA-376) that Excel, WPS and
LibreOffice open; openpyxl reads them back in the tests. Every cell is an inline string (or empty): nothing
written here is ever a formula, whatever the text begins with (see core.spreadsheet).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO
from xml.sax.saxutils import escape, quoteattr

# Style indexes into cellXfs below.
PLAIN, TITLE, HEADER, BODY = 0, 1, 2, 3

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
<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
# Fonts: 0 normal, 1 bold, 2 bold 14 pt. Fills: 0 none, 1 gray125 (both required), 2 light grey.
# Borders: 0 none, 1 thin grey. Number format 49 is text ("@"): 2022.6 stays 2022.6.
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFE9ECEF"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color rgb="FF999999"/></left><right style="thin"><color rgb="FF999999"/></right><top style="thin"><color rgb="FF999999"/></top><bottom style="thin"><color rgb="FF999999"/></bottom><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="49" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
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


def write(
    out: IO[bytes],
    *,
    title: str,
    rows: Iterable[tuple[int, Sequence[str]]],
    widths: Sequence[float] = (),
    frozen_rows: int = 0,
) -> int:
    """Write a one-sheet workbook to `out`; `rows` yields (style, values). Returns the number of rows."""
    letters = [column_letter(i) for i in range(1, 16385)]
    count = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(name=quoteattr(sheet_name(title))))
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            head = [
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
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
                cells = "".join(
                    f'<c r="{letters[i]}{count}" t="inlineStr" s="{style}"><is><t xml:space="preserve">'
                    f"{escape(_ILLEGAL.sub('', value))}</t></is></c>"
                    if value
                    else f'<c r="{letters[i]}{count}" s="{style}"/>'  # empty, but bordered like its row
                    for i, value in enumerate(values)
                )
                buffer.append(f'<row r="{count}">{cells}</row>')
                if len(buffer) >= 500:
                    raw.write("".join(buffer).encode())
                    buffer = []
            buffer.append("</sheetData></worksheet>")
            raw.write("".join(buffer).encode())
    return count
