"""The rendering tests: every downloadable file opened in LibreOffice and printed to PDF, then read back.

What is checked is what a reader sees on the printed pages: how many pages, that every column fits the page
width, that no cell's text is clipped (each cell's text is all on the page), and that Chinese is set in a CJK
font. LibreOffice missing fails these tests (see tests.rendering.office), it never skips them.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from core.documents.linebreak import NO_LINE_START
from matters.exchange import cells
from tests.rendering.conftest import LISTS, OFFICE_FORMATS, Made
from tests.rendering.office import Rendered

# The files are made from the database (the session fixture asks for it; the mark makes pytest-django set it up).
pytestmark = pytest.mark.django_db

A4_LANDSCAPE = (842, 595)
A4_PORTRAIT = (595, 842)
LIST_FILES = [f"{kind}.{fmt}" for kind in LISTS for fmt in (*OFFICE_FORMATS, "pdf")]
ALL_FILES = [*LIST_FILES, "week-grid.xlsx", "duty-report.docx", "duty-report.pdf", "poster.pdf"]
PORTRAIT = {"duty-report.docx", "duty-report.pdf", "poster.pdf"}


def _near(size: tuple[float, float], expected: tuple[int, int]) -> bool:
    return all(abs(a - b) < 3 for a, b in zip(size, expected, strict=True))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_file_prints_on_a4_in_its_orientation_with_its_chinese_in_a_cjk_font(
    rendered: dict[str, Rendered], name: str
) -> None:
    pdf = rendered[name]
    assert _near(pdf.page_size, A4_PORTRAIT if name in PORTRAIT else A4_LANDSCAPE), pdf.page_size
    assert any("NotoSansCJK" in font or "NotoSerifCJK" in font for font in pdf.fonts()), pdf.fonts()
    width, height = pdf.page_size
    outside = [w for w in pdf.words() if w.x_min < 0 or w.x_max > width + 0.5 or w.y_max > height + 0.5]
    assert outside == [], f"text outside the page in {name}: {outside[:3]}"


@pytest.mark.parametrize("name", LIST_FILES)
def test_each_list_has_every_column_header_on_page_one_and_every_cell_whole(
    rendered: dict[str, Rendered], made: Made, name: str
) -> None:
    pdf = rendered[name]
    columns = cells.EFFECT_COLUMNS if name.startswith("effects") else cells.ATTACHMENT2_COLUMNS
    page_one = _squeeze(pdf.text(1))
    missing = [header for header in columns if header not in page_one]
    assert missing == [], f"{missing} not on page 1 of {name}"
    # Table cells wrap over lines that text extraction interleaves with their neighbours': count characters.
    wanted = Counter(_squeeze("".join(cell for row in made.rows[name.split(".")[0]] for cell in row)))
    missing_chars = wanted - pdf.characters()
    assert not missing_chars, f"{sum(missing_chars.values())} characters of {name} not printed: {missing_chars}"
    assert pdf.overlapping_words() == [], f"text printed over other text in {name}"


@pytest.mark.parametrize("name", LIST_FILES)
def test_each_list_prints_its_title_month_and_issuing_unit_and_numbers_its_pages(
    rendered: dict[str, Rendered], name: str
) -> None:
    pdf = rendered[name]
    page_one = _squeeze(pdf.text(1))
    assert "清单" in page_one and "长乐山工业园区" in page_one
    if not name.endswith(".xlsx"):  # the sheet's own title row; the documents add the month and the unit
        assert "月份：全部" in page_one and "制表单位：" in page_one
    assert pdf.pages >= 1
    last = _squeeze(pdf.text(pdf.pages))
    assert f"第{pdf.pages}页共{pdf.pages}页" in last


def test_the_long_lists_take_more_than_one_page_and_repeat_the_header_on_each(rendered: dict[str, Rendered]) -> None:
    for name in ("tasks.xlsx", "tasks.docx", "tasks.pdf"):
        pdf = rendered[name]
        assert pdf.pages >= 2, name
        for page in range(1, pdf.pages + 1):
            assert "任务清单" in _squeeze(pdf.text(page)) and "责任领导" in _squeeze(pdf.text(page)), (name, page)


def test_the_docx_columns_keep_their_widths_the_task_column_wider_than_the_remarks(
    rendered: dict[str, Rendered],
) -> None:
    words = [w for w in rendered["tasks.docx"].words() if w.page == 1]
    header = {w.text: w for w in words if w.text in cells.ATTACHMENT2_COLUMNS}
    # Headers are centred in their columns: the distance between centres is half a column plus half the next.
    centre = {name: (w.x_min + w.x_max) / 2 for name, w in header.items()}
    task_span = centre["完成时限"] - centre["问题清单"]  # half the problem, the task, half the deadline column
    remarks_span = centre["备注"] - centre["责任部门社区"]
    assert task_span > 3 * remarks_span


def test_no_line_of_our_pdfs_starts_with_a_closing_mark(rendered: dict[str, Rendered]) -> None:
    for name in ("problems.pdf", "tasks.pdf", "effects.pdf", "duty-report.pdf"):
        starts = [line.strip()[:1] for line in rendered[name].text().splitlines() if line.strip()]
        # -layout keeps the table's columns side by side: look at every cell's line start, not only the line's.
        cell_starts = [
            part[:1] for line in rendered[name].text().splitlines() for part in re.split(r"\s{2,}", line) if part
        ]
        assert not [s for s in [*starts, *cell_starts] if s in NO_LINE_START], name


def test_our_pdfs_have_page_numbers_and_the_date_they_were_made_in_the_footer(rendered: dict[str, Rendered]) -> None:
    for name in ("tasks.pdf", "duty-report.pdf"):
        pdf = rendered[name]
        for page in range(1, pdf.pages + 1):
            text = _squeeze(pdf.text(page))
            assert f"第{page}页共{pdf.pages}页" in text, (name, page)
            assert "2022.6.28" in text, (name, page)


def test_the_week_grid_prints_every_column_on_one_page_width(rendered: dict[str, Rendered]) -> None:
    pdf = rendered["week-grid.xlsx"]
    page_one = _squeeze(pdf.text(1))
    for header in ("序号", "姓名", "达标周数"):
        assert header in page_one, header
    assert "2022-W23" in page_one


def test_the_duty_report_prints_its_sections_and_the_poster_its_code(rendered: dict[str, Rendered], made: Made) -> None:
    for name in ("duty-report.docx", "duty-report.pdf"):
        text = _squeeze(rendered[name].flat_text())
        assert "杨立新" in text and "述职" in text, name
    assert rendered["poster.pdf"].pages == 1
    assert made.poster_code in rendered["poster.pdf"].flat_text()
