"""The working-day calendar: Monday to Friday, less the declared holidays, plus the declared make-up working days (调休).

Each year the State Council's General Office publishes the next year's holidays and the weekend days worked in their
place (e.g. 国庆节 1–7 October 2026, with Sunday 20 September and Saturday 10 October worked). The calendar reads:

- ``settings.HOLIDAYS`` and ``settings.WORKDAYS`` (MINQING_HOLIDAYS / MINQING_WORKDAYS, ISO dates): defaults that
  need no database;
- the days declared in the table `core.CalendarDay` (page 工作日历, command ``calendar_days``), which override the
  settings for the same date.

`calendar()` reads both once; pass the `Calendar` it returns down a call chain (the ``off=`` parameters of
matters.deadlines) so that counting many days costs one query. The writes (audited) are in matters.deadlines.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)


@dataclass(frozen=True)
class Calendar:
    """The declared days: `holidays` are never working days, `workdays` always are (a weekend day worked)."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def __contains__(self, day: object) -> bool:
        """`day in calendar`: the day is a declared holiday (what the former frozenset of holidays answered)."""
        return day in self.holidays


@dataclass(frozen=True)
class DeclaredDay:
    date: dt.date
    kind: str
    name: str = ""


def _iso_dates(name: str, values: Iterable[object]) -> frozenset[dt.date]:
    days = set()
    for raw in values:
        try:
            days.add(dt.date.fromisoformat(str(raw).strip()))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {raw!r} is not an ISO date (YYYY-MM-DD).") from None
    return frozenset(days)


def settings_calendar() -> Calendar:
    """The calendar of the settings alone (no database: usable in migrations); a malformed date stops loudly."""
    holidays = _iso_dates("HOLIDAYS", settings.HOLIDAYS)
    workdays = _iso_dates("WORKDAYS", getattr(settings, "WORKDAYS", []))
    both = holidays & workdays
    if both:
        raise ImproperlyConfigured(f"HOLIDAYS and WORKDAYS both name {min(both).isoformat()}.")
    return Calendar(holidays=holidays, workdays=workdays)


CACHE_KEY = "core:calendar:v1"
CACHE_SECONDS = 60  # a day declared on one server counts on the others within a minute (at once with Redis)


def calendar() -> Calendar:
    """The settings' days overridden by the declared days of the table: one query a minute, kept in the cache (every
    matter saved and every deadline counted asks for it; the calendar changes a few times a year)."""
    key = _cache_key()
    kept = cache.get(key)
    if isinstance(kept, Calendar):
        return kept
    found = _calendar_read()
    cache.set(key, found, CACHE_SECONDS)
    return found


def _cache_key() -> str:
    """The kept calendar's key, which names the settings' days too (a changed setting is a new calendar)."""
    days = (tuple(settings.HOLIDAYS), tuple(getattr(settings, "WORKDAYS", [])))
    return f"{CACHE_KEY}:{hashlib.sha256(repr(days).encode()).hexdigest()[:16]}"


def calendar_changed() -> None:
    """Forget the kept calendar (the writers of declared days call it, in their transaction and after it)."""
    from django.db import transaction

    key = _cache_key()
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _calendar_read() -> Calendar:
    from core.models import CalendarDay

    base = settings_calendar()
    holidays, workdays = set(base.holidays), set(base.workdays)
    for day, kind in CalendarDay.objects.order_by("date").values_list("date", "kind"):
        (holidays if kind == HOLIDAY else workdays).add(day)
        (workdays if kind == HOLIDAY else holidays).discard(day)
    return Calendar(holidays=frozenset(holidays), workdays=frozenset(workdays))


def as_calendar(off: Calendar | frozenset[dt.date] | None) -> Calendar:
    """What an ``off=`` parameter gives: a calendar as is, a set of holidays (no make-up days), or None: `calendar()`."""
    if off is None:
        return calendar()
    if isinstance(off, Calendar):
        return off
    return Calendar(holidays=frozenset(off))


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _span(first: str, last: str, name: str) -> list[DeclaredDay]:
    start, end = _d(first), _d(last)
    return [DeclaredDay(start + dt.timedelta(days=i), HOLIDAY, name) for i in range((end - start).days + 1)]


# 国务院办公厅关于2026年部分节假日安排的通知: the holidays and the weekend days worked in their place. The coordination team
# checks it against each year's notice and declares the next year's days the same way (page or command).
OFFICIAL_2026: tuple[DeclaredDay, ...] = (
    *_span("2026-01-01", "2026-01-03", "元旦"),
    DeclaredDay(_d("2026-01-04"), WORKDAY, "元旦调休上班"),
    DeclaredDay(_d("2026-02-14"), WORKDAY, "春节调休上班"),
    *_span("2026-02-15", "2026-02-23", "春节"),
    DeclaredDay(_d("2026-02-28"), WORKDAY, "春节调休上班"),
    *_span("2026-04-04", "2026-04-06", "清明节"),
    *_span("2026-05-01", "2026-05-05", "劳动节"),
    DeclaredDay(_d("2026-05-09"), WORKDAY, "劳动节调休上班"),
    *_span("2026-06-19", "2026-06-21", "端午节"),
    DeclaredDay(_d("2026-09-20"), WORKDAY, "国庆节调休上班"),
    *_span("2026-09-25", "2026-09-27", "中秋节"),
    *_span("2026-10-01", "2026-10-07", "国庆节"),
    DeclaredDay(_d("2026-10-10"), WORKDAY, "国庆节调休上班"),
)
OFFICIAL: dict[int, tuple[DeclaredDay, ...]] = {2026: OFFICIAL_2026}


class CalendarParseError(ValueError):
    """A line of a calendar file that is not `date[,kind[,name]]`; the message names the line."""


def parse_days(text: str) -> list[DeclaredDay]:
    """Read a calendar file: one day a line, ``2026-10-01,holiday,国庆节`` or ``2026-10-10,workday,国庆节调休上班``; the
    kind defaults to holiday, the name to empty; blank lines and lines starting with # are skipped."""
    found: dict[dt.date, DeclaredDay] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        cells = [cell.strip() for cell in row]
        if not cells or not cells[0] or cells[0].startswith("#"):
            continue
        if cells[0].lower() == "date":  # a header row
            continue
        try:
            day = dt.date.fromisoformat(cells[0])
        except ValueError:
            raise CalendarParseError(f"line {number}: {cells[0]!r} is not an ISO date (YYYY-MM-DD)") from None
        kind = (cells[1] if len(cells) > 1 and cells[1] else HOLIDAY).lower()
        if kind not in KINDS:
            raise CalendarParseError(f"line {number}: the kind is {HOLIDAY} or {WORKDAY}, not {kind!r}")
        name = cells[2] if len(cells) > 2 else ""
        if len(name) > 60:
            raise CalendarParseError(f"line {number}: the name is longer than 60 characters")
        if day in found:
            raise CalendarParseError(f"line {number}: {day.isoformat()} is given twice")
        found[day] = DeclaredDay(day, kind, name)
    return sorted(found.values(), key=lambda d: d.date)
