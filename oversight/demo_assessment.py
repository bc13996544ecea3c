"""The assessment area's demo data (a step of oversight.demo)."""

from __future__ import annotations

from core.plugins import DemoOptions


def load(options: DemoOptions) -> str:
    return ""
