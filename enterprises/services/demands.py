"""Enterprise demands (matters of kind `enterprise`): confidentiality, the enterprise's own rating, and what an
enterprise visit records (a demand found, a policy explained, the reason for a visit beyond the month's cap)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.types import Actor
from enterprises.models import DeliveryOutcome, DeliveryWay, Demand, EnterpriseProfile, EnterpriseVisit, Rating
from matters.models import Matter
from matters.services import matter_create
from matters.workflow import FINISHED

ENTERPRISE_KIND = "enterprise"


def visit_cap(enterprise: EnterpriseProfile | None = None) -> int:
    """无事不扰: how many visits one enterprise may have in a month before a visit needs a reason (one, for an
    enterprise that asked for fewer visits)."""
    cap = int(getattr(settings, "ENTERPRISE_VISITS_PER_MONTH", 2))
    return min(cap, 1) if enterprise is not None and enterprise.fewer_visits else cap


def demand_created(matter: Matter, detail: Demand | None, actor: Actor) -> None:
    """The kind's `after_create`: a confidential demand is never public (the back office alone sees it)."""
    if detail is not None and detail.confidential and matter.is_public:
        Matter.objects.filter(pk=matter.pk).update(is_public=False)
        matter.is_public = False
        audit_record(actor=actor, action="enterprises.demand.confidential", target=matter, after={"is_public": False})


def demand_rate(*, token: str, rating: str) -> Demand:
    """The enterprise's own rating of a finished demand, through its link; refused without the right token."""
    demand = Demand.objects.select_related("matter").filter(rating_token=token).first() if token else None
    if demand is None:
        raise ValidationError({"token": _("This rating link is not valid.")})
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose satisfied, basically satisfied or dissatisfied.")})
    if demand.matter.status not in FINISHED:
        raise ValidationError({"rating": _("The demand can be rated once its work is completed.")})
    with transaction.atomic():
        before = demand.rating
        demand.rating, demand.rated_at = rating, timezone.now()
        demand.save(update_fields=["rating", "rated_at"])
        audit_record(
            actor=None,
            action="enterprises.demand.rate",
            target=demand,
            before={"rating": before},
            after={"rating": rating},
        )
    return demand


def visit_enterprise(visit: Any) -> EnterpriseProfile | None:
    """The enterprise a visit went to (its unit, or its contact point's unit), if it has a profile."""
    unit = visit.unit or (visit.contact_point.unit if visit.contact_point_id else None)
    return EnterpriseProfile.objects.filter(unit=unit).first() if unit is not None else None


def visits_this_month(enterprise: EnterpriseProfile, day: dt.date, *, excluding: int | None = None) -> int:
    from fieldwork.models import Visit

    qs = Visit.objects.filter(date__year=day.year, date__month=day.month, kind=ENTERPRISE_KIND).filter(
        unit=enterprise.unit
    ) | Visit.objects.filter(
        date__year=day.year, date__month=day.month, kind=ENTERPRISE_KIND, contact_point__unit=enterprise.unit
    )
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return qs.distinct().count()


def demand_visit_found(visit: Any, data: dict[str, Any], actor: Actor) -> None:
    """The enterprise visit extension's save: the cap's reason, a demand found, a policy explained."""
    from enterprises.services.policies import delivery_create

    enterprise = visit_enterprise(visit)
    wants = data.get("demand_problem") or data.get("policy") or data.get("beyond_cap_reason")
    if enterprise is None:
        if wants:
            raise ValidationError({"extensions": _("This visit's place is not an enterprise with a profile.")})
        return
    earlier = visits_this_month(enterprise, visit.date, excluding=visit.pk)
    reason = (data.get("beyond_cap_reason") or "").strip()
    # The cap is asked of the people entering visits; the demo and imports record what already happened.
    entered_by_someone = actor is not None and actor.is_authenticated
    if entered_by_someone and earlier >= visit_cap(enterprise) and not reason:
        raise ValidationError(
            {
                "extensions": _(
                    "无事不扰: %(enterprise)s has had %(count)d visits this month (the cap is %(cap)d); give the reason "
                    "for this one."
                )
                % {"enterprise": enterprise, "count": earlier, "cap": visit_cap(enterprise)}
            }
        )
    EnterpriseVisit.objects.create(visit=visit, enterprise=enterprise, beyond_cap_reason=reason)
    problem = (data.get("demand_problem") or "").strip()
    if problem:
        matter, _created = matter_create(
            actor=actor, problem=problem, kind=ENTERPRISE_KIND, channel="visit",
            kind_data={"enterprise": enterprise.pk, "demand_type": data.get("demand_type") or "other",
                       "confidential": bool(data.get("confidential"))},
        )  # fmt: skip
        visit.matters.add(matter)
    if data.get("policy"):
        delivery_create(
            actor=actor, policy=data["policy"], enterprise=enterprise, person=visit.person, delivered_on=visit.date,
            way=DeliveryWay.VISIT, outcome=DeliveryOutcome.INFORMED, visit=visit,
        )  # fmt: skip


def demand_create(
    *,
    actor: Actor,
    problem: str,
    enterprise: EnterpriseProfile,
    demand_type: str,
    amount: Any = None,
    confidential: bool = False,
    channel: str = "visit",
    import_key: str = "",
    reported_at: dt.datetime | None = None,
) -> Matter:
    """A new enterprise demand: a matter of kind `enterprise` with its detail (through matters' own create)."""
    matter, _created = matter_create(
        actor=actor, problem=problem, kind=ENTERPRISE_KIND, channel=channel, import_key=import_key,
        reported_at=reported_at, kind_data={"enterprise": enterprise.pk, "demand_type": demand_type, "amount": amount,
                   "confidential": confidential},
    )  # fmt: skip
    return matter


def demand_attach(*, actor: Actor, matter: Matter, enterprise: EnterpriseProfile, demand_type: str) -> Demand:
    """Make an existing matter an enterprise demand (the seed's matter 5, raised before the kind existed)."""
    with transaction.atomic():
        before = matter.kind
        Matter.objects.filter(pk=matter.pk).update(kind=ENTERPRISE_KIND)
        matter.kind = ENTERPRISE_KIND
        demand = Demand(matter=matter, enterprise=enterprise, demand_type=demand_type)
        demand.full_clean()
        demand.save()
        audit_record(
            actor=actor, action="enterprises.demand.attach", target=matter,
            before={"kind": before}, after={"kind": ENTERPRISE_KIND, "enterprise": enterprise.pk},
        )  # fmt: skip
    return demand
