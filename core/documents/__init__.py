"""Documents out: A4 Word and PDF files with Chinese fonts, streamed spreadsheets and CSV.

- `model`: a `Document` as plain parts (title, sections of lines, `Image`s (PNG) and `Table`s with column widths, header, footer,
  page numbers) and its `Layout` (portrait or landscape, margins, sizes): `SHEET` for a wide list, `REPORT` for
  a report of sections.
- `word.write_docx`, `pdf.write_pdf`: the same document as .docx (宋体) and as PDF (Noto Sans CJK embedded), so that
  both files say the same thing; `pdf.new_pdf` starts a PDF for free drawing (the posters).
- `fonts`: where the CJK font is (`cjk_font_paths`, settings MINQING_CJK_FONT[_BOLD]), its Simplified Chinese
  face, `DocumentError` when it is missing.
- `xlsx.write`: a one-sheet workbook written row by row; `csv_text`: CSV for Excel and WPS.

A document is built once and handed to either writer::

    document = Document(
        title="长乐山工业园区 2022年6月 通报",
        sections=[
            Section(title="逾期事项", lines=["截至6月30日，以下事项逾期。"],
                    table=Table(headers=["单位", "事项", "逾期天数"], rows=rows, widths=[20, 60, 12])),
        ],
        layout=REPORT,
        footer="长乐山工业园区党工委",
        page_numbers=True,
    )
    write_docx(document, out)  # or write_pdf(document, out)
"""

from core.documents.fonts import DocumentError, cjk_font_paths
from core.documents.model import REPORT, SHEET, Document, Image, Layout, Section, Table
from core.documents.pdf import new_pdf, write_pdf
from core.documents.word import write_docx

__all__ = [
    "REPORT",
    "SHEET",
    "Document",
    "DocumentError",
    "Image",
    "Layout",
    "Section",
    "Table",
    "cjk_font_paths",
    "new_pdf",
    "write_docx",
    "write_pdf",
]
