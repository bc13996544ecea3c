"""What the signals area adds to the oversight plugin (conduct supervision's signals (作风监督 · 预警): alerts computed
from the records, and their workbench): its menu entries, workbench items, API routes, extensions and the routes the
authorisation matrix checks. oversight.plugin joins the areas' declarations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, MenuItem, RouteAccess, WorkItem, access
from oversight.capabilities import OversightCap

C = OversightCap
GROUP = _("Oversight")

MENU: list[MenuItem] = [
    MenuItem(_("Supervision signals"), "oversight:signal_list", C.SIGNALS, 86, group=GROUP),
]
ROUTES: list[RouteAccess] = [
    *access("oversight:signal_list", C.SIGNALS),
    *access("oversight:signal_refresh", C.SIGNALS, "POST"),
    *access("oversight:signal_detail", C.SIGNALS, pk="{signal}"),
    *access("oversight:signal_seen", C.SIGNALS, "POST", pk="{signal}"),
    *access("oversight:signal_dismiss", C.SIGNALS, "POST", pk="{signal}"),
    *access("oversight:signal_clue", C.SIGNALS, "POST", pk="{signal}"),
    *access("oversight:signal_photo", C.SIGNALS, pk="{photo_signal}", n="0"),
    *access("api:signal-list", C.SIGNALS, "GET"),
    *access("api:signal-detail", C.SIGNALS, "GET", pk="{signal}"),
    *access("api:signal-dismiss", C.SIGNALS, "POST", pk="{signal}"),
    *access("api:signal-clue", C.SIGNALS, "POST", pk="{signal}"),
]
EXTENSIONS: dict[str, list[Any]] = {}


def api() -> list[ApiRoute]:
    from oversight.api.signals import SignalViewSet

    return [ApiRoute("signals", SignalViewSet, "signal")]


def work(user: Any) -> list[WorkItem]:
    """For the supervision team: the new signals waiting to be looked at."""
    from django.urls import reverse

    from core.roles import user_can
    from oversight.models.signals import Signal, SignalStatus

    if not user_can(user, C.SIGNALS):
        return []
    count = Signal.objects.filter(status=SignalStatus.NEW).count()
    return (
        [WorkItem(_("New supervision signals"), count, reverse("oversight:signal_list") + "?status=new")]
        if count
        else []
    )
