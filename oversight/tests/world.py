"""The {targets} of oversight's routes for the authorisation matrix: each area's `world_<area>.build()`, joined."""

from __future__ import annotations

from oversight.tests import (
    world_assessment,
    world_circulars,
    world_clues,
    world_pack,
    world_publication,
    world_reviews,
    world_signals,
)

AREAS = (
    world_reviews,
    world_publication,
    world_pack,
    world_assessment,
    world_signals,
    world_clues,
    world_circulars,
)  # the dashboard's routes need no record of their own


def build() -> dict[str, str]:
    targets: dict[str, str] = {}
    for area in AREAS:
        targets.update(area.build())
    return targets
