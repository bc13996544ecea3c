"""What the reviews area adds to the oversight plugin: its menu entries, workbench items, API routes, extensions and the
routes the authorisation matrix checks. oversight.plugin joins the areas' declarations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, MenuItem, RouteAccess, WorkItem, access
from oversight.capabilities import OversightCap

C = OversightCap
GROUP = _("Oversight")

MENU: list[MenuItem] = [
    MenuItem(_("Monthly reviews"), "oversight:review_list", C.REVIEW_VIEW, 80, group=GROUP),
]
ROUTES: list[RouteAccess] = [
    *access("oversight:review_list", C.REVIEW_VIEW),
    *access("oversight:review_create", C.REVIEW_MANAGE, "GET POST"),
    *access("oversight:review_detail", C.REVIEW_VIEW, pk="{review}"),
    *access("oversight:review_edit", C.REVIEW_MANAGE, "GET POST", pk="{review}"),
    *access("oversight:review_prepare", C.REVIEW_MANAGE, "POST", pk="{review}"),
    *access("oversight:review_hold", C.REVIEW_MANAGE, "GET POST", pk="{review}"),
    *access("oversight:review_decision_add", C.REVIEW_MANAGE, "GET POST", pk="{held_review}"),
    *access("oversight:review_minutes", C.REVIEW_MANAGE, "GET POST", pk="{held_review}"),
    *access("oversight:review_minutes_docx", C.REVIEW_VIEW, pk="{held_review}"),
    *access("oversight:review_close", C.REVIEW_MANAGE, "POST", pk="{review}"),
    *access("oversight:review_cancel", C.REVIEW_MANAGE, "GET POST", pk="{review}"),
    *access("api:review-list", C.REVIEW_VIEW, "GET"),
    *access("api:review-list", C.REVIEW_MANAGE, "POST"),
    *access("api:review-detail", C.REVIEW_VIEW, "GET", pk="{review}"),
    *access("api:review-close", C.REVIEW_MANAGE, "POST", pk="{review}"),
]
# The campaign page's part of each phase: the reviews held, the goal of a review each month met or not.
EXTENSIONS: dict[str, list[Any]] = {
    "campaigns.phase": [{"key": "oversight.reviews", "order": 10, "build": "oversight.selectors.reviews:phase_rows"}],
}


def api() -> list[ApiRoute]:
    from oversight.api.reviews import ReviewViewSet

    return [ApiRoute("reviews", ReviewViewSet, "review")]


def work(user: Any) -> list[WorkItem]:
    """For the coordination team: the reviews held whose minutes still wait to be finished and closed."""
    from django.urls import reverse

    from core.roles import user_can
    from oversight.selectors.reviews import reviews_to_close

    if not user_can(user, C.REVIEW_MANAGE):
        return []
    count = reviews_to_close().count()
    return [WorkItem(_("Reviews held, minutes to close"), count, reverse("oversight:review_list"))] if count else []
