"""The database-backed rate limit shared by every server process, and its clean-up."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from portal.models import PhoneCode, ThrottleHit
from portal.throttle import throttle_hit

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def test_throttle_allows_up_to_the_limit_then_refuses_without_counting() -> None:
    with time_machine.travel("2026-03-02 10:15:00+08:00", tick=False):
        assert [throttle_hit("k", limit=3, window=HOUR) for _i in range(5)] == [True, True, True, False, False]
        assert ThrottleHit.objects.get(key="k").count == 3


def test_throttle_starts_afresh_in_the_next_window() -> None:
    with time_machine.travel("2026-03-02 10:59:00+08:00", tick=False):
        assert throttle_hit("k", limit=1, window=HOUR)
        assert not throttle_hit("k", limit=1, window=HOUR)
    with time_machine.travel("2026-03-02 11:00:01+08:00", tick=False):
        assert throttle_hit("k", limit=1, window=HOUR)


def test_throttle_keys_are_counted_apart() -> None:
    with time_machine.travel("2026-03-02 10:15:00+08:00", tick=False):
        assert throttle_hit("a", limit=1, window=HOUR)
        assert throttle_hit("b", limit=1, window=HOUR)


def test_cleanup_deletes_old_counters_and_spent_codes_but_keeps_current_ones() -> None:
    with time_machine.travel("2026-03-01 08:00:00+08:00", tick=False):
        throttle_hit("old", limit=5, window=HOUR)
        now = timezone.now()
        PhoneCode.objects.create(
            phone_digest="x", purpose="rate", code_digest="y", created_at=now, expires_at=now + dt.timedelta(minutes=10)
        )
    with time_machine.travel("2026-03-03 08:00:00+08:00", tick=False):
        throttle_hit("new", limit=5, window=HOUR)
        now = timezone.now()
        PhoneCode.objects.create(
            phone_digest="x", purpose="rate", code_digest="z", created_at=now, expires_at=now + dt.timedelta(minutes=10)
        )
        out = io.StringIO()
        call_command("portal_cleanup", stdout=out)
    assert "1 throttle counters, 1 phone codes, 0 login counters deleted" in out.getvalue()
    assert list(ThrottleHit.objects.values_list("key", flat=True)) == ["new"]
    assert list(PhoneCode.objects.values_list("code_digest", flat=True)) == ["z"]
