"""The on-site rating poster (民生实事群众评): a QR code of the rating page with the matter's code, task and units.

Printed and put up where the work was done, so residents who see the result can rate it. PNG (Pillow) and A4 PDF
(fpdf2), both with Noto Sans CJK, the font the list export uses.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import qrcode
from django.utils.translation import gettext as _

from core.documents.fonts import pillow_font
from core.documents.pdf import FONT, new_pdf
from core.privacy import redact
from matters.models import Matter

__all__ = ["PosterText", "poster_pdf", "poster_png", "qr_matrix", "qr_placement"]

QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules
TEXT_MAX = 90  # characters of the task kept on the poster

# The PNG: A4 at 150 dpi.
PNG_SIZE = (1240, 1754)
PNG_QR_TOP = 500
PNG_QR_BOX = 860
RED = (200, 16, 46)
INK = (33, 37, 41)
GREY = (90, 96, 102)


@dataclass(frozen=True)
class PosterText:
    """What the poster says, in the language of the request."""

    title: str
    code: str
    task: str
    units: str
    scan: str
    url: str

    @classmethod
    def for_matter(cls, matter: Matter, *, url: str, unit_names: list[str]) -> PosterText:
        task = " ".join(redact(matter.task or matter.problem).split())
        if len(task) > TEXT_MAX:
            task = task[: TEXT_MAX - 1] + "…"
        units = "、".join(unit_names)
        return cls(
            title=_("Public rating of livelihood matters"),
            code=matter.code,
            task=task,
            units=_("Responsible units: %(units)s") % {"units": units} if units else "",
            scan=_("Scan to rate"),
            url=url,
        )


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR modules of `url`, quiet zone included (True is dark)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER)
    qr.add_data(url)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def qr_placement(modules: int) -> tuple[int, int, int]:
    """Where the PNG draws a QR of `modules` modules a side: (left, top, module size in pixels)."""
    size = PNG_QR_BOX // modules
    left = (PNG_SIZE[0] - size * modules) // 2
    top = PNG_QR_TOP + (PNG_QR_BOX - size * modules) // 2
    return left, top, size


# --- png -----------------------------------------------------------------------------------------------


def _wrap(text: str, font: object, width: int, max_lines: int) -> list[str]:
    """Break `text` into lines no wider than `width` pixels, character by character (Chinese has no spaces)."""
    lines: list[str] = []
    line = ""
    for char in text:
        if font.getlength(line + char) > width and line:  # type: ignore[attr-defined]
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def poster_png(text: PosterText) -> bytes:
    from PIL import Image, ImageDraw

    def font(size: int, heavy: bool = False) -> Any:
        return pillow_font(size, bold=heavy)

    width = PNG_SIZE[0]
    image = Image.new("RGB", PNG_SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 190), fill=RED)
    size = 80
    while size > 36 and font(size, heavy=True).getlength(text.title) > width - 80:
        size -= 4
    draw.text((width // 2, 95), text.title, font=font(size, heavy=True), fill="white", anchor="mm")
    draw.text((width // 2, 230), text.code, font=font(52, heavy=True), fill=INK, anchor="mt")
    y = 310
    body = font(38)
    for line in _wrap(text.task, body, width - 200, 3):
        draw.text((width // 2, y), line, font=body, fill=INK, anchor="mt")
        y += 54

    matrix = qr_matrix(text.url)
    left, top, size = qr_placement(len(matrix))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                draw.rectangle(
                    (left + c * size, top + r * size, left + (c + 1) * size - 1, top + (r + 1) * size - 1), fill="black"
                )

    y = PNG_QR_TOP + PNG_QR_BOX + 30
    draw.text((width // 2, y), text.scan, font=font(60, heavy=True), fill=RED, anchor="mt")
    y += 90
    small = font(28)
    for line in _wrap(text.url, small, width - 160, 2):
        draw.text((width // 2, y), line, font=small, fill=GREY, anchor="mt")
        y += 40
    y += 20
    units = font(34)
    for line in _wrap(text.units, units, width - 200, 2):
        draw.text((width // 2, y), line, font=units, fill=INK, anchor="mt")
        y += 48
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, dpi=(150, 150))
    return out.getvalue()


# --- pdf -----------------------------------------------------------------------------------------------


def poster_pdf(text: PosterText) -> bytes:
    """A4 portrait: the title on a red band, the code and task, the QR large and centred, the URL, the units."""
    from fpdf.enums import WrapMode

    pdf, heavy = new_pdf(title=f"{text.title} {text.code}")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 15, 20)
    pdf.add_page()
    page_w = pdf.w

    pdf.set_fill_color(*RED)
    pdf.rect(0, 0, page_w, 32, style="F")
    pdf.set_text_color(255, 255, 255)
    size = 30
    pdf.set_font(FONT, heavy, size)
    while size > 14 and pdf.get_string_width(text.title) > page_w - 30:
        size -= 2
        pdf.set_font(FONT, heavy, size)
    pdf.set_xy(0, 8)
    pdf.cell(w=page_w, h=16, text=text.title, align="C")

    pdf.set_text_color(*INK)
    pdf.set_font(FONT, heavy, 18)
    pdf.set_xy(20, 38)
    pdf.cell(w=page_w - 40, h=10, text=text.code, align="C")
    pdf.set_font(FONT, "", 13)
    pdf.set_xy(25, 50)
    pdf.multi_cell(w=page_w - 50, h=6.5, text=text.task, align="C", wrapmode=WrapMode.CHAR, max_line_height=6.5)

    matrix = qr_matrix(text.url)
    side = 130.0
    module = side / len(matrix)
    left, top = (page_w - side) / 2, 78.0
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                # A hair of overlap so that printers leave no white seams between modules.
                pdf.rect(left + c * module, top + r * module, module + 0.02, module + 0.02, style="F")

    y = top + side + 6
    pdf.set_text_color(*RED)
    pdf.set_font(FONT, heavy, 24)
    pdf.set_xy(20, y)
    pdf.cell(w=page_w - 40, h=12, text=text.scan, align="C")
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT, "", 10)
    pdf.set_xy(20, y + 14)
    pdf.multi_cell(w=page_w - 40, h=5, text=text.url, align="C", wrapmode=WrapMode.CHAR)
    if text.units:
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, "", 13)
        pdf.set_xy(25, y + 28)
        pdf.multi_cell(w=page_w - 50, h=6.5, text=text.units, align="C", wrapmode=WrapMode.CHAR)
    return bytes(pdf.output())
