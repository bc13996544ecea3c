"""What the compounds' writers share: audited one-row writes whose private fields never reach the audit values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from compounds.models import CommitteeMember, CompoundProfile, LinkageMeeting
from compounds.models.meetings import SIDES
from compounds.models.profile import PRIVATE_FIELDS
from core.types import Actor

PRIVATE: dict[type[models.Model], tuple[str, ...]] = {
    CompoundProfile: PRIVATE_FIELDS,
    CommitteeMember: ("name", "phone"),
    LinkageMeeting: tuple(field for field, _label in SIDES),
}


def public_values(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audit's values of a row: its private fields say only whether they are filled."""
    data = snapshot(instance, fields)
    for name in PRIVATE.get(type(instance), ()):
        if name in data:
            data[name] = "(private)" if data[name] else ""
    return data


def audited_create(*, actor: Actor, model: type[models.Model], action: str, **fields: Any) -> Any:
    with transaction.atomic():
        instance = model(**fields)
        instance.full_clean()
        instance.save()
        audit_record(actor=actor, action=action, target=instance, after=public_values(instance))
    return instance


def audited_update(*, actor: Actor, instance: models.Model, action: str, data: Mapping[str, Any]) -> list[str]:
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        before = public_values(instance, changed)
        for name in changed:
            setattr(instance, name, data[name])
        instance.full_clean()
        instance.save()
        audit_record(actor=actor, action=action, target=instance, before=before, after=public_values(instance, changed))
    return changed


def acting_user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
