"""The signals area's {targets}: a new signal of a late entry, and one of a reused photo with its two photos stored,
on visits of 2020 of their own (the demo's are of 2022)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from core.imagehash import phash, sha256
from fieldwork.models import PlaceKind, Visit, VisitKind, VisitPhoto
from org.models import Person, Unit
from oversight.demo_signals import demo_photo
from oversight.models.signals import SignalKind
from oversight.services.signals import signals_store
from oversight.signals import Found
from oversight.signals.base import visit_ref


def _visit(day: dt.date) -> Visit:
    return Visit.objects.create(
        person=Person.objects.get(ref="demo:person:cadre"), date=day, start_time=dt.time(9), end_time=dt.time(11),
        hours=Decimal(2), kind=VisitKind.SITE_VISIT, place_kind=PlaceKind.COMMUNITY,
        unit=Unit.objects.get(ref="seed:community:changyu"), entered_at=timezone.now(),
    )  # fmt: skip


def _photo(visit: Visit, content: bytes) -> VisitPhoto:
    photo = VisitPhoto(
        visit=visit, content_type="image/jpeg", size=len(content), sha256=sha256(content), phash=phash(content)
    )
    photo.file.save(f"visit-{visit.pk}.jpg", ContentFile(content), save=False)
    photo.save()
    return photo


def build() -> dict[str, str]:
    one, two = _visit(dt.date(2020, 6, 1)), _visit(dt.date(2020, 6, 8))
    first, second = _photo(one, demo_photo()), _photo(two, demo_photo(size=(400, 300), quality=60))
    late = Found(
        kind=SignalKind.LATE_ENTRY, keys=(f"visit:{one.pk}",), day=one.date, summary="matrix late entry",
        evidence={"records": [visit_ref(one.pk, "one")], "late_reason": "matrix"}, person_id=one.person_id,
    )  # fmt: skip
    reused = Found(
        kind=SignalKind.PHOTO_REUSED, keys=(f"visit:{one.pk}", f"visit:{two.pk}"), day=two.date,
        summary="matrix photo", person_id=two.person_id,
        evidence={
            "records": [visit_ref(one.pk, "one"), visit_ref(two.pk, "two")],
            "compared": {"pairs": [{"photos": [first.pk, second.pk], "distance": 1, "same_file": False}]},
        },
    )  # fmt: skip
    signals_store(actor=None, found=[late, reused])
    from oversight.models.signals import Signal

    signal = Signal.objects.get(summary="matrix late entry")
    photo_signal = Signal.objects.get(summary="matrix photo")
    return {"signal": str(signal.pk), "photo_signal": str(photo_signal.pk)}
