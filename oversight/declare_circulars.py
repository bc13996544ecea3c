"""What the circulars area adds to the oversight plugin (circulars (情况通报) generated from the records, edited, issued and kept, and the working-day calendar): its menu entries, workbench items, API routes,
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
