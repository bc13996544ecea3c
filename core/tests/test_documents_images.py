"""The image part of a document: a PNG centred on the page in the Word file and in the PDF, its caption under it."""

from __future__ import annotations

import io

import docx
import pytest
from docx.shared import Mm
from PIL import Image as Picture
from pypdf import PdfReader

from core.documents import Document, Image, Section, write_docx, write_pdf


def png(width: int = 800, height: int = 400, colour: tuple[int, int, int] = (30, 90, 160)) -> bytes:
    out = io.BytesIO()
    Picture.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def chart_document(width_mm: float = 160, images: int = 1) -> Document:
    pictures = [
        Image(png(colour=(30, 90, 160 + n)), width_mm, caption=f"图{n + 1} 每月受理事项") for n in range(images)
    ]
    return Document(title="月度汇报材料", sections=[Section(title="图表", lines=["说明。"], images=pictures)])


def test_a_word_file_holds_the_picture_at_its_width_with_its_caption_under_it() -> None:
    out = io.BytesIO()
    write_docx(chart_document(), out)
    word = docx.Document(io.BytesIO(out.getvalue()))
    shapes = word.inline_shapes
    assert len(shapes) == 1
    assert abs(shapes[0].width - Mm(160)) < Mm(0.1)
    assert abs(shapes[0].height - Mm(80)) < Mm(0.1)  # the picture keeps its proportions
    texts = [p.text for p in word.paragraphs]
    assert texts.index("图1 每月受理事项") == texts.index("说明。") + 2  # the picture's paragraph, then the caption


def test_a_picture_wider_than_the_page_is_shrunk_to_the_width_between_the_margins() -> None:
    out = io.BytesIO()
    write_docx(chart_document(width_mm=400), out)
    assert docx.Document(io.BytesIO(out.getvalue())).inline_shapes[0].width == Mm(170)  # 210 mm less two 20 mm


def test_a_pdf_holds_the_picture_and_its_caption_and_moves_a_picture_that_would_not_fit_to_a_new_page() -> None:
    out = io.BytesIO()
    write_pdf(chart_document(images=4), out)  # four pictures 80 mm high: two to a page at most
    reader = PdfReader(io.BytesIO(out.getvalue()))
    pictures = [len(page.images) for page in reader.pages]
    assert sum(pictures) == 4 and max(pictures) <= 3 and len(reader.pages) >= 2
    text = "".join(page.extract_text().replace("\x00", "") for page in reader.pages)
    assert "图4 每月受理事项" in text


def test_an_image_needs_a_positive_width() -> None:
    with pytest.raises(ValueError, match="positive width"):
        Image(png(), 0)
