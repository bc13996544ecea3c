"""One rule for every uploaded file: how large, how many, of which types; checked by content, images re-encoded.

The limits are settings (`UPLOAD_MAX_BYTES`, `UPLOAD_MAX_FILES`, `UPLOAD_TYPES`) and the messages are the same
wherever a file arrives: the portal, the back office, the visit form, the REST API and the table imports.
`clean_upload` judges a file by its bytes, never by its name or the type the client claims.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
KNOWN_TYPES = (*IMAGE_TYPES, "application/pdf")  # what clean_upload can check
# Pillow format → (the type a client would call it, the content type and extension of what we store).
_IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "image/jpeg", "jpg"),
    "PNG": ("image/png", "image/png", "png"),
    "WEBP": ("image/webp", "image/jpeg", "jpg"),
}
MAX_PIXELS = 40_000_000
_MB = 1024 * 1024


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def max_files() -> int:
    return int(settings.UPLOAD_MAX_FILES)


def allowed_types(*, images_only: bool = False) -> list[str]:
    return [t for t in settings.UPLOAD_TYPES if t in IMAGE_TYPES or not images_only]


def megabytes(size: int) -> str:
    """10485760 → "10", 4096 → "0.00391"."""
    return f"{size / _MB:.3g}"


def too_large_message(name: str) -> str:
    return _("“%(name)s” is larger than %(limit)s MB, the most one file may be.") % {
        "name": name,
        "limit": megabytes(max_bytes()),
    }


def too_many_message() -> str:
    return _("Attach at most %(n)d files.") % {"n": max_files()}


def _wrong_type_message(name: str, *, images_only: bool) -> str:
    types = allowed_types(images_only=images_only)
    if types and all(t in IMAGE_TYPES for t in types):
        return _("“%(name)s” is not a photo we can read: attach a JPEG, PNG or WebP image.") % {"name": name}
    return _("“%(name)s” is not a file we can read: attach a JPEG, PNG or WebP image or a PDF.") % {"name": name}


def check_size(name: str, size: int) -> None:
    """Refuse a file over the limit before it is read."""
    if size > max_bytes():
        raise ValidationError(too_large_message(name), code="too_large")


def check_count(count: int) -> None:
    if count > max_files():
        raise ValidationError(too_many_message(), code="too_many")


def clean_upload(name: str, data: bytes, *, images_only: bool = False) -> CleanFile:
    """Accept an allowed image (re-encoded without EXIF or location) or PDF, judged by its bytes; refuse the rest."""
    check_size(name, len(data))
    allowed = allowed_types(images_only=images_only)
    wrong = ValidationError(_wrong_type_message(name, images_only=images_only), code="type")
    if data.startswith(b"%PDF-"):
        if "application/pdf" not in allowed:
            raise wrong
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("“%(name)s” is not a complete PDF file.") % {"name": name}, code="type")
        return CleanFile(data, "application/pdf", "pdf", name[:200])
    try:
        # Pillow only warns about an image past its own pixel limit (twice ours) and raises past twice that:
        # either way the image is refused, never decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                if fmt not in _IMAGE_FORMATS or _IMAGE_FORMATS[fmt][0] not in allowed:
                    raise wrong
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(_("“%(name)s” has too many pixels.") % {"name": name}, code="pixels")
                probe.load()
                image = ImageOps.exif_transpose(probe)  # keep the picture upright once EXIF is gone
    except Image.DecompressionBombWarning:
        raise ValidationError(_("“%(name)s” has too many pixels.") % {"name": name}, code="pixels") from None
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        raise wrong from None
    _claimed, content_type, extension = _IMAGE_FORMATS[fmt]
    # Re-encode from pixels only: EXIF (camera, time, GPS position) and other metadata are dropped.
    out = io.BytesIO()
    if extension == "png":
        image.save(out, format="PNG", optimize=True)
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    return CleanFile(out.getvalue(), content_type, extension, name[:200])


def clean_uploads(files: Sequence[Any], *, images_only: bool = False) -> list[CleanFile]:
    """Uploaded files (Django's UploadedFile): the count, each one's size before it is read, then its content."""
    check_count(len(files))
    for upload in files:
        check_size(upload.name or "", upload.size)
    return [clean_upload(upload.name or "", upload.read(), images_only=images_only) for upload in files]


def check_clean_files(files: Sequence[CleanFile], *, images_only: bool = False) -> list[str]:
    """What a service refuses in files checked before (by clean_upload): too many, or not images where it keeps
    only images. Returns the messages."""
    errors = [too_many_message()] if len(files) > max_files() else []
    for clean in files:
        if images_only and not clean.content_type.startswith("image/"):
            errors.append(_wrong_type_message(clean.original_name, images_only=True))
    return errors


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """Files under the site's one upload rule; cleans to a list of CleanFile (one CleanFile or None if single)."""

    def __init__(self, *, multiple: bool = True, images_only: bool = False, **kwargs: Any) -> None:
        self.multiple, self.images_only = multiple, images_only
        accept = ",".join(allowed_types(images_only=images_only))
        widget_class = MultipleFileInput if multiple else forms.ClearableFileInput
        kwargs.setdefault("widget", widget_class(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if not self.multiple:
            files = files[:1]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        cleaned = clean_uploads(files, images_only=self.images_only)
        if self.multiple:
            return cleaned
        return cleaned[0] if cleaned else None
