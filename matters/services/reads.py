"""Reads of private data, on the record: a page of matters that showed typed numbers unmasked."""

from __future__ import annotations

from collections.abc import Sequence

from audit.services import audit_list_view
from core.types import Actor
from matters.models import Matter


def matters_listed(*, actor: Actor, action: str, shown: Sequence[tuple[Matter, Sequence[str]]]) -> int:
    """Record one event for a page of matters that showed a reader with the right to see them the phone or ID numbers
    people typed into these fields (everyone else reads them masked); `shown` pairs each matter with the fields the
    page showed unmasked. Returns how many matters were named."""
    from core.privacy import mask_numbers

    ids: list[int] = []
    fields: set[str] = set()
    for matter, names in shown:
        present = [name for name in names if (text := getattr(matter, name, "") or "") and mask_numbers(text) != text]
        if present:
            ids.append(matter.pk)
            fields.update(present)
    audit_list_view(actor=actor, action=action, model=Matter, ids=ids, fields=sorted(fields))
    return len(ids)
