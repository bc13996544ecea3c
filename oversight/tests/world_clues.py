"""The clues area's {targets}: a registered clue the supervision team may open (it names nobody), a public clue's
tracking code for the portal's tracking page, and an evidence file of a concluded clue."""

from __future__ import annotations

from django.utils import timezone

from core.uploads import clean_upload
from oversight.models.clues import ClueSource
from oversight.services import clues as services

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build() -> dict[str, str]:
    clue = services.clue_create(actor=None, source=ClueSource.STAFF, text="matrix clue (test)")
    public = services.clue_create(actor=None, source=ClueSource.PUBLIC, text="matrix public clue (test)")
    with_file = services.clue_create(actor=None, source=ClueSource.STAFF, text="matrix clue with evidence (test)")
    day = timezone.localdate(with_file.received_at)
    services.clue_dispose(actor=None, clue=with_file, disposal="verify", on=day)
    evidence = clean_upload("evidence.pdf", PDF)
    concluded = services.clue_conclude(
        actor=None, clue=with_file, conclusion="unfounded", findings="查无实据（测试）", on=day, files=[evidence]
    )
    return {
        "clue": str(clue.pk),
        "clue_tracking_code": str(public.tracking_code),
        "clue_file": str(concluded.files.get().pk),
    }
