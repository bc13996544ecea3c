"""The signals area's demo data (a step of oversight.demo, after the portal's ratings): a few formalism records
planted in the demo visits of the seed's cadres, each marked （演示）, then a refresh of the signals.

- a copied note: two visits of different days (two cadres) with the same note, a few characters changed;
- a reused photo: a site photo on one visit, the same image re-saved smaller on another visit;
- a late entry: a visit entered twelve days after its date, with its reason (补录原因).

They fall on Saturdays of the demo's weeks, when the demo's honest visits leave the cadres free (a visit overlapping
another is refused). Running it again adds nothing (the visits' import keys); the rest of the demo's visits fire no
signal of the visit kinds (oversight/tests/test_signals_demo.py).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from PIL import Image, ImageDraw

from core.plugins import DemoOptions
from core.uploads import clean_upload
from fieldwork import demo as fieldwork_demo
from fieldwork.models import PlaceKind, Visit, VisitKind
from fieldwork.services import visit_create
from org.models import Person, Unit
from oversight.services.signals import signals_refresh, signals_window

CADRE, OTHER = "demo:person:cadre", "seed:person:lulu"
CHANGYU, WEIWANG = "seed:community:changyu", "seed:community:weiwang"
NOTE = (
    "（演示）走访长宇社区老旧小区，听取居民对加装电梯、楼道照明和停车难的意见，"
    "与物业公司和业委会商定下周召开三方联动会议，逐项明确整改责任人和完成时限。"
)
NOTE_COPIED = (
    "（演示）走访卫王社区老旧小区，听取居民对加装电梯、楼道照明和停车难的意见，"
    "与物业公司和业委会商定下周召开三方联动会议，逐项明确整改责任人和完成期限。"
)
LATE_REASON = "（演示）当天随队外出学习，返回后补录。"
KEY = "demo:signals:"


def demo_photo(seed: int = 7, size: tuple[int, int] = (800, 600), quality: int = 90) -> bytes:
    """A site photo for the demo and the tests: shapes drawn from `seed`, saved as a JPEG of `size` and `quality`."""
    rng = random.Random(seed)  # noqa: S311 — a picture, not a secret
    image = Image.new("RGB", (800, 600), (rng.randrange(90, 200),) * 3)
    draw = ImageDraw.Draw(image)
    for _i in range(40):
        x, y = rng.randrange(760), rng.randrange(560)
        colour = tuple(rng.randrange(256) for _c in range(3))
        draw.rectangle((x, y, x + rng.randrange(30, 260), y + rng.randrange(30, 200)), fill=colour)  # type: ignore[arg-type]
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _saturdays(options: DemoOptions) -> list[dt.date]:
    """The Saturdays of the demo's weeks up to today, the earliest first."""
    today = timezone.localdate()
    last_day = fieldwork_demo.campaign_week_end(shift_months=options.shift_months, today=today)
    monday = last_day - dt.timedelta(days=last_day.weekday())
    days = [monday - dt.timedelta(weeks=n) + dt.timedelta(days=5) for n in range(fieldwork_demo.WEEKS - 1, -1, -1)]
    return [d for d in days if d <= today]


def _visit(person: Person, unit: Unit, day: dt.date, number: int, **given: Any) -> Visit:
    entered: dt.datetime = given.pop("entered", None) or timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))
    return visit_create(
        actor=None,
        person=person,
        date=day,
        kind=VisitKind.SITE_VISIT,
        place_kind=PlaceKind.COMMUNITY,
        unit=unit,
        start_time=given.pop("start", dt.time(9, 0)),
        end_time=given.pop("end", dt.time(11, 0)),
        import_key=f"{KEY}{number}",
        now=min(entered, timezone.now()),
        **given,
    )


def plant(options: DemoOptions) -> list[Visit]:
    """Create the planted visits (once); return them."""
    people = {p.ref: p for p in Person.objects.filter(ref__in=[CADRE, OTHER])}
    units = {u.ref: u for u in Unit.objects.filter(ref__in=[CHANGYU, WEIWANG])}
    saturdays = _saturdays(options)
    if len(people) < 2 or len(units) < 2 or len(saturdays) < 4:
        return []
    cadre, other = people[CADRE], people[OTHER]
    first = demo_photo()
    resaved = demo_photo(size=(400, 300), quality=60)
    late_day = saturdays[-4]
    return [
        _visit(cadre, units[CHANGYU], saturdays[-3], 1, notes=NOTE),
        _visit(other, units[WEIWANG], saturdays[-2], 2, notes=NOTE_COPIED),
        _visit(
            cadre,
            units[CHANGYU],
            saturdays[-3],
            3,
            start=dt.time(14, 0),
            end=dt.time(16, 0),
            notes="（演示）查看长宇社区楼道照明改造现场。",
            photos=[clean_upload("site.jpg", first)],
        ),
        _visit(
            cadre,
            units[CHANGYU],
            saturdays[-1],
            4,
            notes="（演示）回访楼道照明改造，居民反映良好。",
            photos=[clean_upload("site-small.jpg", resaved)],
        ),
        _visit(
            other,
            units[WEIWANG],
            late_day,
            5,
            notes="（演示）参加社区议事会。",
            late_reason=LATE_REASON,
            entered=timezone.make_aware(dt.datetime.combine(late_day + dt.timedelta(days=12), dt.time(9, 0))),
        ),
    ]


def load(options: DemoOptions) -> str:
    if not options.full:
        return ""
    if Visit.objects.filter(import_key__startswith=KEY).exists():
        return ""  # planted and found by an earlier load: the nightly job keeps the signals current
    planted = plant(options)
    if not planted:
        return ""
    with translation.override(settings.LANGUAGE_CODE):  # the summaries in the site's language
        done = signals_refresh(actor=None, window=signals_window())
    return f"Demo signals: {len(planted)} planted visits, {done.found} signals found ({done.new} new)."
