"""Reads of the petition line: the cases a user sees, filtered; what a case page shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from core.types import Actor
from matters.workflow import ENDED, Status
from petitions.access import cases_visible_to
from petitions.models import PetitionCase

OPEN_CASE_STATUSES = [s for s in Status if s not in ENDED]


def cases_filtered(user: Actor, params: Mapping[str, Any]) -> QuerySet[PetitionCase]:
    """The cases this user sees, by owner (a person id), focus (a code), risk and status ("open", "closed", a status)."""
    qs = cases_visible_to(user).prefetch_related("owners", "handling_units")
    owner = str(params.get("owner") or "")
    if owner.isdecimal() and len(owner) < 19:
        qs = qs.filter(owners=int(owner))
    if focus := params.get("focus"):
        qs = qs.filter(focus__code=str(focus))
    if risk := params.get("risk"):
        qs = qs.filter(risk=str(risk))
    status = str(params.get("status") or "")
    if status == "open":
        qs = qs.filter(matter__status__in=OPEN_CASE_STATUSES)
    elif status == "closed":
        qs = qs.filter(matter__status=Status.CLOSED)
    elif status in Status.values:
        qs = qs.filter(matter__status=status)
    return qs.distinct()
