"""All writes to the organisation: units, people, team memberships, contact points."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audit.services import audit_record, model_create, model_delete, model_update
from core.types import Actor
from org.models import ContactPoint, Person, TeamMembership, Unit


def unit_create(*, actor: Actor, **fields: Any) -> Unit:
    unit: Unit = model_create(actor=actor, model=Unit, action="org.unit.create", **fields)
    return unit


def unit_update(*, actor: Actor, unit: Unit, data: dict[str, Any]) -> list[str]:
    return model_update(actor=actor, instance=unit, action="org.unit.update", data=data)


def person_create(*, actor: Actor, **fields: Any) -> Person:
    person: Person = model_create(actor=actor, model=Person, action="org.person.create", **fields)
    return person


def person_update(*, actor: Actor, person: Person, data: dict[str, Any]) -> list[str]:
    return model_update(actor=actor, instance=person, action="org.person.update", data=data)


def person_phone_viewed(*, actor: Actor, person: Person) -> str:
    """Return the private phone and record who saw it."""
    with transaction.atomic():
        audit_record(actor=actor, action="org.person.view_phone", target=person)
    return person.phone


def team_member_add(*, actor: Actor, team: Unit, person: Person, position: str, order: int = 0) -> TeamMembership:
    membership: TeamMembership = model_create(
        actor=actor,
        model=TeamMembership,
        action="org.team.member_add",
        team=team,
        person=person,
        position=position,
        order=order,
    )
    return membership


def team_member_remove(*, actor: Actor, membership: TeamMembership) -> None:
    model_delete(actor=actor, instance=membership, action="org.team.member_remove")


def contact_point_create(*, actor: Actor, **fields: Any) -> ContactPoint:
    point: ContactPoint = model_create(actor=actor, model=ContactPoint, action="org.contact_point.create", **fields)
    return point


def contact_point_delete(*, actor: Actor, point: ContactPoint) -> None:
    model_delete(actor=actor, instance=point, action="org.contact_point.delete")
