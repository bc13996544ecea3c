"""CSV cells a spreadsheet would evaluate are neutralised; numbers stay numbers; readers undo exactly that."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.spreadsheet import csv_records, csv_safe, csv_unescape, is_formula_like, text_cell

# OWASP's first characters, the same after spaces and invisible characters, and their full-width forms.
FORMULAS = [
    '=HYPERLINK("http://evil","点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "＝1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    " =1+1",
    "\u3000=1+1",  # an ideographic space first
    "\u200b=1+1",  # a zero-width space first
    "\n=cmd|' /C calc'!A0",
]
ORDINARY = ["赵罗路路灯不亮", "2022.6", "1", "", "a=b", "拟投入资金20万元", "'引号开头", "—", "（-5度）"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(text: str) -> None:
    assert is_formula_like(text)
    assert csv_safe(text) == "'" + text
    assert csv_unescape(csv_safe(text)) == text


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_written_as_it_is(text: str) -> None:
    assert not is_formula_like(text)
    assert csv_safe(text) == text == csv_unescape(text)


def test_a_negative_number_stays_a_number_and_only_text_is_neutralised() -> None:
    [record] = csv_records([[Decimal("-5"), -5, -2.5, "-5", None, "预算-5元"]])
    assert record == '-5,-5,-2.5,"\'-5","","预算-5元"\r\n'
    assert next(csv.reader(io.StringIO(record))) == ["-5", "-5", "-2.5", "'-5", "", "预算-5元"]


def test_every_text_cell_is_quoted_and_the_quotes_inside_doubled() -> None:
    [record] = csv_records([['=HYPERLINK("http://evil","点我")', "路灯", "1"]])
    assert record == '"\'=HYPERLINK(""http://evil"",""点我"")","路灯","1"\r\n'


@pytest.mark.parametrize("text", ["'=1", "''+1", "'引号开头", "''", "'"])
def test_text_typed_with_apostrophes_reads_back_whole(text: str) -> None:
    assert csv_unescape(csv_safe(text)) == text
    assert not is_formula_like(csv_safe(text))


def test_an_openpyxl_text_cell_that_begins_with_an_equals_sign_is_written_as_a_string() -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("表")
    sheet.append([text_cell(sheet, value) for value in ('=HYPERLINK("http://evil","点我")', "+1+1", 5)])
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    cells = next(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())
    assert [(c.value, c.data_type) for c in cells] == [
        ('=HYPERLINK("http://evil","点我")', "s"),
        ("+1+1", "s"),
        (5, "n"),
    ]
