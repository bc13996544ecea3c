"""The clues area's {targets}: a registered clue the supervision team may open (it names nobody), and a public clue's
tracking code for the portal's tracking page."""

from __future__ import annotations

from oversight.models.clues import ClueSource
from oversight.services import clues as services


def build() -> dict[str, str]:
    clue = services.clue_create(actor=None, source=ClueSource.STAFF, text="matrix clue (test)")
    public = services.clue_create(actor=None, source=ClueSource.PUBLIC, text="matrix public clue (test)")
    return {"clue": str(clue.pk), "clue_tracking_code": str(public.tracking_code)}
