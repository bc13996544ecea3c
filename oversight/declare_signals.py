"""What the signals area adds to the oversight plugin (conduct supervision's signals (作风监督 · 预警): alerts computed from the records, and their workbench): its menu entries, workbench items, API routes,
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
