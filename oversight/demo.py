"""Oversight's demo: each area's loader in turn (reviews before their publications; signals,
clues and circulars before the quarter's scores, which count the measures and circulars as deductions)."""

from __future__ import annotations

from core.plugins import DemoOptions

STEPS: list[str] = [
    "oversight.demo_reviews.load",
    "oversight.demo_publication.load",
    "oversight.demo_dashboard.load",
    "oversight.demo_pack.load",
    "oversight.demo_signals.load",
    "oversight.demo_clues.load",
    "oversight.demo_circulars.load",
    "oversight.demo_assessment.load",
]


def load(options: DemoOptions) -> str:
    from django.utils.module_loading import import_string

    lines = [import_string(step)(options) for step in STEPS]
    return "\n".join(line for line in lines if line)
