"""Check uploaded evidence by its content, make images safe to publish, and serve the files."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from matters.models import Attachment

# Pillow format → (content type, extension) of what we store.
_IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/jpeg", "jpg")}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str


def clean_upload(name: str, data: bytes) -> CleanFile:
    """Accept a JPEG, PNG or WebP image (re-encoded without EXIF or location) or a PDF; refuse the rest."""
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)d MB; files may be at most %(limit)d MB.")
            % {"name": name, "size": len(data) // (1024 * 1024), "limit": limit // (1024 * 1024)}
        )
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("“%(name)s” is not a complete PDF file.") % {"name": name})
        return CleanFile(data, "application/pdf", "pdf", name[:200])
    try:
        # Pillow only warns about an image past its own pixel limit (twice ours) and raises past twice that:
        # either way the image is refused, never decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                if fmt not in _IMAGE_FORMATS:
                    raise ValidationError(_("“%(name)s” is not a JPEG, PNG or WebP image or a PDF.") % {"name": name})
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(_("“%(name)s” has too many pixels.") % {"name": name})
                probe.load()
                image = ImageOps.exif_transpose(probe)  # keep the picture upright once EXIF is gone
    except Image.DecompressionBombWarning:
        raise ValidationError(_("“%(name)s” has too many pixels.") % {"name": name}) from None
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        raise ValidationError(_("“%(name)s” is not a JPEG, PNG or WebP image or a PDF.") % {"name": name}) from None
    content_type, extension = _IMAGE_FORMATS[fmt]
    # Re-encode from pixels only: EXIF (camera, time, GPS position) and other metadata are dropped.
    out = io.BytesIO()
    if extension == "png":
        image.save(out, format="PNG", optimize=True)
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    return CleanFile(out.getvalue(), content_type, extension, name[:200])


# Kept by the browser alone, never by a proxy or CDN: a file that stops being public (its matter made private,
# its report deleted) is then no longer handed out by a shared cache either.
CACHE_CONTROL = "private, max-age=3600"


def evidence_response(attachment: Attachment) -> FileResponse:
    """An attachment's file, to the public (images only, see matters.selectors.evidence_public) or to staff.

    Images are shown inline; anything else (a PDF) is a download, which the browser saves instead of rendering.
    The stored content type is the one the upload was judged to be, and nosniff keeps the browser to it.
    """
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = "inline" if attachment.is_image else "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = CACHE_CONTROL
    return response
