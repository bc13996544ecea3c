"""The monthly pack as the committee prints it: the .docx through LibreOffice (in the session's one soffice run) and
our own PDF, page by page: A4 portrait, nothing past the page's width, Chinese in an embedded CJK font, every page
numbered "第 X 页 共 Y 页", the charts on the pages and every list row whole."""

from __future__ import annotations

import re
import subprocess
from collections import Counter

import pytest

from tests.rendering.conftest import Made
from tests.rendering.office import Rendered

pytestmark = pytest.mark.django_db

PACK_FILES = ["pack.docx", "pack.pdf"]
A4_PORTRAIT = (595, 842)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", PACK_FILES)
def test_every_page_of_the_pack_is_a4_portrait_with_nothing_past_its_width(
    rendered: dict[str, Rendered], name: str
) -> None:
    pdf = rendered[name]
    assert all(abs(a - b) < 3 for a, b in zip(pdf.page_size, A4_PORTRAIT, strict=True)), pdf.page_size
    width, height = pdf.page_size
    words = pdf.words()
    assert {w.page for w in words} == set(range(1, pdf.pages + 1))  # no page is empty
    outside = [w for w in words if w.x_min < 0 or w.x_max > width + 0.5 or w.y_max > height + 0.5]
    assert outside == [], f"text outside the page in {name}: {outside[:3]}"
    assert pdf.overlapping_words() == [], name


@pytest.mark.parametrize("name", PACK_FILES)
def test_the_packs_chinese_is_set_in_an_embedded_cjk_font(rendered: dict[str, Rendered], name: str) -> None:
    listing = subprocess.run(["pdffonts", str(rendered[name].path)], capture_output=True, text=True, check=True)
    cjk = [line.split() for line in listing.stdout.splitlines()[2:] if "CJK" in line]
    assert cjk, listing.stdout
    assert all("yes" in columns[-5:-2] for columns in cjk), listing.stdout  # emb column: embedded (subset)


@pytest.mark.parametrize("name", PACK_FILES)
def test_every_page_of_the_pack_is_numbered_and_the_first_has_its_title(
    rendered: dict[str, Rendered], name: str
) -> None:
    pdf = rendered[name]
    assert pdf.pages > 3
    for page in range(1, pdf.pages + 1):
        assert f"第{page}页共{pdf.pages}页" in _squeeze(pdf.text(page)), (name, page)
    assert "民情工作月度汇报材料（2022年6月）" in _squeeze(pdf.text(1))


@pytest.mark.parametrize("name", PACK_FILES)
def test_the_pack_prints_its_charts_and_every_list_row_whole(
    rendered: dict[str, Rendered], made: Made, name: str
) -> None:
    pdf = rendered[name]
    images = subprocess.run(["pdfimages", "-list", str(pdf.path)], capture_output=True, text=True, check=True)
    assert len(images.stdout.splitlines()[2:]) >= len(made.pack["charts"]), images.stdout
    text = pdf.flat_text()
    for chart in made.pack["charts"]:
        assert _squeeze(chart["title"]) in text, chart["title"]
    # Table cells wrap over lines that text extraction interleaves with their neighbours': count characters.
    assert all(part["rows"] for part in made.pack["lists"])
    wanted = Counter(_squeeze("".join(cell for part in made.pack["lists"] for row in part["rows"] for cell in row)))
    missing = wanted - pdf.characters()
    assert not missing, f"{sum(missing.values())} characters of the lists not printed in {name}: {missing}"
    for section in ("一、本月主要指标", "三、本月三张清单", "四、逾期事项", "六、每周履职未达标情况"):
        assert section in text, section
