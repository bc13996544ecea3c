"""What the dashboard area adds to the oversight plugin: its menu entries, workbench items, API routes, extensions and the
routes the authorisation matrix checks. oversight.plugin joins the areas' declarations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, MenuItem, RouteAccess, WorkItem, access
from oversight.capabilities import OversightCap

C = OversightCap

MENU: list[MenuItem] = [MenuItem(_("Dashboard"), "oversight:dashboard", C.DASHBOARD, 80, group=_("Oversight"))]
ROUTES: list[RouteAccess] = [
    *access("oversight:dashboard", C.DASHBOARD),
    *access("oversight:dashboard", C.DASHBOARD, query="period=month&month=2022-07", note="month"),
    *access("oversight:dashboard_xlsx", C.DASHBOARD, key="rates_monthly"),
    *access("oversight:dashboard_xlsx", C.DASHBOARD, key="petition_closed", query="from=2022-07-01&to=2022-07-31"),
    *access("api:figures-list", C.DASHBOARD),
    *access("api:figures-list", C.DASHBOARD, query="from=2022-07-01&to=2022-07-31", note="period"),
]
EXTENSIONS: dict[str, list[Any]] = {}


def api() -> list[ApiRoute]:
    from oversight.api.dashboard import FiguresViewSet

    return [ApiRoute("figures", FiguresViewSet, "figures")]


def work(user: Any) -> list[WorkItem]:
    return []
