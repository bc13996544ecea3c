"""The extension point `"campaigns.phase"`: what the apps above add to each phase on the campaign page.

Campaigns sit below the apps that record the work, so an entry is a plain dict an app's plugin declares::

    extensions={"campaigns.phase": [{
        "key": "oversight.reviews",                       # unique, stable
        "order": 10,                                       # the entries' order under a phase
        "build": "oversight.selectors.reviews:phase_rows", # dotted path "module:function", imported when used
    }]}

`build(campaign, phase_state) -> dict` gets the campaign and a `campaigns.selectors.PhaseState` and returns
`{"rows": [{"label": str, "value": str}], "goals": [{"label": str, "met": bool}]}`: figures to show under the
phase and its goals marked met or not from the records. Strings are already translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

from campaigns.models import Campaign
from campaigns.selectors import PhaseState
from core.plugins import extensions

POINT = "campaigns.phase"


@dataclass(frozen=True)
class PhaseReport:
    """A phase of the timeline with what the installed apps say of it."""

    state: PhaseState
    rows: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)


def declared() -> list[dict[str, Any]]:
    entries = list(extensions(POINT))
    for entry in entries:
        missing = {"key", "build"} - set(entry)
        if missing:
            raise ValueError(f"a {POINT} entry lacks {sorted(missing)}: {entry!r}")
    return sorted(entries, key=lambda e: (e.get("order", 100), e["key"]))


def phase_reports(campaign: Campaign, timeline: list[PhaseState]) -> list[PhaseReport]:
    """Each phase with the rows and goals of every installed app's entry."""
    builders = [import_string(entry["build"].replace(":", ".")) for entry in declared()]
    reports = []
    for state in timeline:
        rows: list[dict[str, Any]] = []
        goals: list[dict[str, Any]] = []
        for build in builders:
            part = build(campaign, state) or {}
            rows += part.get("rows", [])
            goals += part.get("goals", [])
        reports.append(PhaseReport(state, rows, goals))
    return reports
