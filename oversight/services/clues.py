"""Problem clues: the only writes of the clues area (registering, disposing, concluding, the measures).

Every write runs in one transaction with its audit event. A clue's text and the people it names are confidential;
the audit event records the clue's number, never its text.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.exceptions import DomainError
from core.types import Actor
from matters.services import TRACKING_ALPHABET
from oversight.models.clues import Clue, ClueSource
from oversight.models.signals import Signal, SignalStatus

TEXT_MAX = 5000


def _new_tracking_code() -> str:
    return "X" + "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(9))


def _next_code(year: int) -> str:
    prefix = f"XS-{year}-"
    last = Clue.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def clue_create(
    *, actor: Actor, source: str, text: str, signal: Signal | None = None, public: bool | None = None
) -> Clue:
    """Register a clue. A public one gets a tracking code for its reporter; one from a signal marks the signal."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Say what the clue is about: the text is required."))
    if len(text) > TEXT_MAX:
        raise DomainError(_("The text is too long (at most %(max)d characters).") % {"max": TEXT_MAX})
    if source not in ClueSource.values:
        raise DomainError(_("Unknown source of a clue."))
    if (source == ClueSource.SIGNAL) != (signal is not None):
        raise DomainError(_("A clue comes from a signal exactly when its source is a signal."))
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                if signal is not None:
                    signal = Signal.objects.select_for_update().get(pk=signal.pk)
                    if signal.status == SignalStatus.CLUED:
                        raise DomainError(_("This signal has already been turned into a clue."))
                clue = Clue(
                    code=_next_code(timezone.localdate(now).year),
                    tracking_code=_new_tracking_code() if source == ClueSource.PUBLIC else None,
                    source=source,
                    text=text,
                    received_at=now,
                    signal=signal,
                    created_by=actor if actor is not None and actor.is_authenticated else None,  # type: ignore[misc]
                )
                clue.full_clean()
                clue.save()
                if signal is not None:
                    signal.status = SignalStatus.CLUED
                    signal.handled_at = now
                    signal.handled_by = clue.created_by
                    signal.save(update_fields=["status", "handled_at", "handled_by"])
                audit_record(actor=actor, action="clue.create", target=clue, after={"source": source}, label=clue.code)
                return clue
        except IntegrityError:  # two clues took the same number at once: take the next
            continue
    raise DomainError(_("The clue could not be numbered; try again."))
