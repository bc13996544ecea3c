"""Calendar helpers."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """Move a date by whole months; a month's last day stays the last day of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return dt.date(year, month, last)
    return dt.date(year, month, min(day.day, last))


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from the month of `earlier` to the month of `later`."""
    return (later.year - earlier.year) * 12 + (later.month - earlier.month)


def month_spans(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months touching [start, end], each as its (first, last) day clipped to the period (none for a
    period that ends before it starts)."""
    out: list[tuple[dt.date, dt.date]] = []
    if end < start:
        return out
    month = start.replace(day=1)
    while month <= end:
        following = add_months(month, 1)
        out.append((max(month, start), min(following - dt.timedelta(days=1), end)))
        month = following
    return out
