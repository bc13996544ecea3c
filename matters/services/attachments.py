"""Evidence kept with a matter: checked files (core.uploads), stored under the matter's code."""

from __future__ import annotations

from django.core.files.base import ContentFile

from core import imagehash
from core.uploads import CleanFile
from matters.models import Attachment, Matter, ProgressReport


def attachment_store(*, matter: Matter, report: ProgressReport | None, clean: CleanFile) -> Attachment:
    """Keep a checked file (see matters.evidence.clean_upload) as evidence of a matter, or of one of its reports."""
    attachment = Attachment(
        matter=matter,
        report=report,
        content_type=clean.content_type,
        size=len(clean.content),
        original_name=clean.original_name,
        sha256=imagehash.sha256(clean.content),
        phash=imagehash.phash(clean.content) if clean.content_type.startswith("image/") else "",
    )
    attachment.file.save(f"{matter.code}.{clean.extension}", ContentFile(clean.content), save=False)
    attachment.save()
    return attachment
