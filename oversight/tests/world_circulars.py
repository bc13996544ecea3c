"""The {targets} of the circulars area's routes for the authorisation matrix."""

from __future__ import annotations


def build() -> dict[str, str]:
    return {}
