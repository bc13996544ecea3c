"""What the circulars area adds to the oversight plugin (circulars (情况通报) generated from the records, edited, issued
and kept, and the working-day calendar): its menu entries, workbench items, API routes, extensions and the routes the
authorisation matrix checks. oversight.plugin joins the areas' declarations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, MenuItem, RouteAccess, WorkItem, access
from oversight.capabilities import OversightCap

C = OversightCap
GROUP = _("Oversight")

MENU: list[MenuItem] = [
    MenuItem(_("Circulars"), "oversight:circular_list", C.CIRCULARS, 88, group=GROUP),
    MenuItem(_("Circulars received"), "oversight:circulars_received", C.ASSESSMENT_VIEW, 89, group=GROUP),
    MenuItem(_("Working-day calendar"), "oversight:calendar_days", C.CIRCULARS, 90, group=GROUP),
]
# Reading a circular needs ASSESSMENT_VIEW (every working role), then the circular itself decides: the teams that
# issue circulars see all, the assessment team the issued ones, everyone else the issued ones concerning their unit.
ROUTES: list[RouteAccess] = [
    *access("oversight:circular_list", C.CIRCULARS),
    *access("oversight:circular_create", C.CIRCULARS, "GET POST"),
    *access("oversight:circulars_received", C.ASSESSMENT_VIEW),
    *access("oversight:circular_detail", C.ASSESSMENT_VIEW, pk="{issued_circular}"),
    *access("oversight:circular_edit", C.CIRCULARS, "GET POST", pk="{circular}"),
    *access("oversight:circular_issue", C.CIRCULARS, "POST", pk="{circular}"),
    *access("oversight:circular_docx", C.ASSESSMENT_VIEW, pk="{issued_circular}"),
    *access("oversight:calendar_days", C.CIRCULARS, "GET POST"),
    *access("api:circular-list", C.ASSESSMENT_VIEW, "GET"),
    *access("api:circular-list", C.CIRCULARS, "POST"),
    *access("api:circular-detail", C.ASSESSMENT_VIEW, "GET", pk="{issued_circular}"),
    *access("api:circular-detail", C.CIRCULARS, "PATCH", pk="{circular}"),
    *access("api:circular-issue", C.CIRCULARS, "POST", pk="{circular}"),
]
EXTENSIONS: dict[str, list[Any]] = {
    # verify_audit compares every issued circular with the hash the audit chain recorded when it was issued.
    "audit.content": ["oversight.selectors.circulars:circulars_audit_problems"],
    "assessment.indicators": [
        {
            "key": "circulars.received",
            "label": _("Circulars received"),
            "subjects": ("unit", "person"),
            "kind": "deduction",
            "compute": "oversight.selectors.circulars:received_indicator",
        }
    ],
}


def api() -> list[ApiRoute]:
    from oversight.api.circulars import CircularViewSet

    return [ApiRoute("circulars", CircularViewSet, "circular")]


def work(user: Any) -> list[WorkItem]:
    """For those who issue circulars: the drafts waiting to be issued."""
    from django.urls import reverse

    from core.roles import user_can
    from oversight.models.circulars import Circular, CircularStatus

    if not user_can(user, C.CIRCULARS):
        return []
    count = Circular.objects.filter(status=CircularStatus.DRAFT).count()
    url = reverse("oversight:circular_list") + "?status=draft"
    return [WorkItem(_("Draft circulars to issue"), count, url)] if count else []
