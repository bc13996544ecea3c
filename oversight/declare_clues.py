"""What the clues area adds to the oversight plugin (problem clues (问题线索), their investigation and the
accountability measures (问责)): its menu entry, workbench item, API routes, the assessment's two indicators and the
routes the authorisation matrix checks. oversight.plugin joins the areas' declarations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, MenuItem, RouteAccess, WorkItem, access
from oversight.capabilities import OversightCap

C = OversightCap
GROUP = _("Oversight")

MENU: list[MenuItem] = [
    MenuItem(_("Problem clues"), "oversight:clue_list", C.CLUES, 87, group=GROUP),
]
ROUTES: list[RouteAccess] = [
    *access("oversight:clue_list", C.CLUES),
    *access("oversight:clue_list", C.CLUES, query="q=XS&status=registered", note="search"),
    *access("oversight:clue_create", C.CLUES, "GET POST"),
    *access("oversight:clue_detail", C.CLUES, pk="{clue}"),
    *access("oversight:clue_link", C.CLUES, "GET POST", pk="{clue}"),
    *access("oversight:clue_dispose", C.CLUES, "GET POST", pk="{clue}"),
    *access("oversight:clue_reply", C.CLUES, "GET POST", pk="{clue}"),
    *access("oversight:clue_conclude", C.CLUES, "GET POST", pk="{clue}"),
    *access("oversight:clue_measure_add", C.CLUES, "GET POST", pk="{clue}"),
    *access("oversight:clue_file", C.CLUES, pk="{clue_file}", note="download"),
    *access("api:clue-list", C.CLUES, "GET POST"),
    *access("api:clue-detail", C.CLUES, "GET", pk="{clue}"),
    *access("api:clue-dispose", C.CLUES, "POST", pk="{clue}"),
    *access("api:clue-reply", C.CLUES, "POST", pk="{clue}"),
    *access("api:clue-conclude", C.CLUES, "POST", pk="{clue}"),
    *access("api:clue-measures", C.CLUES, "POST", pk="{clue}"),
]
# The assessment's deductions (core.indicators): founded clues and the measures, against the units and people named.
EXTENSIONS: dict[str, list[Any]] = {
    "assessment.indicators": [
        {
            "key": "clues.findings",
            "label": _("Supervision findings against"),
            "subjects": ("unit", "person"),
            "kind": "deduction",
            "compute": "oversight.selectors.clues:findings_indicator",
        },
        {
            "key": "clues.measures",
            "label": _("Accountability measures"),
            "subjects": ("unit", "person"),
            "kind": "deduction",
            "compute": "oversight.selectors.clues:measures_indicator",
        },
    ],
}


def api() -> list[ApiRoute]:
    from oversight.api.clues import ClueViewSet

    return [ApiRoute("clues", ClueViewSet, "clue")]


def work(user: Any) -> list[WorkItem]:
    """For the supervision team: the clues registered and not yet disposed of, and those past their limit."""
    from django.urls import reverse
    from django.utils import timezone

    from core.roles import user_can
    from oversight.models.clues import ClueStatus
    from oversight.selectors.clues import clues_visible_to

    if not user_can(user, C.CLUES):
        return []
    visible = clues_visible_to(user)
    url = reverse("oversight:clue_list")
    items = []
    new = visible.filter(status=ClueStatus.REGISTERED).count()
    if new:
        items.append(WorkItem(_("Problem clues to dispose of"), new, f"{url}?status=registered"))
    late = visible.filter(status=ClueStatus.DISPOSED, due_on__lt=timezone.localdate()).count()
    if late:
        items.append(WorkItem(_("Problem clues past their limit"), late, f"{url}?status=disposed"))
    return items
