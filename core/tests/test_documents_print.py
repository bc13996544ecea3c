"""How our files print: Chinese line breaking, Word's table widths and page numbers, the sheet's print setup.

The rendered pages themselves are checked in tests/rendering (LibreOffice); these check the files' parts that
make them print so, and fail with a precise reason.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.oxml.ns import qn
from openpyxl import load_workbook

from core.documents import SHEET, Document, Section, Table, write_docx, xlsx
from core.documents.linebreak import NO_LINE_END, NO_LINE_START, break_lines

WIDTHS = [7, 34, 52, 12, 11, 16, 10]
HEADERS = ["序号", "问题清单", "任务清单", "完成时限", "责任领导", "责任部门社区", "备注"]


def one(_char: str) -> float:
    return 1.0


def test_no_line_starts_with_a_closing_mark_the_character_before_it_moves_down_with_it() -> None:
    lines = break_lines("一二三四五六七，八九十。", 7, one)
    assert lines == ["一二三四五六", "七，八九十。"]
    for text in (
        "居民反映赵罗湾、悦馨家园附近赵罗路道路较窄，且有破损。",
        "（一）加强领导；（二）压实责任：“三个到位”！",
    ):
        for width in range(3, 15):
            lines = break_lines(text, width, one)
            assert "".join(lines) == text  # nothing lost, nothing added
            assert all(len(line) <= width for line in lines)
            assert not [line for line in lines[1:] if line[0] in NO_LINE_START], (width, lines)
            assert not [line for line in lines[:-1] if line[-1] in NO_LINE_END], (width, lines)


def test_an_opening_mark_never_ends_a_line_and_a_short_latin_word_stays_whole() -> None:
    assert break_lines("一二三四五六（七）", 7, one) == ["一二三四五六", "（七）"]
    assert break_lines("拟投入资金2022年", 7, one) == ["拟投入资金", "2022年"]
    assert break_lines("第一行\n第二行", 10, one) == ["第一行", "第二行"]


def _docx() -> docx.document.Document:
    rows = [[str(n), "问题" * 20, "任务" * 30, "2022.6", "邹国柱\n曾湛涛", "基建办、各社区", ""] for n in (1, 2)]
    document = Document(
        title="长乐山工业园区党委 任务清单",
        sections=[Section(table=Table(HEADERS, rows, WIDTHS, centre_headers=True))],
        layout=SHEET,
        subtitle=["月份：2022年6月　　制表单位：长乐山工业园区党委"],
        page_numbers=True,
    )
    out = io.BytesIO()
    write_docx(document, out)
    return docx.Document(io.BytesIO(out.getvalue()))


def test_the_word_table_grid_table_width_and_cells_carry_the_column_widths_with_a_fixed_layout() -> None:
    table = _docx().tables[0]._tbl
    grid = [int(c.get(qn("w:w"))) for c in table.tblGrid.findall(qn("w:gridCol"))]
    assert grid[2] > 4 * grid[0] and grid[2] > grid[1] > grid[5] > grid[6]  # the task wide, the remarks narrow
    width = table.tblPr.find(qn("w:tblW"))
    assert width.get(qn("w:type")) == "dxa" and abs(int(width.get(qn("w:w"))) - sum(grid)) <= 1
    assert abs(sum(grid) - round((297 - 2 * 15) * 1440 / 25.4)) <= len(grid)  # the width between the margins
    assert table.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    cells = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in table.tr_lst[1].tc_lst]  # type: ignore[union-attr]
    assert all(abs(c - g) <= 2 for c, g in zip(cells, grid, strict=True))


def test_the_word_file_is_zh_cn_landscape_with_the_month_and_unit_under_the_title_and_page_n_of_m() -> None:
    document = _docx()
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert [p.text for p in document.paragraphs[:2]] == [
        "长乐山工业园区党委 任务清单",
        "月份：2022年6月　　制表单位：长乐山工业园区党委",
    ]
    section = document.sections[0]
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210  # type: ignore[union-attr]
    footer = section.footer.paragraphs[0]._p
    texts = "".join(t.text for t in footer.iter(qn("w:t")))
    fields = [i.text.strip() for i in footer.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert re.sub(r"\d", "", texts) == "第  页 共  页"  # "第 {PAGE} 页 共 {NUMPAGES} 页"


def test_a_narrow_column_is_widened_to_its_header_so_the_header_never_breaks() -> None:
    table = Table(["序号", "责任部门社区", "任务清单"], [], [1, 1, 98])
    widths = table.widths_mm(267, char_mm=3.6, padding_mm=2)
    assert widths[0] >= 2 * 3.6 + 2 and widths[1] >= 6 * 3.6 + 2
    assert abs(sum(widths) - 267) < 0.01


def _sheet_xml(**kwargs: object) -> tuple[object, str, str]:
    out = io.BytesIO()
    rows = [
        (xlsx.TITLE, ["长乐山工业园区 任务清单"]),
        (xlsx.HEADER, ["序号", "问题清单", "完成时限"]),
        (xlsx.BODY, [1, "短", "2022.6"]),
        (xlsx.BODY, [2, "长" * 60, "2022.6"]),
    ]
    xlsx.write(out, title="任务清单", rows=rows, widths=[6, 20, 12], frozen_rows=2, **kwargs)  # type: ignore[arg-type]
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet, book = archive.read("xl/worksheets/sheet1.xml").decode(), archive.read("xl/workbook.xml").decode()
    return load_workbook(io.BytesIO(data)).worksheets[0], sheet, book


def test_the_sheet_prints_a4_landscape_one_page_wide_with_the_header_repeated_and_the_title_merged() -> None:
    sheet, xml, _book = _sheet_xml(repeat_row=2, merge_title=True)
    setup = sheet.page_setup  # type: ignore[attr-defined]
    assert setup.orientation == "landscape" and setup.paperSize == 9  # 9 is A4
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0  # one page wide, as many pages long as it takes
    assert sheet.sheet_properties.pageSetUpPr.fitToPage  # type: ignore[attr-defined]
    assert sheet.print_title_rows == "$2:$2"  # type: ignore[attr-defined]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:C1"]  # type: ignore[attr-defined]
    assert "第 &amp;P 页 共 &amp;N 页" in xml


def test_numbers_are_numbers_and_rows_are_as_tall_as_their_wrapped_text() -> None:
    sheet, _xml, _book = _sheet_xml()
    assert sheet["A3"].value == 1 and sheet["A3"].data_type == "n"  # type: ignore[index]
    assert sheet["C3"].value == "2022.6" and sheet["C3"].data_type == "s"  # type: ignore[index]
    short, long = sheet.row_dimensions[3].height, sheet.row_dimensions[4].height  # type: ignore[attr-defined]
    # 60 Chinese characters in a column 20 wide (8 a line): 8 lines, where one line is one line high.
    assert short == xlsx.LINE_PT + xlsx.CELL_PAD_PT
    assert long >= 8 * xlsx.LINE_PT
