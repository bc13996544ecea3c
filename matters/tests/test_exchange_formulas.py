"""CSV and formula injection through the list exchange: what a spreadsheet would evaluate is exported neutralised
(CSV) or as strings (xlsx), imported as the text it is, and never stored as a formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from campaigns.models import Campaign
from core.spreadsheet import csv_unescape, is_formula_like
from core.text import clean_text
from matters.exchange import cells, exporter, importer
from matters.models import Matter
from matters.tests.conftest import exchange_csv, exchange_seed_rows, exchange_xlsx

pytestmark = pytest.mark.usefixtures("exchange_english")

PAYLOADS = [
    '=HYPERLINK("http://evil","点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "＝1",
    " =1+1",
    "\u200b@SUM(A1:A9)",
]


def _seed_with(problems: list[str]) -> list[list[str]]:
    """The seed's table with the first problems replaced."""
    rows = exchange_seed_rows()
    problem = rows[0].index(cells.PROBLEM)
    for row, text in zip(rows[1:], problems, strict=False):
        row[problem] = text
    return rows


def _export(list_kind: str, file_format: str, **spec: object) -> bytes:
    return exporter.export_bytes(exporter.ListSpec(list_kind=list_kind, **spec), file_format)  # type: ignore[arg-type]


def _csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _patch_sheet(data: bytes, cell: str, replacement: str) -> bytes:
    """The workbook with one cell's XML replaced (openpyxl cannot write a formula's saved value)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text, count = re.subn(rf'<c r="{cell}"[^>]*>.*?</c>', replacement, content.decode("utf-8"))
                assert count == 1, f"no cell {cell}"
                content = text.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def test_formula_like_problems_are_imported_as_text_and_exported_neutralised_in_csv(exchange_org: Campaign) -> None:
    report = importer.import_table(name="附件二.csv", data=exchange_csv(_seed_with(PAYLOADS)), actor=None)
    assert report.written, report.errors
    # The importer trims every cell, as a person would expect, and drops invisible characters, as every text field does.
    stored = [clean_text(text.strip()) for text in PAYLOADS]
    for text in stored:
        assert Matter.objects.filter(problem=text).exists(), text
    for list_kind in ("problems", "tasks"):
        for public in (False, True):
            data = _export(list_kind, "csv", public_only=public)
            rows = _csv_cells(data)
            problems = [row[1] for row in rows[2:]]
            assert [cell for cell in problems if cell.startswith("'")] == ["'" + text for text in stored]
            assert not any(is_formula_like(cell) for row in rows for cell in row), (list_kind, public)
            assert b'"\'=HYPERLINK(""http://evil"",""\xe7\x82\xb9\xe6\x88\x91"")"' in data  # quoted, quotes doubled
            assert [csv_unescape(cell) for cell in problems[: len(stored)]] == stored


def test_the_exported_csv_and_xlsx_read_back_as_the_text_they_were_made_of(exchange_org: Campaign) -> None:
    assert importer.import_table(name="附件二.csv", data=exchange_csv(_seed_with(PAYLOADS)), actor=None).written
    for file_format in ("csv", "xlsx"):
        report = importer.import_plan(name=f"tasks.{file_format}", data=_export("tasks", file_format))
        assert report.ok, report.errors
        # The same problems, so the same import keys: every row is recognised as the one already imported.
        assert report.existing_count == 17 and report.new_count == 0, file_format
        assert [row.problem for row in report.rows[: len(PAYLOADS)]] == [clean_text(text.strip()) for text in PAYLOADS]


def test_the_xlsx_export_writes_formula_like_text_as_strings_never_as_formulas(exchange_org: Campaign) -> None:
    assert importer.import_table(name="附件二.csv", data=exchange_csv(_seed_with(PAYLOADS)), actor=None).written
    first = Matter.objects.get(problem=PAYLOADS[1])
    Matter.objects.filter(pk=first.pk).update(remarks="\t=1+1", task="-2+3")  # a leading tab the importer trims
    for list_kind in ("problems", "tasks"):
        data = _export(list_kind, "xlsx")
        xml = _sheet_xml(data)
        assert not re.search(r"<f[\s>/]", xml), "no formula element anywhere in the sheet"
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        written = {cell.value: cell.data_type for row in sheet.iter_rows(min_row=3) for cell in row if cell.value}
        for text in [*(clean_text(p.strip()) for p in PAYLOADS), "\t=1+1", "-2+3"]:
            assert written.get(text) == "s", (list_kind, text)


def test_a_tab_before_a_formula_in_any_column_is_neutralised_in_csv(exchange_org: Campaign) -> None:
    assert importer.import_table(name="附件二.csv", data=exchange_csv(exchange_seed_rows()), actor=None).written
    matter = Matter.objects.order_by("reported_at", "id").first()
    assert matter is not None
    Matter.objects.filter(pk=matter.pk).update(problem="\t=1", remarks="\r=2", task="@SUM(A1)")
    row = _csv_cells(_export("tasks", "csv"))[2]
    assert (row[1], row[2], row[6]) == ("'\t=1", "'@SUM(A1)", "'\r=2")


def test_a_formula_cell_of_an_uploaded_workbook_is_read_as_its_saved_value(exchange_org: Campaign) -> None:
    data = exchange_xlsx(exchange_seed_rows())  # the title in row 1, the header in row 2, matter 1 in row 3
    formula = '<c r="B3" t="str"><f>CONCAT("赵罗路","路灯不亮")</f><v>赵罗路路灯不亮（公式）</v></c>'
    empty_text = '<c r="G3" t="str"><f>IF(A3="","","备注")</f><v></v></c>'  # a formula whose result is ""
    data = _patch_sheet(_patch_sheet(data, "B3", formula), "G3", empty_text)
    report = importer.import_table(name="附件二.xlsx", data=data, actor=None)
    assert report.written, report.errors
    matter = Matter.objects.get(problem="赵罗路路灯不亮（公式）")
    assert matter.remarks == "" and "CONCAT" not in matter.problem


def test_a_workbook_whose_formulas_were_never_calculated_is_refused_naming_the_cell(exchange_org: Campaign) -> None:
    rows = exchange_seed_rows()
    rows[2][1] = '=CONCAT("赵罗路","路灯不亮")'  # openpyxl saves a formula without a value
    report = importer.import_table(name="附件二.xlsx", data=exchange_xlsx(rows), actor=None)
    assert not report.written and not Matter.objects.exists()
    [error] = report.file_errors
    assert "B4" in error.message and "formula" in error.message and "save" in error.message


def test_a_text_cell_of_an_uploaded_workbook_that_begins_with_an_equals_sign_is_stored_as_that_text(
    exchange_org: Campaign,
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in _seed_with(['=HYPERLINK("http://evil","点我")']):
        sheet.append(values)
    sheet["B2"].data_type = "s"  # a string cell, as Excel saves text typed after an apostrophe
    out = io.BytesIO()
    workbook.save(out)
    assert importer.import_table(name="附件二.xlsx", data=out.getvalue(), actor=None).written
    assert Matter.objects.filter(problem='=HYPERLINK("http://evil","点我")').exists()
    assert _csv_cells(_export("problems", "csv"))[2][1] == '\'=HYPERLINK("http://evil","点我")'
