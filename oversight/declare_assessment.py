"""What the assessment area adds to the oversight plugin (the assessment (指导考核): schemes, scores, ranking, appeals,
confirmation and exports): its menu entries, workbench items, API routes, extensions and the routes the
authorisation matrix checks. oversight.plugin joins the areas' declarations."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, MenuItem, RouteAccess, WorkItem, access
from oversight.capabilities import OversightCap

C = OversightCap
GROUP = _("Oversight")
A = "{assessment}"

MENU: list[MenuItem] = [
    MenuItem(_("Assessment"), "oversight:assessment_list", C.ASSESSMENT_VIEW, 86, group=GROUP),
]
ROUTES: list[RouteAccess] = [
    *access("oversight:assessment_list", C.ASSESSMENT_VIEW),
    *access("oversight:assessment_scheme_create", C.ASSESSMENT_MANAGE, "GET POST"),
    *access("oversight:assessment_scheme_edit", C.ASSESSMENT_MANAGE, "GET POST", pk="{scheme}"),
    *access("oversight:assessment_open", C.ASSESSMENT_MANAGE, "GET POST"),
    *access("oversight:assessment_appeals", C.APPEAL_REVIEW),
    *access("oversight:assessment_appeal_decide", C.APPEAL_REVIEW, "POST", pk="{appeal}"),
    *access("oversight:assessment_detail", C.ASSESSMENT_VIEW, pk=A),
    *access("oversight:assessment_compute", C.ASSESSMENT_MANAGE, "POST", pk=A),
    *access("oversight:assessment_confirm", C.ASSESSMENT_MANAGE, "POST", pk=A),
    *access("oversight:assessment_manual", C.ASSESSMENT_MANAGE, "GET POST", pk=A),
    *access("oversight:assessment_xlsx", C.ASSESSMENT_MANAGE, pk=A, note="xlsx"),
    *access("oversight:assessment_docx", C.ASSESSMENT_MANAGE, pk=A, note="docx"),
    # A breakdown is its unit's (and the assessment team's): "not found" for everyone else who may use the page.
    *[
        replace(r, missing_ok=True)
        for r in access("oversight:assessment_subject", C.ASSESSMENT_VIEW, pk=A, subject="{assessed_unit}")
    ],
    *[
        replace(r, missing_ok=True)
        for r in access("oversight:assessment_appeal", C.ASSESSMENT_VIEW, "POST", pk=A, subject="{assessed_unit}")
    ],
    *access("api:assessment-list", C.ASSESSMENT_VIEW),
    *access("api:assessment-detail", C.ASSESSMENT_VIEW, pk=A),
    *access("api:assessment-scores", C.ASSESSMENT_VIEW, pk=A),
]
# The confirmed versions' content check (verify_audit finds a snapshot changed in the database) and the person's
# confirmed scores in their duty statement (述职).
EXTENSIONS: dict[str, list[Any]] = {
    "audit.content": ["oversight.selectors.assessment:versions_audit_problems"],
    "fieldwork.statement_sections": ["oversight.selectors.assessment:statement_sections"],
}


def api() -> list[ApiRoute]:
    from oversight.api.assessment import AssessmentViewSet

    return [ApiRoute("assessments", AssessmentViewSet, "assessment")]


def work(user: Any) -> list[WorkItem]:
    """For the coordination team: the appeals waiting; for the assessment team: scores computed, not confirmed."""
    from django.urls import reverse

    from core.roles import user_can
    from oversight.selectors.assessment import appeals_pending, computed_unconfirmed

    items: list[WorkItem] = []
    if user_can(user, C.APPEAL_REVIEW):
        count = appeals_pending().count()
        if count:
            items.append(WorkItem(_("Assessment appeals waiting for review"), count,
                                  reverse("oversight:assessment_appeals"), urgent=True))  # fmt: skip
    if user_can(user, C.ASSESSMENT_MANAGE):
        count = computed_unconfirmed().count()
        if count:
            items.append(WorkItem(_("Assessments computed, not confirmed"), count,
                                  reverse("oversight:assessment_list")))  # fmt: skip
    return items
