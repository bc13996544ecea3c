"""Reads of campaigns: which one runs today, and its timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from campaigns.models import Campaign, Phase, phase_starts_on


@dataclass(frozen=True)
class PhaseState:
    phase: Phase
    starts_on: dt.date
    ends_on: dt.date
    state: str  # "done", "current" or "upcoming"
    percent_elapsed: int


def today() -> dt.date:
    return timezone.localdate()


def campaign_current(*, on: dt.date | None = None) -> Campaign | None:
    """The campaign running on the day; else the next to start; else the last that ended."""
    on = on or today()
    qs = Campaign.objects.select_related("organiser")
    return (
        qs.filter(starts_on__lte=on, ends_on__gte=on).order_by("-starts_on").first()
        or qs.filter(starts_on__gt=on).order_by("starts_on").first()
        or qs.filter(ends_on__lt=on).order_by("-ends_on").first()
    )


def campaign_timeline(campaign: Campaign, *, on: dt.date | None = None) -> list[PhaseState]:
    on = on or today()
    phases = list(campaign.phases.order_by("order"))
    out = []
    for index, phase in enumerate(phases):
        start = phase_starts_on(campaign, phases, index)
        if on > phase.ends_on:
            state, percent = "done", 100
        elif on >= start:
            span = (phase.ends_on - start).days + 1
            state, percent = "current", int(100 * ((on - start).days + 1) / span)
        else:
            state, percent = "upcoming", 0
        out.append(PhaseState(phase, start, phase.ends_on, state, percent))
    return out


def phase_current(campaign: Campaign, *, on: dt.date | None = None) -> PhaseState | None:
    return next((p for p in campaign_timeline(campaign, on=on) if p.state == "current"), None)
