"""Every read of the clues area: who sees which clue, the lists and search, the tracking code's answer, and the two
indicators the assessment counts as deductions (`clues.findings`, `clues.measures`).

Only the conduct supervision team (CLUES) reads clues, and never one that names its reader's person: for them a
clue that names them is "not found", exactly like a clue that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.indicators import Figure, RecordRef
from core.roles import user_can
from core.types import Actor
from org.models import Person
from oversight.capabilities import OversightCap
from oversight.models.clues import ACCOUNTABLE, Clue, ClueConclusion, ClueStatus, Measure

SEARCH_MAX = 100
PAGE_ROWS = 200


def _person_id(user: Actor) -> int | None:
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()


def clues_visible_to(user: Actor) -> QuerySet[Clue]:
    """The clues this user may read: all for the supervision team, but for those naming the user; none otherwise."""
    qs = Clue.objects.all()
    if user is None:
        return qs  # the system itself
    if not user.is_authenticated or not user_can(user, OversightCap.CLUES):
        return qs.none()
    person = _person_id(user)
    if person is not None:
        qs = qs.exclude(pk__in=Clue.persons.through.objects.filter(person_id=person).values("clue_id"))
    return qs


def clue_get_for_user(user: Actor, pk: Any) -> Clue:
    """The clue if this user may read it; "not found" alike whether it is missing or hidden from them."""
    text = str(pk)
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise Http404
    key = int(text)
    clue = clues_visible_to(user).filter(pk=key).prefetch_related("persons", "units", "measures").first()
    if clue is None:
        raise Http404
    return clue


def clues_search(user: Actor, params: Mapping[str, Any]) -> QuerySet[Clue]:
    """The list's rows for `?q=` (number, text or those concerned) and `?status=`, newest first."""
    qs = clues_visible_to(user)
    status = str(params.get("status") or "")
    if status in ClueStatus.values:
        qs = qs.filter(status=status)
    query = " ".join(str(params.get("q") or "").split())[:SEARCH_MAX]
    if "\x00" in query:  # no text holds a NUL, and PostgreSQL refuses one in a pattern
        return qs.none()
    if query:
        qs = qs.filter(Q(code__icontains=query) | Q(text__icontains=query) | Q(concerned__icontains=query))
    return qs.order_by("-received_at", "-pk")


def clues_to_conclude(user: Actor) -> QuerySet[Clue]:
    """Disposed clues still open, the earliest limit first (for the workbench)."""
    return clues_visible_to(user).filter(status=ClueStatus.DISPOSED).order_by("due_on", "pk")


def clue_tracked(code: str) -> dict[str, Any] | None:
    """What a public clue's tracking code shows: its status and, once concluded, the conclusion's category. Nothing
    else (no text, no names, no findings, no measures)."""
    row = Clue.objects.filter(tracking_code=code).values("status", "conclusion", "received_at", "concluded_on").first()
    if row is None:
        return None
    concluded = row["status"] == ClueStatus.CONCLUDED
    return {
        "status": row["status"],
        "status_label": ClueStatus(row["status"]).label,
        "conclusion": row["conclusion"] if concluded else "",
        "conclusion_label": ClueConclusion(row["conclusion"]).label if concluded and row["conclusion"] else "",
        "received_on": timezone.localdate(row["received_at"]),
    }


# --- the assessment's indicators (core.indicators) ------------------------------------------------------------


def _url(clue_id: int) -> str:
    return reverse("oversight:clue_detail", args=[clue_id])


def _figures(found: dict[int, list[RecordRef]]) -> dict[int, Figure]:
    return {key: Figure(value=float(len(refs)), records=tuple(refs)) for key, refs in found.items() if refs}


def findings_indicator(
    *, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None
) -> dict[int, Figure]:
    """`clues.findings`: the founded or partly founded clues concluded in the period against each unit or person
    they name; each a record titled by the clue's number and the conclusion, never by its text."""
    through = Clue.units.through if subject == "unit" else Clue.persons.through
    column = "unit_id" if subject == "unit" else "person_id"
    rows = through.objects.filter(
        clue__status=ClueStatus.CONCLUDED,
        clue__conclusion__in=list(ACCOUNTABLE),
        clue__concluded_on__gte=start,
        clue__concluded_on__lte=end,
    )
    if ids is not None:
        rows = rows.filter(**{f"{column}__in": ids})
    found: dict[int, list[RecordRef]] = defaultdict(list)
    for key, clue_id, code, conclusion in rows.order_by(column, "clue__concluded_on", "clue_id").values_list(
        column, "clue_id", "clue__code", "clue__conclusion"
    ):
        title = f"{code} · {ClueConclusion(conclusion).label}"
        found[key].append(RecordRef("oversight.clue", clue_id, title, _url(clue_id)))
    return _figures(found)


def measures_indicator(
    *, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None
) -> dict[int, Figure]:
    """`clues.measures`: the accountability measures decided in the period for each unit or person; each a record
    titled "XS-2026-0001 · 谈话提醒", opening the clue's page (only the supervision team can)."""
    from oversight.services.clues import measure_label

    column = "unit_id" if subject == "unit" else "person_id"
    rows = Measure.objects.filter(decided_on__gte=start, decided_on__lte=end, **{f"{column}__isnull": False})
    if ids is not None:
        rows = rows.filter(**{f"{column}__in": ids})
    found: dict[int, list[RecordRef]] = defaultdict(list)
    for pk, key, clue_id, code, kind in rows.order_by(column, "decided_on", "pk").values_list(
        "pk", column, "clue_id", "clue__code", "kind"
    ):
        found[key].append(RecordRef("oversight.measure", pk, f"{code} · {measure_label(kind)}", _url(clue_id)))
    return _figures(found)


def person_measures(person: Person, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The person's accountability measures of a period, for their record (述职): number, measure, date; no text."""
    from oversight.services.clues import measure_label

    rows = Measure.objects.filter(person=person, decided_on__gte=start, decided_on__lte=end).order_by(
        "decided_on", "pk"
    )
    return [
        {"clue": code, "measure": measure_label(kind), "decided_on": day, "label": _("Accountability measure")}
        for code, kind, day in rows.values_list("clue__code", "kind", "decided_on")
    ]
