"""A Document as a Word file (.docx): A4, 宋体 for Chinese, real Word tables whose header repeats on every page.

Tables carry their widths three times, because office suites read different ones: the table grid (LibreOffice
and WPS lay a table out by its w:gridCol widths), each cell's width (Word), and the table's own width with a fixed
layout (so no suite re-balances the columns by their content). The document's East Asian language is zh-CN, so
shared Han characters take their Simplified Chinese forms.
"""

from __future__ import annotations

import re
from typing import IO, Any

from core.documents.model import Document, Image, Table

EAST_ASIAN_FONT = "宋体"
EAST_ASIAN_LANGUAGE = "zh-CN"
MM_PER_POINT = 25.4 / 72
CELL_MARGIN_MM = 1.0  # left and right, in every cell (Word's default, 1.9 mm, leaves narrow columns no room)
_PLACEHOLDER = re.compile(r"\{(page|pages)\}")


def twips(mm: float) -> int:
    """Millimetres as twentieths of a point, the unit of Word's table widths."""
    return round(mm * 1440 / 25.4)


def write_docx(document: Document, out: IO[bytes]) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    layout = document.layout
    word = docx.Document()
    normal = word.styles["Normal"]
    normal.font.size = Pt(layout.font_pt)  # type: ignore[attr-defined]
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    _east_asian_defaults(word)
    section = word.sections[0]
    if layout.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    width, height = layout.page_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(layout.margin_mm))
    word.core_properties.title = document.title
    if document.header:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(document.header)
    if document.footer or document.page_numbers or document.generated:
        _footer(section.footer.paragraphs[0], document, WD_ALIGN_PARAGRAPH.CENTER)
    heading = word.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(document.title)
    run.bold = True
    run.font.size = Pt(16)
    for line in document.subtitle:
        below = word.add_paragraph()
        below.alignment = WD_ALIGN_PARAGRAPH.CENTER
        below.add_run(line)
    usable_mm = width - 2 * layout.margin_mm
    for part in document.sections:
        if part.title:
            title_run = word.add_paragraph().add_run(part.title)
            title_run.bold = True
            title_run.font.size = Pt(13)
        for line in part.lines:
            word.add_paragraph(line)
        for image in part.images:
            _image(word, image, usable_mm)
        if part.table is not None:
            _table(word, part.table, usable_mm, layout.font_pt)
            if layout.space_after_table:
                word.add_paragraph()
    word.save(out)


def _image(word: Any, image: Image, usable_mm: float) -> None:
    """The picture centred in its own paragraph, at most the usable width, its caption centred under it."""
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = bool(image.caption)
    paragraph.add_run().add_picture(io.BytesIO(image.png), width=Mm(min(image.width_mm, usable_mm)))
    if image.caption:
        caption = word.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.add_run(image.caption).font.size = Pt(9)


def _table(word: Any, spec: Table, usable_mm: float, font_pt: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    widths_mm = spec.widths_mm(usable_mm, char_mm=font_pt * MM_PER_POINT, padding_mm=2 * CELL_MARGIN_MM)
    widths = [Mm(w) for w in widths_mm]
    table = word.add_table(rows=1, cols=len(spec.headers))
    table.style = "Table Grid"
    table.autofit = False
    _fix_widths(table, [twips(w) for w in widths_mm])
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for index, (cell, text) in enumerate(zip(header.cells, spec.headers, strict=True)):
        cell.width = widths[index]
        paragraph = cell.paragraphs[0]
        if spec.centre_headers:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    for values in spec.rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[index]
            lines = value.split("\n") if value else [""]
            cell.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:  # one paragraph a line, as the seed's table has its leads
                cell.add_paragraph(line)


def _footer(paragraph: Any, document: Document, alignment: Any) -> None:
    """The footer's text and, if asked, "page / pages" as Word fields (Word fills them in)."""
    paragraph.alignment = alignment
    if document.footer:
        paragraph.add_run(document.footer + ("    " if document.page_numbers else ""))
    if document.generated:
        paragraph.add_run(document.generated + ("    " if document.page_numbers else ""))
    if document.page_numbers:  # "第 {page} 页 共 {pages} 页": the text around the two fields
        for index, part in enumerate(_PLACEHOLDER.split(document.page_label)):
            if index % 2:
                _field(paragraph, "PAGE" if part == "page" else "NUMPAGES")
            elif part:
                paragraph.add_run(part)


def _east_asian_defaults(word: Any) -> None:
    """The styles' default run properties: East Asian text is zh-CN, in 宋体."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_default = defaults.find(qn("w:rPrDefault"))
    if run_default is None:
        run_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_default)
    properties = run_default.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_default.append(properties)
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)  # a theme font would win over 宋体
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)


def _fix_widths(table: Any, widths: list[int]) -> None:
    """The grid's column widths, the table's width and a fixed layout (twips)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(width))
    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        properties.append(table_width)
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(widths)))
    layout = properties.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        properties.append(layout)
    layout.set(qn("w:type"), "fixed")
    if properties.find(qn("w:tblCellMar")) is None:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(twips(CELL_MARGIN_MM)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        look = properties.find(qn("w:tblLook"))
        if look is not None:
            look.addprevious(margins)
        else:
            properties.append(margins)


def _field(paragraph: Any, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
