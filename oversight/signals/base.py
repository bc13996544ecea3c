"""What every detector shares: the period it looks at, what it finds, the thresholds and the record references."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse


@dataclass(frozen=True)
class Thresholds:
    """The detectors' thresholds; each can be set in ``settings.SIGNAL_THRESHOLDS`` (a dict of these names)."""

    overdue_stale_working_days: int = 5  # an overdue matter with no progress for this many working days
    returned_times: int = 2  # returned for redo at least this often
    unsatisfied_min_ratings: int = 3  # a 不满意 majority counts from this many public ratings
    duty_weeks: int = 2  # duties short this many ended weeks running
    point_grace_days: int = 30  # a contact point is "never visited" once assigned this long within the period
    note_min_chars: int = 20  # notes shorter than this (letters only) are not compared
    note_similarity: float = 0.6  # Jaccard of character trigrams
    photo_hamming: int = 6  # perceptual hashes at most this many bits apart are the same photo
    late_days: int = -1  # entered more than this many days after the date; -1: settings.VISIT_LATE_DAYS
    long_day_hours: float = 16.0  # more hours of visits than this in one day
    regular_weeks: int = 3  # the same start and end every working day for this many weeks
    effect_similarity: float = 0.6  # an effect this similar to its task text is copied
    effect_min_chars: int = 20

    @property
    def late_after(self) -> int:
        return settings.VISIT_LATE_DAYS if self.late_days < 0 else self.late_days


def thresholds() -> Thresholds:
    """The thresholds in force: the defaults, overridden by ``settings.SIGNAL_THRESHOLDS``; a bad value stops loudly."""
    given: dict[str, Any] = dict(getattr(settings, "SIGNAL_THRESHOLDS", {}) or {})
    names = {f.name: f for f in dataclasses.fields(Thresholds)}
    values: dict[str, Any] = {}
    for name, raw in given.items():
        if name not in names:
            raise ImproperlyConfigured(f"SIGNAL_THRESHOLDS: unknown threshold {name!r}.")
        kind = int if names[name].type in ("int", int) else float
        try:
            values[name] = kind(raw)
        except (TypeError, ValueError):
            raise ImproperlyConfigured(f"SIGNAL_THRESHOLDS: {name} must be a number, not {raw!r}.") from None
        if values[name] < 0 and name != "late_days":
            raise ImproperlyConfigured(f"SIGNAL_THRESHOLDS: {name} cannot be negative.")
    return Thresholds(**values)


@dataclass(frozen=True)
class Window:
    """The period the detectors look at (both days included) and the day they run (`today`)."""

    start: dt.date
    end: dt.date
    today: dt.date


@dataclass
class Found:
    """One signal as a detector finds it; `keys` are the records it rests on ("visit:12"), its identity."""

    kind: str
    keys: tuple[str, ...]
    day: dt.date
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)
    person_id: int | None = None
    unit_id: int | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.kind, self.keys)


def fingerprint(kind: str, keys: tuple[str, ...] | list[str]) -> str:
    """sha256 of the kind and the sorted record keys: the same records give the same signal."""
    return hashlib.sha256("|".join([kind, *sorted(keys)]).encode()).hexdigest()


def visit_ref(visit_id: int, label: str) -> dict[str, Any]:
    return {
        "type": "visit",
        "id": visit_id,
        "label": label,
        "url": reverse("fieldwork:visit_detail", args=[visit_id]),
    }


def matter_ref(matter_id: int, code: str) -> dict[str, Any]:
    return {"type": "matter", "id": matter_id, "label": code, "url": reverse("matters:detail", args=[matter_id])}
