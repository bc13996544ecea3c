"""What the enterprise line adds: profiles, the policy library, matching and delivery, demands as a matter kind,
the enterprise visit's fields, its pages, API and demo."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, DemoOptions, MenuItem, Open, Plugin, WorkItem, access
from enterprises import indicators
from enterprises.capabilities import GRANTS, EnterpriseCap
from enterprises.kind import build

KIND, VISIT = build()


def _demo(options: DemoOptions) -> str:
    from enterprises import demo

    counts = demo.load(options)
    return "Demo enterprises: " + ", ".join(f"{value} {key}" for key, value in counts.items()) + "."


def _work(user: Any) -> list[WorkItem]:
    from enterprises.selectors import undelivered_for

    count, url = undelivered_for(user)
    return [WorkItem(_("Policy matches not yet delivered"), count, url)] if count else []


def _api() -> list[ApiRoute]:
    from enterprises import api

    return [
        ApiRoute("enterprises", api.EnterpriseViewSet, "enterprise"),
        ApiRoute("policies", api.PolicyViewSet, "policy"),
        ApiRoute("deliveries", api.DeliveryViewSet, "delivery"),
    ]


C = EnterpriseCap
PLUGIN = Plugin(
    grants=GRANTS,
    menu=[
        MenuItem(_("Enterprises"), "enterprises:list", C.VIEW, 60, group=_("Enterprise service")),
        MenuItem(_("Policies"), "enterprises:policy_list", C.VIEW, 61, group=_("Enterprise service")),
        MenuItem(_("Enterprise service board"), "enterprises:board", C.VIEW, 62, group=_("Enterprise service")),
    ],
    work=_work,
    demo=_demo,
    urls=[("enterprises/", "enterprises.urls")],
    api=_api,
    area="Enterprise service",
    kinds=[KIND],
    extensions={
        "assessment.indicators": indicators.INDICATORS,
        "fieldwork.visit": [VISIT],
        "oversight.charts": [
            {
                "key": "policies_delivered",
                "title": _("Policies delivered"),
                "order": 30,
                "build": "enterprises.selectors:deliveries_chart",
            }
        ],
        "oversight.sections": [
            {
                "key": "enterprises",
                "title": _("Enterprise service"),
                "order": 20,
                "build": "enterprises.selectors:review_section",
            }
        ],
    },
    routes=[
        *access("enterprises:list", C.VIEW),
        *access("enterprises:board", C.VIEW),
        *access("enterprises:board", C.VIEW, query="table=demands&format=xlsx", note="xlsx"),
        *access("enterprises:create", C.EDIT, "GET POST"),
        *access("enterprises:import", C.EDIT, "GET POST"),
        *access("enterprises:detail", C.VIEW, pk="{enterprise}"),
        *access("enterprises:edit", C.EDIT, "GET POST", pk="{enterprise}"),
        *access("enterprises:contacts", C.VIEW_CONTACTS, pk="{enterprise}"),
        *access("enterprises:contact_add", C.EDIT, "GET POST", pk="{enterprise}"),
        *access("enterprises:policy_list", C.VIEW),
        *access("enterprises:policy_create", C.POLICY_EDIT, "GET POST"),
        *access("enterprises:policy_import", C.POLICY_EDIT, "GET POST"),
        *access("enterprises:policy_detail", C.VIEW, pk="{policy}"),
        *access("enterprises:policy_edit", C.POLICY_EDIT, "GET POST", pk="{policy}"),
        *access("enterprises:delivery_create", C.DELIVER, "GET POST"),
        *access("enterprises:rate", Open.PUBLIC, "GET POST", link="{rating_link}"),
        *access("api:enterprise-list", C.VIEW, "GET"),
        *access("api:enterprise-list", C.EDIT, "POST"),
        *access("api:enterprise-detail", C.VIEW, "GET", pk="{enterprise}"),
        *access("api:enterprise-detail", C.EDIT, "PUT PATCH", pk="{enterprise}"),
        *access("api:enterprise-matches", C.VIEW, pk="{enterprise}"),
        *access("api:policy-list", C.VIEW, "GET"),
        *access("api:policy-list", C.POLICY_EDIT, "POST"),
        *access("api:policy-detail", C.VIEW, "GET", pk="{policy}"),
        *access("api:policy-detail", C.POLICY_EDIT, "PUT PATCH DELETE", pk="{policy}"),
        *access("api:policy-matches", C.VIEW, pk="{policy}"),
        *access("api:delivery-list", C.VIEW, "GET"),
        *access("api:delivery-list", C.DELIVER, "POST"),
    ],
)
