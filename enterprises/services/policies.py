"""Writes of the policy library and of deliveries (a delivery closes a match)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from core.types import Actor
from enterprises.conditions import clean_conditions
from enterprises.models import (
    Delivery,
    DeliveryOutcome,
    EnterpriseProfile,
    EnterpriseSize,
    Industry,
    Policy,
    ProjectStage,
    Tag,
)
from enterprises.services.matching import matches_refresh
from matters.deadlines import add_working_days
from org.models import Person

KNOWN_VALUES = {"size": EnterpriseSize.values, "stage": ProjectStage.values}


def conditions_checked(raw: Any) -> list[dict[str, Any]]:
    """The conditions cleaned, with every code they name known (industries, tags, sizes, stages)."""
    conditions = clean_conditions(raw)
    known = {
        "industry": set(Industry.objects.values_list("code", flat=True)),
        "tags": set(Tag.objects.values_list("code", flat=True)),
        **{name: set(values) for name, values in KNOWN_VALUES.items()},
    }
    for number, condition in enumerate(conditions, start=1):
        if condition["field"] not in known:
            continue
        values = condition["value"] if isinstance(condition["value"], list) else [condition["value"]]
        unknown = [v for v in values if v not in known[condition["field"]]]
        if unknown:
            raise ValidationError(
                {
                    "conditions": _("Condition %(n)d: “%(value)s” is not a known value of %(field)s.")
                    % {"n": number, "value": unknown[0], "field": condition["field"]}
                }
            )
    return conditions


def policy_create(*, actor: Actor, **fields: Any) -> Policy:
    with transaction.atomic():
        fields["conditions"] = conditions_checked(fields.get("conditions"))
        policy = Policy(**fields)
        policy.full_clean()
        policy.save()
        audit_record(actor=actor, action="enterprises.policy.create", target=policy, after=snapshot(policy))
        matches_refresh(policy=policy)
    return policy


def policy_update(*, actor: Actor, policy: Policy, data: dict[str, Any]) -> list[str]:
    with transaction.atomic():
        if "conditions" in data:
            data = {**data, "conditions": conditions_checked(data["conditions"])}
        changed = [name for name, value in data.items() if getattr(policy, name) != value]
        if not changed:
            return []
        before = snapshot(policy, changed)
        for name in changed:
            setattr(policy, name, data[name])
        policy.full_clean()
        policy.save()
        audit_record(
            actor=actor,
            action="enterprises.policy.update",
            target=policy,
            before=before,
            after=snapshot(policy, changed),
        )
        if "conditions" in changed:
            matches_refresh(policy=policy)
    return changed


def delivery_create(
    *,
    actor: Actor,
    policy: Policy,
    enterprise: EnterpriseProfile,
    person: Person,
    delivered_on: dt.date,
    way: str,
    outcome: str,
    amount: Decimal | None = None,
    reason: str = "",
    visit: Any = None,
) -> Delivery:
    """Record a policy delivered to an enterprise; refused for a policy expired on that day.

    A granted benefit needs its amount and gets its payout clock (the policy's working days, 快申快享); "not
    applicable" needs its reason.
    """
    if policy.expired_on(delivered_on):
        raise ValidationError(
            {"policy": _("“%(policy)s” expired on %(day)s: it can no longer be delivered.")
             % {"policy": policy, "day": policy.valid_to}}
        )  # fmt: skip
    if delivered_on < policy.valid_from:
        raise ValidationError({"delivered_on": _("The policy was not yet in force on that day.")})
    if outcome == DeliveryOutcome.GRANTED and amount is None and policy.benefit_amount is None:
        raise ValidationError({"amount": _("Give the amount granted.")})
    if outcome == DeliveryOutcome.NOT_APPLICABLE and not reason.strip():
        raise ValidationError({"reason": _("Say why the policy does not apply.")})
    with transaction.atomic():
        delivery = Delivery(
            policy=policy, enterprise=enterprise, person=person, delivered_on=delivered_on, way=way,
            outcome=outcome, reason=reason, visit=visit,
            created_by=actor if actor is not None and actor.is_authenticated else None,  # type: ignore[misc]
        )  # fmt: skip
        if outcome == DeliveryOutcome.GRANTED:
            delivery.amount = amount if amount is not None else policy.benefit_amount
            delivery.payout_due = add_working_days(delivered_on, policy.payout_days)
        delivery.full_clean()
        delivery.save()
        audit_record(actor=actor, action="enterprises.delivery.create", target=delivery, after=snapshot(delivery))
    return delivery


def policy_delete(*, actor: Actor, policy: Policy) -> None:
    """Remove a policy no one has delivered yet (its matches go with it); a delivered one is kept."""
    if policy.deliveries.exists():
        raise ValidationError({"detail": _("This policy has deliveries on record: set its end date instead.")})
    with transaction.atomic():
        audit_record(actor=actor, action="enterprises.policy.delete", target=policy, before=snapshot(policy))
        policy.delete()
