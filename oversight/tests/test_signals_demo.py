"""The demo: the seed's honest visits fire no signal of the visit kinds; the planted formalism (a copied note, a
reused photo, a late entry) fires exactly those three; loading the demo again adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from audit.models import AuditEvent
from campaigns.models import Campaign
from core.plugins import DemoOptions
from fieldwork import demo as fieldwork_demo
from oversight import demo_signals
from oversight.models.signals import Signal, SignalKind
from oversight.signals import VISIT_KINDS, Window, detect
from oversight.tests.reviews_world import at

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def seed_window() -> Any:
    with at("2031-07-03"), translation.override("en"):
        fieldwork_demo.load()
        seed = Campaign.objects.get(ref="seed:campaign:2022")
        yield Window(start=seed.starts_on, end=seed.ends_on, today=dt.date(2031, 7, 3))


def test_the_demos_honest_visits_fire_no_signal_of_the_visit_kinds(seed_window: Window) -> None:
    assert detect(seed_window, kinds=VISIT_KINDS) == []


def test_the_planted_records_fire_exactly_a_copied_note_a_reused_photo_and_a_late_entry(seed_window: Window) -> None:
    line = demo_signals.load(DemoOptions(full=True))
    assert line.startswith("Demo signals: 5 planted visits")
    found = sorted(f.kind for f in detect(seed_window, kinds=VISIT_KINDS))
    assert found == sorted([SignalKind.NOTE_COPIED, SignalKind.PHOTO_REUSED, SignalKind.LATE_ENTRY])
    stored = Signal.objects.filter(kind__in=VISIT_KINDS)
    assert sorted(stored.values_list("kind", flat=True)) == found
    late = stored.get(kind=SignalKind.LATE_ENTRY)
    assert late.evidence["late_reason"] == demo_signals.LATE_REASON
    count, events = Signal.objects.count(), AuditEvent.objects.count()
    assert demo_signals.load(DemoOptions(full=True)) == ""  # planted once: a second load writes nothing
    assert (Signal.objects.count(), AuditEvent.objects.count()) == (count, events)
    assert demo_signals.load(DemoOptions(full=False)) == ""
