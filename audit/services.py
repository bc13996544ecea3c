"""Write audit events. Every service that changes data calls `audit_record` inside its transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from audit.models import AuditEvent, AuditHead
from core.types import Actor

GENESIS_HASH = "0" * 64


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so that what we hash is exactly what the database gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False, sort_keys=True))


def event_hash(event: AuditEvent) -> str:
    payload = [
        event.seq,
        event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.actor_id,
        event.actor_name,
        event.action,
        event.target_type,
        event.target_id,
        event.target_label,
        event.before,
        event.after,
        event.prev_hash,
    ]
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def snapshot(instance: models.Model, fields: list[str] | None = None, *, hidden: Sequence[str] = ()) -> dict[str, Any]:
    """Return the concrete field values of a model instance, for the audit's old/new values.

    A `hidden` field (personal data) is written only as whether it is filled: "(private)" or "".
    """
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = field.value_from_object(instance)
        data[field.attname] = ("(private)" if value else "") if field.name in hidden else value
    return _jsonable(data)


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    label: str = "",
) -> AuditEvent:
    """Append one event to the chain; must run inside the caller's transaction."""
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        real_actor = actor if actor is not None and actor.is_authenticated else None
        event = AuditEvent(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor_id=real_actor.pk if real_actor is not None else None,
            actor_name=real_actor.get_username() if real_actor is not None else "system",
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=(label or (str(target) if target is not None else ""))[:300],
            before=_jsonable(before),
            after=_jsonable(after),
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def audit_view(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model,
    fields: list[str],
    label: str = "",
) -> AuditEvent:
    """Record that someone was shown private data of a record: which fields, never their values."""
    with transaction.atomic():
        return audit_record(actor=actor, action=action, target=target, after={"fields": sorted(fields)}, label=label)


def audit_list_view(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    model: type[models.Model],
    ids: Sequence[int | str],
    fields: Sequence[str],
    label: str = "",
) -> AuditEvent | None:
    """Record that one page of a list showed private data of these records: one event naming the records (their
    model and ids) and the fields shown, never the values. Nothing is recorded when no record on the page showed any."""
    if not ids:
        return None
    after = {"records": model._meta.label_lower, "ids": [int(i) for i in ids], "fields": sorted(set(fields))}
    with transaction.atomic():
        return audit_record(actor=actor, action=action, after=after, label=label)


# --- audited writes of one row, for services that need nothing more ---------------------------------------


def model_create(
    *, actor: Actor, model: type[models.Model], action: str, hidden: Sequence[str] = (), **fields: Any
) -> Any:
    """Validate and insert one row, and audit it, in one transaction; `hidden` fields as in `snapshot`."""
    with transaction.atomic():
        instance = model(**fields)
        instance.full_clean()
        instance.save()
        audit_record(actor=actor, action=action, target=instance, after=snapshot(instance, hidden=hidden))
    return instance


def model_update(
    *, actor: Actor, instance: models.Model, action: str, data: dict[str, Any], hidden: Sequence[str] = ()
) -> list[str]:
    """Apply the changed fields of `data`, validate, save and audit old and new values; return the changed names."""
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        before = snapshot(instance, changed, hidden=hidden)
        for name in changed:
            setattr(instance, name, data[name])
        instance.full_clean()
        instance.save()
        after = snapshot(instance, changed, hidden=hidden)
        audit_record(actor=actor, action=action, target=instance, before=before, after=after)
    return changed


def model_delete(*, actor: Actor, instance: models.Model, action: str) -> None:
    with transaction.atomic():
        before = snapshot(instance)
        label = str(instance)
        audit_record(actor=actor, action=action, target=instance, before=before, label=label)
        instance.delete()
