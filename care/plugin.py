"""What care adds: households in need, pairings, micro-wishes (a kind of matter) and their public wall."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from care import indicators
from care.capabilities import GRANTS, CareCap
from care.extensions import HOUSEHOLD_VISIT, MICRO_WISH
from core.plugins import ApiRoute, DemoOptions, MenuItem, Open, Plugin, WorkItem, access

CARE = _("Care")


def _demo(options: DemoOptions) -> str:
    from care import demo

    counts = demo.load(with_wishes=options.full)
    return f"Demo care: {counts['households']} households, {counts['wishes']} micro-wishes."


def _work(user: Any) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils import timezone

    from care.selectors import pairings_behind
    from core.roles import user_can

    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None or not user_can(user, CareCap.HOUSEHOLD_VIEW):
        return []
    behind = pairings_behind(today=timezone.localdate(), cadre=person)
    if not behind:
        return []
    return [
        WorkItem(_("Paired households behind their visit cadence"), len(behind), reverse("care:household_list"), True)
    ]


def _api() -> list[ApiRoute]:
    from care.api import HouseholdViewSet, PairingViewSet, WishViewSet

    return [
        ApiRoute("households", HouseholdViewSet, "household"),
        ApiRoute("pairings", PairingViewSet, "pairing"),
        ApiRoute("wishes", WishViewSet, "wish"),
    ]


PLUGIN = Plugin(
    grants=GRANTS,
    menu=[
        MenuItem(_("Households in need"), "care:household_list", CareCap.HOUSEHOLD_VIEW, 60, CARE),
        MenuItem(_("Micro-wishes"), "wishes:wall", CareCap.WISH_CLAIM, 61, CARE),
        MenuItem(_("Care figures"), "care:figures", CareCap.FIGURES, 62, CARE),
    ],
    work=_work,
    demo=_demo,
    urls=[("care/", "care.urls"), ("wishes/", "care.urls_wall")],
    api=_api,
    area="Care: households, pairings and micro-wishes",
    routes=[
        *access("care:household_list", CareCap.HOUSEHOLD_VIEW),
        *access("care:household_new", CareCap.HOUSEHOLD_EDIT, "GET POST"),
        *access("care:ledger_import", CareCap.HOUSEHOLD_EDIT, "GET POST"),
        *access("care:household_detail", CareCap.HOUSEHOLD_VIEW, pk="{household}"),
        *access("care:household_edit", CareCap.HOUSEHOLD_EDIT, "GET POST", pk="{household}"),
        *access("care:member_add", CareCap.HOUSEHOLD_EDIT, "POST", pk="{household}"),
        *access("care:wish_new", CareCap.HOUSEHOLD_EDIT, "POST", pk="{household}"),
        *access("care:pairing_new", CareCap.HOUSEHOLD_EDIT, "POST", pk="{household}"),
        *access("care:help_add", CareCap.HOUSEHOLD_VIEW, "POST", pk="{pairing}"),
        *access("care:wish_publish", CareCap.WISH_REVIEW, "POST", pk="{wish}"),
        *access("care:wish_deliver", CareCap.WISH_CLAIM, "POST", pk="{claimed_wish}"),
        *access("care:wish_confirm", CareCap.WISH_REVIEW, "POST", pk="{wish}"),
        *access("care:figures", CareCap.FIGURES),
        *access("care:figures", CareCap.FIGURES, query="format=xlsx", note="xlsx"),
        *access("wishes:wall", Open.PUBLIC),
        *access("wishes:claim", CareCap.WISH_CLAIM, "POST", pk="{open_wish}"),
        *access("wishes:confirm", Open.PUBLIC, "GET POST", token="{wish_token}"),  # noqa: S106  (a matrix target, not a secret)
        *access("api:household-list", CareCap.HOUSEHOLD_VIEW),
        *access("api:household-detail", CareCap.HOUSEHOLD_VIEW, pk="{household}"),
        *access("api:pairing-list", CareCap.HOUSEHOLD_VIEW),
        *access("api:pairing-detail", CareCap.HOUSEHOLD_VIEW, pk="{pairing}"),
        *access("api:wish-list", CareCap.WISH_CLAIM),
        *access("api:wish-detail", CareCap.WISH_CLAIM, pk="{open_wish}"),
        *access("api:wish-claim", CareCap.WISH_CLAIM, "POST", pk="{open_wish}"),
        *access("api:wish-fulfil", CareCap.WISH_REVIEW, "POST", pk="{wish}"),
    ],
    kinds=[MICRO_WISH],
    extensions={
        "assessment.indicators": indicators.INDICATORS,
        "fieldwork.visit": [HOUSEHOLD_VISIT],
        "oversight.charts": [
            {
                "key": "wishes_fulfilled",
                "title": _("Micro-wishes fulfilled"),
                "order": 20,
                "build": "care.selectors:wishes_chart",
            }
        ],
        "oversight.sections": [
            {"key": "care", "title": _("Care and micro-wishes"), "order": 30, "build": "care.selectors:review_section"}
        ],
    },
)
