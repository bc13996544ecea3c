"""A Document as a PDF (fpdf2): A4 with Noto Sans CJK embedded, tables whose header repeats on every page.

`new_pdf` is the start every PDF shares (the page, the title, the fonts); drawings such as the rating poster
begin there too. Lines are broken here, by Chinese rules (core.documents.linebreak), and handed to fpdf2 as
lines: its own wrapping would start a line with "。" or "，".
"""

from __future__ import annotations

import logging
from typing import IO, Any

from core.documents.fonts import BOLD_FACE, cjk_font_paths, face_index
from core.documents.linebreak import break_lines
from core.documents.model import PAGE_LABEL, Document, Image

FONT = "NotoSansCJK"
HEADING_FILL = (233, 236, 239)
# Characters Noto Sans CJK has no glyph for, and the mark Chinese forms use instead.
MISSING_GLYPHS = str.maketrans({"✗": "×"})
CELL_PADDING = 1.2
FOOTER_ROOM_MM = 6  # the footer line sits 12 mm above the page's foot: the text stops above it
# fpdf2 measures a line a little differently from the sum of its characters: keep this much (mm) in hand.
WRAP_SLACK = 0.6


def new_pdf(
    *,
    title: str,
    landscape: bool = False,
    header: str = "",
    footer: str = "",
    page_numbers: bool = False,
    page_label: str = PAGE_LABEL,
    generated: str = "",
) -> tuple[Any, str]:
    """An empty A4 PDF with the CJK font registered; returns it and the style of bold ("B", or "" without it)."""
    from fpdf import FPDF

    class Pages(FPDF):  # type: ignore[misc]
        def header(self) -> None:
            if header:
                self.set_font(FONT, "", 8)
                self.cell(w=0, h=5, text=header, align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(2)

        def footer(self) -> None:
            if footer or page_numbers or generated:
                self.set_y(-12)
                self.set_font(FONT, "", 8)
                numbers = page_label.format(page=self.page_no(), pages="{nb}") if page_numbers else ""
                self.cell(w=0, h=5, text="    ".join(t for t in (footer, numbers, generated) if t), align="C")

    regular, bold = cjk_font_paths()
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter logs every glyph at INFO
    pdf = Pages(orientation="L" if landscape else "P", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("Minqing")
    pdf.add_font(FONT, "", regular, collection_font_number=face_index(regular))
    if bold is not None:
        pdf.add_font(FONT, "B", bold, collection_font_number=face_index(bold, BOLD_FACE))
    return pdf, "B" if bold is not None else ""


def write_pdf(document: Document, out: IO[bytes]) -> None:
    """The title centred, then each section: its title, its lines, its table (long cells wrap inside their row)."""
    from fpdf import FontFace
    from fpdf.enums import WrapMode

    layout = document.layout
    pdf, strong = new_pdf(
        title=document.title,
        landscape=layout.landscape,
        header=document.header,
        footer=document.footer,
        page_numbers=document.page_numbers,
        page_label=document.page_label,
        generated=document.generated,
    )
    pdf.set_margins(layout.pdf_margin_mm, layout.pdf_margin_mm, layout.pdf_margin_mm)
    footed = bool(document.footer or document.page_numbers or document.generated)
    pdf.set_auto_page_break(True, margin=layout.pdf_margin_mm + (FOOTER_ROOM_MM if footed else 0))
    pdf.add_page()
    pdf.set_font(FONT, strong, layout.pdf_title_pt)
    pdf.multi_cell(w=0, h=layout.pdf_title_line_mm, text=document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    if document.subtitle:
        pdf.set_font(FONT, "", 10)
        for line in document.subtitle:
            pdf.multi_cell(w=0, h=6, text=wrapped(pdf, line, pdf.epw), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(layout.pdf_after_title_mm)
    headings = FontFace(emphasis="BOLD" if strong else None, fill_color=HEADING_FILL)
    for part in document.sections:
        if part.title:
            pdf.ln(2)
            pdf.set_font(FONT, strong, 12)
            pdf.cell(w=0, h=8, text=part.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        for line in part.lines:
            text = wrapped(pdf, line, pdf.epw)
            pdf.multi_cell(w=0, h=6, text=text, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        for image in part.images:
            _image(pdf, image)
        if part.table is None:
            continue
        if layout.pdf_before_table_mm:
            pdf.ln(layout.pdf_before_table_mm)
        pdf.set_font(FONT, "", 9)
        total = sum(part.table.widths)
        text_widths = [pdf.epw * w / total - 2 * CELL_PADDING for w in part.table.widths]
        with pdf.table(
            col_widths=tuple(part.table.widths),
            text_align="LEFT",
            v_align="TOP",
            line_height=4.6,
            padding=CELL_PADDING,
            wrapmode=WrapMode.CHAR,  # Chinese has no spaces to break at
            headings_style=headings,
            repeat_headings=1,
        ) as table:
            table.row(list(part.table.headers))
            for values in part.table.rows:
                table.row(
                    [
                        wrapped(pdf, v.translate(MISSING_GLYPHS), width)
                        for v, width in zip(values, text_widths, strict=True)
                    ]
                )
        if layout.pdf_after_table_mm:
            pdf.ln(layout.pdf_after_table_mm)
    out.write(bytes(pdf.output()))


CAPTION_LINE_MM = 5


def _image(pdf: Any, image: Image) -> None:
    """The picture centred at most the usable width, on the next page when it (with its caption) would not fit."""
    import io

    from PIL import Image as Picture

    with Picture.open(io.BytesIO(image.png)) as picture:
        ratio = picture.height / picture.width
    width = min(image.width_mm, pdf.epw)
    height = width * ratio
    needed = height + (CAPTION_LINE_MM + 2 if image.caption else 0) + 2
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(1)
    x = pdf.l_margin + (pdf.epw - width) / 2
    pdf.image(io.BytesIO(image.png), x=x, y=pdf.get_y(), w=width, h=height)
    pdf.set_y(pdf.get_y() + height + 1)
    if image.caption:
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(
            w=0, h=CAPTION_LINE_MM, text=wrapped(pdf, image.caption, pdf.epw), align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(FONT, "", 10)
    pdf.ln(1)


def wrapped(pdf: Any, text: str, width: float) -> str:
    """The text broken into lines that fit `width` (mm) in the current font, by Chinese rules, joined by newlines."""
    return "\n".join(break_lines(text, width - WRAP_SLACK, pdf.get_string_width))
