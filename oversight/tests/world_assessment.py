"""The {targets} of the assessment area's routes for the authorisation matrix."""

from __future__ import annotations


def build() -> dict[str, str]:
    return {}
