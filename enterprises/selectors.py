"""Reads of the enterprise line: profiles with their filters, matches, a policy's reach, the workbench's count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import pgettext

from core.dates import month_spans
from enterprises.models import Delivery, DeliveryOutcome, Demand, EnterpriseProfile, Match, Policy
from org.models import Unit


def profiles(
    *,
    industry: str = "",
    size: str = "",
    tag: str = "",
    contact_leader: int | None = None,
    not_visited_since: dt.date | None = None,
) -> QuerySet[EnterpriseProfile]:
    """Profiles filtered as the list and the API filter them (codes for industry and tag)."""
    qs = EnterpriseProfile.objects.select_related("unit", "industry", "contact_leader").prefetch_related("tags")
    if industry:
        qs = qs.filter(industry__code=industry)
    if size:
        qs = qs.filter(size=size)
    if tag:
        qs = qs.filter(tags__code=tag)
    if contact_leader:
        qs = qs.filter(contact_leader_id=contact_leader)
    if not_visited_since is not None:
        qs = qs.annotate(last_visit=Max("unit__visits__date")).filter(
            Q(last_visit__lt=not_visited_since) | Q(last_visit__isnull=True)
        )
    return qs.order_by("unit__name")


def delivered_q() -> Exists:
    """A match closed by a delivery of its policy to its enterprise."""
    return Exists(Delivery.objects.filter(policy=OuterRef("policy"), enterprise=OuterRef("enterprise")))


def matches_of(*, enterprise: EnterpriseProfile | None = None, policy: Policy | None = None) -> QuerySet[Match]:
    qs = Match.objects.select_related("policy", "enterprise__unit").annotate(delivered=delivered_q())
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    if policy is not None:
        qs = qs.filter(policy=policy)
    return qs.order_by("-qualified", "policy__title", "enterprise__unit__name")


def undelivered(person: Any) -> QuerySet[Match]:
    """The qualifying matches of a contact leader's enterprises that no delivery has closed yet."""
    return matches_of().filter(~delivered_q(), qualified=True, enterprise__contact_leader=person)


def undelivered_for(user: Any) -> tuple[int, str]:
    """(count, page) for the workbench of a contact leader; (0, "") for anyone else."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return 0, ""
    count = undelivered(person).count()
    return count, reverse("enterprises:list") + f"?contact_leader={person.pk}"


@dataclass(frozen=True)
class Reach:
    """How far a policy got: enterprises qualifying, informed, applied, granted, and the amount granted."""

    qualifying: int
    informed: int
    applied: int
    granted: int
    amount: Decimal


def reach(policy: Policy) -> Reach:
    by_outcome = dict(
        Delivery.objects.filter(policy=policy)
        .values_list("outcome")
        .annotate(n=Count("enterprise", distinct=True))
        .values_list("outcome", "n")
    )
    amount = Delivery.objects.filter(policy=policy, outcome=DeliveryOutcome.GRANTED).aggregate(s=Sum("amount"))["s"]
    return Reach(
        qualifying=Match.objects.filter(policy=policy, qualified=True).count(),
        informed=sum(by_outcome.values()),
        applied=by_outcome.get(DeliveryOutcome.APPLIED, 0) + by_outcome.get(DeliveryOutcome.GRANTED, 0),
        granted=by_outcome.get(DeliveryOutcome.GRANTED, 0),
        amount=amount or Decimal("0"),
    )


def demands_of(enterprise: EnterpriseProfile) -> QuerySet[Demand]:
    return Demand.objects.filter(enterprise=enterprise).select_related("matter").order_by("-matter__reported_at")


def deliveries(*, enterprise: EnterpriseProfile | None = None) -> QuerySet[Delivery]:
    qs = Delivery.objects.select_related("policy", "enterprise__unit", "person")
    return qs.filter(enterprise=enterprise) if enterprise is not None else qs


def visits_of(enterprise: EnterpriseProfile) -> QuerySet[Any]:
    """The visits to an enterprise (to its unit, or to a contact point at it), latest first."""
    from fieldwork.models import Visit

    return (
        Visit.objects.filter(Q(unit=enterprise.unit) | Q(contact_point__unit=enterprise.unit))
        .select_related("person")
        .order_by("-date", "-id")
    )


def deliveries_chart(start: dt.date, end: dt.date, scope: Unit | None) -> dict[str, Any]:
    """The oversight chart of policies delivered: per month of the period, the deliveries by outcome (in a unit's
    scope: those its people made)."""
    qs = Delivery.objects.filter(delivered_on__gte=start, delivered_on__lte=end)
    if scope is not None:
        qs = qs.filter(person__unit=scope)
    rows = list(qs.values_list("delivered_on", "outcome"))
    months = month_spans(start, end)
    return {
        "kind": "stacked",
        "labels": [date_format(lo, "YEAR_MONTH_FORMAT") for lo, _hi in months],
        "series": [
            {
                "name": str(outcome.label),
                "values": [sum(lo <= on <= hi and got == outcome for on, got in rows) for lo, hi in months],
            }
            for outcome in DeliveryOutcome
        ],
        "unit": pgettext("unit of a count of policy deliveries", "deliveries"),
    }


def review_section(start: dt.date, end: dt.date, scope: Any = None) -> dict[str, Any]:
    """The enterprise line's part of the monthly review (`oversight.sections`): demands raised and completed,
    policies delivered in the period, in counts by demand type; no contact, no confidential amount."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from enterprises.models import DemandType
    from matters.workflow import FINISHED

    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    raised = Demand.objects.filter(matter__reported_at__gte=lo, matter__reported_at__lt=hi)
    completed = Demand.objects.filter(
        matter__status__in=FINISHED, matter__completed_at__gte=lo, matter__completed_at__lt=hi
    )
    delivered = Delivery.objects.filter(delivered_on__gte=start, delivered_on__lte=end)
    by_type = raised.values("demand_type").annotate(n=Count("pk")).order_by("demand_type")
    return {
        "figures": [
            {"label": _("Demands raised"), "value": raised.count(), "unit": ""},
            {"label": _("Demands completed"), "value": completed.count(), "unit": ""},
            {"label": _("Policy deliveries"), "value": delivered.count(), "unit": ""},
            {"label": _("Enterprises reached"), "value": delivered.values("enterprise").distinct().count(), "unit": ""},
        ],
        "tables": [
            {
                "title": _("Demands raised by type"),
                "columns": [_("Demand type"), _("Raised")],
                "rows": [[str(DemandType(row["demand_type"]).label), row["n"]] for row in by_type],
            }
        ],
        "notes": [],
    }
