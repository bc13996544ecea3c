"""Documents out: one Document, written as Word and as PDF, with the header, footer and page numbers it asks for."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from core.documents import REPORT, SHEET, Document, DocumentError, Section, Table, new_pdf, write_docx, write_pdf

ROWS = [[str(n), f"赵罗路第{n}段路灯不亮", "基建办"] for n in range(1, 121)]


def report(**options: object) -> Document:
    table = Table(headers=["序号", "问题", "责任单位"], rows=ROWS, widths=[8, 60, 20])
    sections = [Section(title="逾期事项", lines=["截至6月30日，以下事项逾期。"], table=table)]
    return Document(title="长乐山工业园区 通报", sections=sections, **options)  # type: ignore[arg-type]


def docx_of(document: Document) -> docx.document.Document:
    out = io.BytesIO()
    write_docx(document, out)
    return docx.Document(io.BytesIO(out.getvalue()))


def text_of(page: object) -> str:
    """A page's text as pypdf reads fpdf2's two-byte glyph codes (a NUL before each character)."""
    return page.extract_text().replace("\x00", "")  # type: ignore[attr-defined]


def pdf_of(document: Document) -> PdfReader:
    out = io.BytesIO()
    write_pdf(document, out)
    return PdfReader(io.BytesIO(out.getvalue()))


def test_the_word_and_the_pdf_file_say_the_same_thing() -> None:
    word = docx_of(report())
    pdf = pdf_of(report())
    text = "\n".join(text_of(page) for page in pdf.pages)
    assert [p.text for p in word.paragraphs[:3]] == ["长乐山工业园区 通报", "逾期事项", "截至6月30日，以下事项逾期。"]
    assert word.tables[0].rows[120].cells[1].text == "赵罗路第120段路灯不亮"
    assert pdf.metadata is not None and pdf.metadata.title == "长乐山工业园区 通报"
    assert word.core_properties.title == "长乐山工业园区 通报"
    assert "逾期事项" in text and "赵罗路第120段路灯不亮" in text and len(pdf.pages) > 1


def test_page_numbers_and_a_footer_are_on_every_page_of_both_files() -> None:
    document = report(footer="长乐山工业园区党工委", header="内部资料", page_numbers=True)
    pdf = pdf_of(document)
    pages = len(pdf.pages)
    for number, page in enumerate(pdf.pages, start=1):
        text = text_of(page)
        assert f"第 {number} 页 共 {pages} 页" in text and "长乐山工业园区党工委" in text and "内部资料" in text
    section = docx_of(document).sections[0]
    footer = section.footer.paragraphs[0]._p.xml
    assert "长乐山工业园区党工委" in footer and " PAGE " in footer and " NUMPAGES " in footer
    assert section.header.paragraphs[0].text == "内部资料"


def test_without_page_numbers_the_files_have_no_footer() -> None:
    assert not docx_of(report()).sections[0].footer.paragraphs[0].text
    assert "第 1 页" not in text_of(pdf_of(report()).pages[0])


def test_a_sheet_is_landscape_and_a_report_portrait() -> None:
    wide, tall = docx_of(report(layout=SHEET)).sections[0], docx_of(report(layout=REPORT)).sections[0]
    assert (wide.page_width or 0) > (wide.page_height or 0) and (tall.page_width or 0) < (tall.page_height or 0)
    box = pdf_of(report(layout=SHEET)).pages[0].mediabox
    assert box.width > box.height


def test_a_mark_the_chinese_font_lacks_is_written_as_the_mark_chinese_forms_use() -> None:
    table = Table(headers=["周", "达标"], rows=[["第23周", "✓"], ["第24周", "✗"]], widths=[20, 20])
    document = Document(title="周职责", sections=[Section(table=table)])
    text = text_of(pdf_of(document).pages[0])
    assert "×" in text and "✗" not in text
    assert docx_of(document).tables[0].rows[2].cells[1].text == "✗"  # Word has a font with the mark


def test_a_table_needs_one_width_per_column() -> None:
    with pytest.raises(ValueError, match="one width per column"):
        Table(headers=["a", "b"], rows=[], widths=[1])


def test_without_the_chinese_font_a_pdf_is_refused_naming_the_package(settings: object) -> None:
    settings.MINQING_CJK_FONT = "/nonexistent/NotoSansCJK-Regular.ttc"  # type: ignore[attr-defined]
    with pytest.raises(DocumentError, match="apt-get install fonts-noto-cjk"):
        new_pdf(title="x")
