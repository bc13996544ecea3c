"""What every writer of matters shares: its exceptions and how it names who acted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from core.exceptions import StateConflict
from core.types import Actor


class InvalidTransition(StateConflict):
    """The action is not possible from the matter's current status."""


class Conflict(StateConflict):
    """Someone else changed the matter first."""


def actor_name(actor: Actor) -> str:
    return actor.get_username() if actor is not None and actor.is_authenticated else "system"


def acting_user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def require(value: Any, field: str, message: str) -> None:
    if value in (None, "", [], ()):
        raise ValidationError({field: message})
