"""Cells that a spreadsheet opens as what they are: text that Excel, WPS or LibreOffice would evaluate is neutralised.

OWASP's CSV-injection guidance: a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to a spreadsheet (``=HYPERLINK("http://evil",…)`` sends what it is given elsewhere, ``=cmd|…`` started
programs through DDE). Such a text cell is written with a leading apostrophe, which spreadsheets show as text, and
every text cell is quoted. Spreadsheets also read past leading spaces and take full-width ``＝＋－＠`` for their
ASCII forms, so those count too.

Only text is neutralised: a number (a budget of -5) is written as the number it is, unquoted, so a numeric column
stays numeric. The readers (``csv_unescape``) undo exactly this neutralisation, so an export read back gives the
text that was exported, and a stored ``=HYPERLINK(…)`` is exported neutralised again.

The .xlsx writers do not need the apostrophe: their text cells are strings (``core.xlsx`` writes inline strings;
``text_cell`` makes an openpyxl cell one), which no spreadsheet evaluates.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

FORMULA_STARTS = frozenset("=+-@")
CONTROL_STARTS = frozenset("\t\r")
APOSTROPHE = "'"


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet evaluate this text? It begins (after spaces and invisible characters) with = + - @ or
    their full-width forms, or with a tab or a carriage return."""
    for char in text:
        if char in CONTROL_STARTS:
            return True
        if char.isspace() or unicodedata.category(char) == "Cf":  # spaces, zero-width and direction marks
            continue
        return unicodedata.normalize("NFKC", char) in FORMULA_STARTS
    return False


def csv_safe(value: Any) -> Any:
    """One cell for a CSV writer: text neutralised with a leading apostrophe if a spreadsheet would evaluate it;
    numbers as they are (so that -5 stays the number -5); None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        # Text typed with apostrophes before a formula gets one more, so that csv_unescape gives it back whole.
        return APOSTROPHE + value if is_formula_like(value.lstrip(APOSTROPHE)) else value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    return value


def csv_unescape(text: str) -> str:
    """A cell read from a CSV file without the apostrophe ``csv_safe`` put before formula-like text."""
    if text.startswith(APOSTROPHE) and is_formula_like(text.lstrip(APOSTROPHE)):
        return text[1:]
    return text


class _Echo:
    """A file-like object whose write returns what it was given: lets csv.writer feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_records(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV record: text cells neutralised (``csv_safe``) and quoted, numbers unquoted."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_NONNUMERIC)
    for row in rows:
        yield writer.writerow([csv_safe(value) for value in row])


def text_cell(sheet: Any, value: Any) -> Any:
    """An openpyxl write-only cell of `value`; text stays text (openpyxl makes a string that begins with = a
    formula unless told otherwise)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
