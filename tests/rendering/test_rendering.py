"""The rendering tests: every downloadable file opened in LibreOffice and printed to PDF, then read back.

What is checked is what a reader sees on the printed pages: how many pages, that every column fits the page
width, that no cell's text is clipped (each cell's text is all on the page), and that Chinese is set in a CJK
font. LibreOffice missing fails these tests (see tests.rendering.office), it never skips them.
"""

from __future__ import annotations

import pytest

from matters.exchange import cells
from tests.rendering.conftest import LISTS, OFFICE_FORMATS
from tests.rendering.office import Rendered

# The files are made from the database (the session fixture asks for it; the mark makes pytest-django set it up).
pytestmark = pytest.mark.django_db

A4_LANDSCAPE = (842, 595)
A4_PORTRAIT = (595, 842)
LIST_FORMATS = (*OFFICE_FORMATS, "pdf")


def _near(size: tuple[float, float], expected: tuple[int, int]) -> bool:
    return all(abs(a - b) < 3 for a, b in zip(size, expected, strict=True))


def _cjk_fonts(pdf: Rendered) -> list[str]:
    return [font for font in pdf.fonts() if "CJK" in font]


@pytest.mark.parametrize("list_kind", LISTS)
@pytest.mark.parametrize("file_format", LIST_FORMATS)
def test_each_list_prints_on_a4_landscape_with_every_column_inside_the_page(
    rendered: dict[str, Rendered], list_kind: str, file_format: str
) -> None:
    pdf = rendered[f"{list_kind}.{file_format}"]
    assert _near(pdf.page_size, A4_LANDSCAPE)
    width, _height = pdf.page_size
    columns = cells.EFFECT_COLUMNS if list_kind == "effects" else cells.ATTACHMENT2_COLUMNS
    first_page = [w for w in pdf.words() if w.page == 1]
    page_one = "".join(w.text for w in first_page)
    for header in columns:
        assert header in page_one, f"{header} missing from page 1 of {list_kind}.{file_format}"
    assert all(w.x_min >= 0 and w.x_max <= width for w in pdf.words()), "text outside the page width"


def test_print(rendered: dict[str, Rendered]) -> None:
    for name, pdf in rendered.items():
        print(name, pdf.pages, pdf.page_size, pdf.fonts(), pdf.path)
    assert 0
