"""What the oversight app adds: the monthly review and its publication, the monthly pack, the dashboards, the
assessment, and conduct supervision (signals, clues, investigation, accountability, circulars).

Each area declares its part in its own `declare_<area>.py`; the plugin joins them.
"""

from __future__ import annotations

from typing import Any

from core.plugins import ApiRoute, DemoOptions, Plugin, WorkItem
from oversight import (
    declare_assessment,
    declare_circulars,
    declare_clues,
    declare_dashboard,
    declare_pack,
    declare_publication,
    declare_reviews,
    declare_signals,
)
from oversight.capabilities import GRANTS

AREAS = (
    declare_reviews,
    declare_publication,
    declare_dashboard,
    declare_pack,
    declare_assessment,
    declare_signals,
    declare_clues,
    declare_circulars,
)


def _demo(options: DemoOptions) -> str:
    from oversight import demo

    return demo.load(options)


def _api() -> list[ApiRoute]:
    return [route for area in AREAS for route in area.api()]


def _work(user: Any) -> list[WorkItem]:
    return [item for area in AREAS for item in area.work(user)]


def _extensions() -> dict[str, list[Any]]:
    joined: dict[str, list[Any]] = {}
    for area in AREAS:
        for point, entries in area.EXTENSIONS.items():
            joined.setdefault(point, []).extend(entries)
    return joined


PLUGIN = Plugin(
    grants=GRANTS,
    menu=[item for area in AREAS for item in area.MENU],
    work=_work,
    demo_late=_demo,  # the reviews, publications and packs count the public's ratings (the portal's demo)
    urls=[("oversight/", "oversight.urls")],
    api=_api,
    routes=[route for area in AREAS for route in area.ROUTES],
    area="Oversight",
    extensions=_extensions(),
)
