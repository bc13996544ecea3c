"""The supervision signals' detectors (作风监督 · 预警): each reads the records of a period and says what it finds.

A detector is a function (window, thresholds) → Found…; `detect` runs them all (or some kinds). What is found is
written by oversight.services.signals.signals_refresh, keyed by its fingerprint. The thresholds are in
oversight.signals.base.Thresholds (settings.SIGNAL_THRESHOLDS overrides them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.utils.translation import gettext_noop

from oversight.models.signals import SignalKind
from oversight.signals import duties, matters, visits
from oversight.signals.base import Found, Thresholds, Window, thresholds

__all__ = ["DETECTORS", "UNAVAILABLE", "VISIT_KINDS", "Found", "Thresholds", "Window", "detect", "thresholds"]

K = SignalKind
Detector = Callable[[Window, Thresholds], Iterator[Found]]

DETECTORS: dict[str, Detector] = {
    K.OVERDUE_STALE: matters.overdue_stale,
    K.RETURNED: matters.returned_repeatedly,
    K.UNSATISFIED: matters.closed_unsatisfied,
    K.DUTY_SHORTFALL: duties.duty_shortfalls,
    K.POINT_UNVISITED: duties.points_unvisited,
    K.NOTE_COPIED: visits.notes_copied,
    K.PHOTO_REUSED: visits.photos_reused,
    K.LATE_ENTRY: visits.late_entries,
    K.LONG_DAY: visits.long_days,
    K.OVERLAP: visits.overlaps,
    K.REGULAR: visits.regularity,
    K.REPORT_PHOTO_REUSED: matters.report_photos_reused,
    K.EFFECT_COPIED: matters.effects_copied,
}
# Kinds declared but not detected, and why (shown on the workbench).
UNAVAILABLE: dict[str, str] = {
    K.TOO_FAR: gettext_noop(
        "Neither visits, units nor contact points carry coordinates: there is nothing to measure travel by."
    ),
}
# The formalism in the visit records: the demo's honest visits must fire none of these.
VISIT_KINDS = frozenset({K.NOTE_COPIED, K.PHOTO_REUSED, K.LATE_ENTRY, K.LONG_DAY, K.OVERLAP, K.TOO_FAR, K.REGULAR})


def detect(window: Window, *, kinds: Iterable[str] | None = None, limits: Thresholds | None = None) -> list[Found]:
    """Run the detectors of `kinds` (all by default) over the window; one Found per fingerprint."""
    limits = limits or thresholds()
    wanted = list(DETECTORS) if kinds is None else [k for k in DETECTORS if k in set(kinds)]
    found: dict[str, Found] = {}
    for kind in wanted:
        for item in DETECTORS[kind](window, limits):
            found.setdefault(item.fingerprint, item)
    return list(found.values())
