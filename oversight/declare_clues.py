"""What the clues area adds to the oversight plugin (problem clues (问题线索), their investigation and the accountability measures (问责)): its menu entries, workbench items, API routes,
extensions and the routes the authorisation matrix checks. oversight.plugin joins the areas' declarations."""

from __future__ import annotations

from typing import Any

from core.plugins import ApiRoute, MenuItem, RouteAccess, WorkItem

MENU: list[MenuItem] = []
ROUTES: list[RouteAccess] = []
EXTENSIONS: dict[str, list[Any]] = {}


def api() -> list[ApiRoute]:
    return []


def work(user: Any) -> list[WorkItem]:
    return []
