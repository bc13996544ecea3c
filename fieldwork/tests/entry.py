"""When a test's visit was entered: the evening of its day (or now, if that is earlier), as a diligent person
logs it. A visit entered more than VISIT_LATE_DAYS later needs a reason (补录原因); tests about that say so."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def on_the_day(day: dt.date) -> dt.datetime:
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(20, 0))), timezone.now())
