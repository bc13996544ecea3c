"""What the publication area adds to the oversight plugin: its menu entries, workbench items, API routes, extensions and the
routes the authorisation matrix checks. oversight.plugin joins the areas' declarations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, MenuItem, Open, RouteAccess, WorkItem, access
from oversight.capabilities import OversightCap

C = OversightCap

MENU: list[MenuItem] = [
    MenuItem(_("Publish the three lists"), "oversight:publication", C.PUBLISH, 82, group=_("Oversight"))
]
ROUTES: list[RouteAccess] = [
    *access("oversight:publication", C.PUBLISH, "GET POST"),
    *access("oversight:publication", C.PUBLISH, query="month={published_month}", note="preview"),
    *access("api:published-list", Open.PUBLIC, "GET"),
    *access("api:published-detail", Open.PUBLIC, "GET", pk="{publication}"),
]
# verify_audit compares every stored snapshot with the hash the audit chain recorded when it was published.
EXTENSIONS: dict[str, list[Any]] = {"audit.content": ["oversight.selectors.publication:publications_audit_problems"]}


def api() -> list[ApiRoute]:
    from oversight.api.publication import PublicationViewSet

    return [ApiRoute("published", PublicationViewSet, "published")]


def work(user: Any) -> list[WorkItem]:
    """For those who publish: the campaign's ended months not yet published."""
    from core.roles import user_can

    if not user_can(user, C.PUBLISH):
        return []
    from oversight.selectors.publication import months_unpublished

    months = months_unpublished()
    if not months:
        return []
    from django.urls import reverse

    return [
        WorkItem(
            _("Ended months whose three lists are not yet published"), len(months), reverse("oversight:publication")
        )
    ]
