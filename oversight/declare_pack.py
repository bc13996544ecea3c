"""What the pack area adds to the oversight plugin: its menu entries, workbench items, API routes, extensions and the
routes the authorisation matrix checks. oversight.plugin joins the areas' declarations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, MenuItem, RouteAccess, WorkItem, access
from oversight.capabilities import OversightCap

MENU: list[MenuItem] = [MenuItem(_("Monthly pack"), "oversight:pack", OversightCap.PACK, 84, group=_("Oversight"))]
ROUTES: list[RouteAccess] = [
    *access("oversight:pack", OversightCap.PACK, "GET POST"),
    *access("oversight:pack_download", OversightCap.PACK, pk="{monthly_pack}", file_format="pdf"),
    *access("oversight:pack_download", OversightCap.PACK, pk="{monthly_pack}", file_format="docx", note="docx"),
]
EXTENSIONS: dict[str, list[Any]] = {}


def api() -> list[ApiRoute]:
    return []


def work(user: Any) -> list[WorkItem]:
    return []
