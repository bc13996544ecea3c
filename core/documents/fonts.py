"""The Chinese font every document is written with: Noto Sans CJK (Simplified Chinese faces), found once."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
REGULAR_FACE = "Noto Sans CJK SC"
BOLD_FACE = "Noto Sans CJK SC Bold"


class DocumentError(Exception):
    """The document cannot be made here (a missing font); the message is translated and names the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@functools.lru_cache(maxsize=4)
def face_index(path: str, wanted: str = REGULAR_FACE) -> int:
    """The Simplified Chinese face of a Noto CJK collection (.ttc); 0 if it cannot be told."""
    try:
        from fontTools.ttLib import TTCollection

        collection = TTCollection(path, lazy=True)
        for index, font in enumerate(collection.fonts):
            if font["name"].getDebugName(4) == wanted:
                return index
    except Exception:  # noqa: S110  # an unreadable collection still has a face 0
        pass
    return 0


def cjk_font_paths() -> tuple[str, str | None]:
    """The regular and (if installed) bold font files; DocumentError naming the package when the font is missing."""
    regular = getattr(settings, "MINQING_CJK_FONT", CJK_FONT)
    bold = getattr(settings, "MINQING_CJK_FONT_BOLD", CJK_FONT_BOLD)
    if not Path(regular).is_file():
        raise DocumentError(
            _(
                "The PDF export needs the Noto Sans CJK font, which is not installed (%(path)s). "
                "Install it with: apt-get install fonts-noto-cjk"
            )
            % {"path": regular}
        )
    return regular, bold if bold and Path(bold).is_file() else None


def pillow_font(size: int, *, bold: bool = False) -> Any:
    """The font at `size` pixels for drawing an image with Pillow (bold where installed)."""
    from PIL import ImageFont

    regular, heavy = cjk_font_paths()
    if bold and heavy:
        return ImageFont.truetype(heavy, size, index=face_index(heavy, BOLD_FACE))
    return ImageFont.truetype(regular, size, index=face_index(regular))
