"""A Document as a PDF (fpdf2): A4 with Noto Sans CJK embedded, tables whose header repeats on every page.

`new_pdf` is the start every PDF shares (the page, the title, the fonts); drawings such as the rating poster
begin there too.
"""

from __future__ import annotations

import logging
from typing import IO, Any

from core.documents.fonts import BOLD_FACE, cjk_font_paths, face_index
from core.documents.model import Document

FONT = "NotoSansCJK"
HEADING_FILL = (233, 236, 239)
# Characters Noto Sans CJK has no glyph for, and the mark Chinese forms use instead.
MISSING_GLYPHS = str.maketrans({"✗": "×"})


def new_pdf(
    *, title: str, landscape: bool = False, header: str = "", footer: str = "", page_numbers: bool = False
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
            if footer or page_numbers:
                self.set_y(-12)
                self.set_font(FONT, "", 8)
                numbers = f"{self.page_no()} / {{nb}}" if page_numbers else ""
                self.cell(w=0, h=5, text="    ".join(t for t in (footer, numbers) if t), align="C")

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
    )
    pdf.set_margins(layout.pdf_margin_mm, layout.pdf_margin_mm, layout.pdf_margin_mm)
    pdf.set_auto_page_break(True, margin=layout.pdf_margin_mm)
    pdf.add_page()
    pdf.set_font(FONT, strong, layout.pdf_title_pt)
    pdf.multi_cell(w=0, h=layout.pdf_title_line_mm, text=document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(layout.pdf_after_title_mm)
    headings = FontFace(emphasis="BOLD" if strong else None, fill_color=HEADING_FILL)
    for part in document.sections:
        if part.title:
            pdf.ln(2)
            pdf.set_font(FONT, strong, 12)
            pdf.cell(w=0, h=8, text=part.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        for line in part.lines:
            pdf.multi_cell(w=0, h=6, text=line, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        if part.table is None:
            continue
        if layout.pdf_before_table_mm:
            pdf.ln(layout.pdf_before_table_mm)
        pdf.set_font(FONT, "", 9)
        with pdf.table(
            col_widths=tuple(part.table.widths),
            text_align="LEFT",
            v_align="TOP",
            line_height=4.6,
            padding=1.2,
            wrapmode=WrapMode.CHAR,  # Chinese has no spaces to break at
            headings_style=headings,
            repeat_headings=1,
        ) as table:
            table.row(list(part.table.headers))
            for values in part.table.rows:
                table.row([v.translate(MISSING_GLYPHS) for v in values])
        if layout.pdf_after_table_mm:
            pdf.ln(layout.pdf_after_table_mm)
    out.write(bytes(pdf.output()))
