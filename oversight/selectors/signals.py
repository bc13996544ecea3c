"""Reads of the supervision signals: the workbench's counts (new by kind and by unit, the persons with the most),
the filtered list, one signal, and its evidence side by side (two notes with their common text, two photos)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from fieldwork.models import Visit, VisitPhoto
from matters.models import Attachment
from org.models import Person, Unit
from oversight.models.signals import Signal, SignalKind, SignalStatus
from oversight.signals import text

OPEN = (SignalStatus.NEW, SignalStatus.SEEN)
TOP_PERSONS = 10


@dataclass(frozen=True)
class SignalFilter:
    kind: str = ""
    status: str = ""
    unit: int | None = None
    person: int | None = None

    @classmethod
    def from_params(cls, params: Any) -> SignalFilter:
        """Read the list's filters from a query string; unknown values are ignored, never an error."""
        kind = params.get("kind", "")
        status = params.get("status", "")

        def number(name: str) -> int | None:
            raw = str(params.get(name, "") or "")
            return int(raw) if raw.isdigit() and len(raw) < 12 else None

        return cls(
            kind=kind if kind in SignalKind.values else "",
            status=status if status in SignalStatus.values else "",
            unit=number("unit"),
            person=number("person"),
        )

    def apply(self, qs: QuerySet[Signal]) -> QuerySet[Signal]:
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.unit is not None:
            qs = qs.filter(unit_id=self.unit)
        if self.person is not None:
            qs = qs.filter(person_id=self.person)
        return qs


def signals_list(f: SignalFilter | None = None) -> QuerySet[Signal]:
    qs = Signal.objects.select_related("person", "unit")
    return (f or SignalFilter()).apply(qs).order_by("-day", "-pk")


def signal_get(pk: int) -> Signal | None:
    return Signal.objects.select_related("person", "unit", "handled_by").filter(pk=pk).first()


def signals_summary() -> dict[str, Any]:
    """New signals by kind, open signals by unit, and the persons with the most open signals."""
    by_kind = dict(
        Signal.objects.filter(status=SignalStatus.NEW)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
        .values_list("kind", "n")
    )
    kinds = [(value, label, by_kind.get(value, 0)) for value, label in SignalKind.choices]
    units = list(
        Signal.objects.filter(status__in=OPEN, unit__isnull=False)
        .values("unit_id", "unit__name")
        .annotate(n=Count("pk"), new=Count("pk", filter=Q(status=SignalStatus.NEW)))
        .order_by("-n", "unit__name", "unit_id")
    )
    persons = list(
        Signal.objects.filter(status__in=OPEN, person__isnull=False)
        .values("person_id", "person__name")
        .annotate(n=Count("pk"), new=Count("pk", filter=Q(status=SignalStatus.NEW)))
        .order_by("-n", "person__name", "person_id")[:TOP_PERSONS]
    )
    names = {p.pk: p.display_name for p in Person.objects.filter(pk__in=[p["person_id"] for p in persons])}
    for row in persons:
        row["name"] = names.get(row["person_id"], "")
    return {
        "kinds": kinds,
        "units": units,
        "persons": persons,
        "new": sum(by_kind.values()),
    }


def signal_filter_choices() -> dict[str, Any]:
    """The units and persons that have signals (the list's filter menus)."""
    return {
        "units": Unit.objects.filter(pk__in=Signal.objects.filter(unit__isnull=False).values("unit_id")).order_by(
            "name", "pk"
        ),
        "people": Person.objects.filter(
            pk__in=Signal.objects.filter(person__isnull=False).values("person_id")
        ).order_by("name", "pk"),
    }


def _record_ids(signal: Signal, kind: str) -> list[int]:
    return [int(r["id"]) for r in signal.evidence.get("records", []) if r.get("type") == kind and "id" in r]


def signal_photos(signal: Signal) -> list[Any]:
    """The photos a signal compares, in the order shown: VisitPhoto or matters Attachment rows."""
    compared = signal.evidence.get("compared", {})
    if signal.kind == SignalKind.PHOTO_REUSED:
        ids = [pk for pair in compared.get("pairs", []) for pk in pair.get("photos", [])]
        visits = _record_ids(signal, "visit")
        rows = {p.pk: p for p in VisitPhoto.objects.filter(pk__in=ids, visit_id__in=visits)}
        return [rows[pk] for pk in ids if pk in rows]
    if signal.kind == SignalKind.REPORT_PHOTO_REUSED:
        ids = [int(pk) for pk in compared.get("attachments", [])]
        found = {a.pk: a for a in Attachment.objects.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]
    return []


def signal_sides(signal: Signal) -> dict[str, Any]:
    """The evidence side by side: for copied notes, the two notes cut into runs (shared or not); for a reused photo,
    the pairs of photos (their positions in `signal_photos`)."""
    out: dict[str, Any] = {"notes": [], "photo_pairs": []}
    if signal.kind == SignalKind.NOTE_COPIED:
        ids = _record_ids(signal, "visit")
        visits = {v.pk: v for v in Visit.objects.select_related("person").filter(pk__in=ids)}
        shown = [visits[pk] for pk in ids if pk in visits]
        if len(shown) == 2:
            grams = [text.shingles(v.notes) for v in shown]
            for visit, other in zip(shown, reversed(grams), strict=True):
                out["notes"].append({"visit": visit, "runs": text.common_spans(visit.notes, other)})
    elif signal.kind == SignalKind.EFFECT_COPIED:
        from matters.models import Matter

        ids = _record_ids(signal, "matter")
        matter = Matter.objects.filter(pk__in=ids).first()
        if matter is not None:
            task, effect = text.shingles(matter.task), text.shingles(matter.effect)
            out["texts"] = [
                {"label": "task", "runs": text.common_spans(matter.task, effect)},
                {"label": "effect", "runs": text.common_spans(matter.effect, task)},
            ]
    photos = signal_photos(signal)
    out["photo_pairs"] = [(i, i + 1) for i in range(0, len(photos) - 1, 2)]
    out["photos"] = photos
    return out
