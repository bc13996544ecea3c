"""Shared pieces of the signals tests: visits of the seed's people in 2031 (far from the demo's 2022), made through
fieldwork's service as a cadre would, or written directly where the service refuses them (overlaps, overlong days:
what old data and imports may still hold), and the window the detectors look at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.imagehash import phash, sha256
from core.uploads import clean_upload
from fieldwork.models import PlaceKind, Visit, VisitKind, VisitPhoto
from fieldwork.services import visit_create
from org.models import Person, Unit
from oversight.signals import Window

WINDOW = Window(start=dt.date(2031, 5, 1), end=dt.date(2031, 7, 31), today=dt.date(2031, 8, 4))
NOW = "2031-08-04"
CADRE, OTHER, LEADER = "demo:person:cadre", "seed:person:lulu", "seed:person:yanglixin"


def person(ref: str = CADRE) -> Person:
    return Person.objects.get(ref=ref)


def community() -> Unit:
    return Unit.objects.get(ref="seed:community:changyu")


def visit(
    day: str,
    start: str = "09:00",
    end: str = "11:00",
    *,
    who: str = CADRE,
    notes: str = "",
    photos: tuple[bytes, ...] = (),
    late_days: int = 0,
    late_reason: str = "",
    direct: bool = False,
) -> Visit:
    """A site visit in 长宇社区 on `day` (ISO) from `start` to `end`, entered that evening (or `late_days` later)."""
    date = dt.date.fromisoformat(day)
    begin, finish = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
    entered = timezone.make_aware(dt.datetime.combine(date + dt.timedelta(days=late_days), dt.time(20, 0)))
    if direct:
        hours = Decimal((dt.datetime.combine(date, finish) - dt.datetime.combine(date, begin)).seconds / 3600).quantize(
            Decimal("0.1")
        )
        made = Visit.objects.create(
            person=person(who), date=date, start_time=begin, end_time=finish, hours=hours,
            kind=VisitKind.SITE_VISIT, place_kind=PlaceKind.COMMUNITY, unit=community(), notes=notes,
            entered_at=entered,
        )  # fmt: skip
        for content in photos:
            VisitPhoto.objects.create(
                visit=made, file="visits/x.jpg", content_type="image/jpeg", size=len(content),
                sha256=sha256(content), phash=phash(content),
            )  # fmt: skip
        return made
    return visit_create(
        actor=None,
        person=person(who),
        date=date,
        kind=VisitKind.SITE_VISIT,
        place_kind=PlaceKind.COMMUNITY,
        unit=community(),
        start_time=begin,
        end_time=finish,
        notes=notes,
        late_reason=late_reason,
        photos=[clean_upload(f"p{i}.jpg", content) for i, content in enumerate(photos)],
        now=entered,
    )


def kinds(found: list[Any]) -> list[str]:
    return sorted(f.kind for f in found)
