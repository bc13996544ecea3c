"""A fixed-window rate limit kept in the database, so every server process sees the same counts."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from core.clients import client_address
from core.privacy import client_digest
from portal.models import ThrottleHit


def client_key(request: HttpRequest) -> str:
    """Who is asking, as a digest of the address (behind a proxy, the first X-Forwarded-For hop set by it)."""
    return client_digest(client_address(request))[:32]


def throttle_hit(key: str, *, limit: int, window: dt.timedelta, now: dt.datetime | None = None) -> bool:
    """Count one hit for `key` in the current window; False when the limit is already reached (not counted)."""
    now = now or timezone.now()
    seconds = int(window.total_seconds())
    start = dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)
    with transaction.atomic():
        updated = ThrottleHit.objects.filter(key=key, window_start=start, count__lt=limit).update(count=F("count") + 1)
        if updated:
            return True
        if ThrottleHit.objects.filter(key=key, window_start=start).exists():
            return False
        try:
            with transaction.atomic():
                ThrottleHit.objects.create(key=key, window_start=start, count=1)
        except IntegrityError:  # another process created the row first: count on it
            return bool(
                ThrottleHit.objects.filter(key=key, window_start=start, count__lt=limit).update(count=F("count") + 1)
            )
    return limit >= 1


def throttle_prune(*, before: dt.datetime) -> int:
    """Delete counters of windows that started before `before`; returns how many."""
    deleted, _detail = ThrottleHit.objects.filter(window_start__lt=before).delete()
    return deleted
