"""The categories of need the issue names: seeded by migration 0002 and ensured by the demo; editable afterwards."""

from __future__ import annotations

from typing import Any

DEFAULT_CATEGORIES = [
    ("dibao", "低保"),
    ("tekun", "特困"),
    ("disability", "残疾"),
    ("elderly_alone", "独居/空巢老人"),
    ("left_behind_child", "留守儿童"),
    ("child_in_hardship", "困境儿童"),
    ("unemployed", "失业"),
    ("illness", "大病"),
    ("other", "其他"),
]


def categories_ensure(model: Any) -> None:
    """Create the default categories that are missing (never changes one an administrator edited)."""
    for order, (code, label) in enumerate(DEFAULT_CATEGORIES, start=1):
        model.objects.get_or_create(code=code, defaults={"label": label, "order": order * 10})
