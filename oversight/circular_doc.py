"""A circular as .docx in the manner of a government circular: the red head (情况通报 in red, the number, the issuing unit
and date over a red rule), the title, the text, the table, the conclusion and the signature (落款: unit and date).

The body is written by core.documents (A4, 宋体, the table's widths); the red head and the right-aligned signature
are then set on the same file with python-docx."""

from __future__ import annotations

import io
import unicodedata
from typing import IO, Any

from django.utils.translation import gettext as _

from core.documents import REPORT, Document, Section, Table, write_docx
from oversight.models.circulars import Circular

RED = "C00000"


def _date(circular: Circular) -> str:
    day = circular.issued_on
    if day is None:
        return _("(draft, not issued)")
    return _("%(y)d-%(m)d-%(d)d") % {"y": day.year, "m": day.month, "d": day.day}


def _width(text: str) -> int:
    """The text's width in half-width characters (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def document(circular: Circular) -> Document:
    table = circular.table or {}
    headers = [str(h) for h in table.get("headers", [])]
    rows = [[str(cell) for cell in row] for row in table.get("rows", [])]
    sections = [Section(lines=[line for line in (circular.lead or "").splitlines() if line.strip()])]
    sections.append(Section(lines=[line for line in (circular.body or "").splitlines() if line.strip()]))
    if headers:
        # Each column as wide as its longest text, within bounds: the matters' codes get the room, the No. little.
        cells = [[headers[i], *(row[i] for row in rows if i < len(row))] for i in range(len(headers))]
        widths = [float(min(max(max(_width(c) for c in column), 6), 48)) for column in cells]
        sections.append(Section(table=Table(headers=headers, rows=rows or [["—"] * len(headers)], widths=widths)))
    sections.append(Section(lines=[line for line in (circular.conclusion or "").splitlines() if line.strip()]))
    return Document(title=circular.title, sections=sections, layout=REPORT, page_numbers=True)


def _red_rule(paragraph: Any) -> None:
    """A red line under the paragraph (its bottom border), as the head of a circular has."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", RED)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _head_and_signature(raw: bytes, circular: Circular) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    word = docx.Document(io.BytesIO(raw))
    first = word.paragraphs[0]  # the title core.documents wrote
    head = first.insert_paragraph_before()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(_("Circular"))
    run.bold = True
    run.font.size = Pt(36)
    run.font.color.rgb = RGBColor.from_string(RED)
    number = first.insert_paragraph_before()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.add_run(circular.number or _("(draft, not numbered)")).font.size = Pt(14)
    issuer = first.insert_paragraph_before()
    issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issuer.add_run(f"{circular.issuer}　　　　{_date(circular)}").font.size = Pt(12)
    _red_rule(issuer)
    first.insert_paragraph_before()
    for text in ("", circular.issuer, _date(circular)):
        line = word.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if text:
            line.add_run(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def write(circular: Circular, out: IO[bytes]) -> None:
    body = io.BytesIO()
    write_docx(document(circular), body)
    out.write(_head_and_signature(body.getvalue(), circular))


def filename(circular: Circular) -> str:
    number = f"{circular.year}-{circular.seq}" if circular.year else f"draft-{circular.pk}"
    return f"circular-{number}.docx"
