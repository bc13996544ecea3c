"""The {targets} of the pack area's routes for the authorisation matrix: one pack made (both files stored)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from oversight.services.pack import pack_generate, pack_make


def build() -> dict[str, str]:
    coordinator = get_user_model().objects.get(username="coordinator")
    pack = pack_make(pack=pack_generate(actor=coordinator, month=timezone.localdate()))
    return {"monthly_pack": str(pack.pk)}
