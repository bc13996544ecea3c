"""The {targets} of oversight's routes for the authorisation matrix: each area's `world_<area>.build()`, joined."""

from __future__ import annotations

import importlib

AREAS = ("reviews", "publication", "dashboard", "pack")


def build() -> dict[str, str]:
    targets: dict[str, str] = {}
    for area in AREAS:
        try:
            module = importlib.import_module(f"oversight.tests.world_{area}")
        except ModuleNotFoundError as exc:
            if exc.name != f"oversight.tests.world_{area}":
                raise
            continue
        targets.update(module.build())
    return targets
