"""Serving the evidence of a matter (photos and PDFs of the work; they are checked like every upload, core.uploads)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import FileResponse, Http404

if TYPE_CHECKING:
    from matters.models import Attachment

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
