"""What the compounds' writers share: audited one-row writes whose private fields never reach the audit values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import model_create, model_update
from compounds.models import CommitteeMember, CompoundProfile, LinkageMeeting
from compounds.models.meetings import SIDES
from compounds.models.profile import PRIVATE_FIELDS
from core.types import Actor

# Personal data: the audit log says only whether these are filled.
PRIVATE: dict[type[models.Model], tuple[str, ...]] = {
    CompoundProfile: PRIVATE_FIELDS,
    CommitteeMember: ("name", "phone"),
    LinkageMeeting: tuple(field for field, _label in SIDES),
}


def audited_create(*, actor: Actor, model: type[models.Model], action: str, **fields: Any) -> Any:
    return model_create(actor=actor, model=model, action=action, hidden=PRIVATE.get(model, ()), **fields)


def audited_update(*, actor: Actor, instance: models.Model, action: str, data: Mapping[str, Any]) -> list[str]:
    hidden = PRIVATE.get(type(instance), ())
    return model_update(actor=actor, instance=instance, action=action, data=dict(data), hidden=hidden)


def acting_user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
