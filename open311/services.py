"""Writes of Open311: API keys (create, revoke, mark used) and service requests, which become matters."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.exceptions import DomainError
from core.services import Actor
from matters.models import Category, Channel, Matter
from matters.services import matter_create
from open311.models import ApiKey, api_key_digest, token_key

# Tokens derived from a client's Idempotency-Key live in their own namespace: uuid5(namespace, key id + header).
_IDEMPOTENCY_NAMESPACE = uuid.UUID("0b6f7a52-5e1c-4c55-9a38-3c1d1f3e3311")


@dataclass(frozen=True)
class SubmittedRequest:
    """A checked POST requests.{format}: what becomes a matter."""

    category: Category
    description: str
    address: str = ""
    address_id: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""


def api_key_create(*, actor: Actor, name: str) -> tuple[ApiKey, str]:
    """Issue a key for a client system; returns the key and its secret, which is shown once and never kept."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey(name=name.strip(), prefix=secret[:8], digest=api_key_digest(secret))
        key.full_clean()
        key.save()
        audit_record(
            actor=actor, action="open311.key_create", target=key, after={"name": key.name, "prefix": key.prefix}
        )
    return key, secret


def api_key_revoke(*, actor: Actor, name: str) -> ApiKey:
    """Stop a key from working; it stays listed, revoked, for the record."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().filter(name=name.strip()).first()
        if key is None:
            raise DomainError(_("There is no API key named “%(name)s”.") % {"name": name})
        if not key.active:
            raise DomainError(_("The API key “%(name)s” is already revoked.") % {"name": key.name})
        key.active = False
        key.revoked_at = timezone.now()
        key.save(update_fields=["active", "revoked_at"])
        audit_record(
            actor=actor,
            action="open311.key_revoke",
            target=key,
            before={"name": key.name, "active": True},
            after={"name": key.name, "active": False},
        )
    return key


def api_key_mark_used(*, key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())


def request_token(*, key: ApiKey, idempotency_key: str = "") -> str:
    """A fresh token, or, for a client's Idempotency-Key, always the same token for the same key and client."""
    if idempotency_key:
        return str(uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{key.pk}:{idempotency_key}"))
    return str(uuid.uuid4())


def service_request_create(
    *, key: ApiKey, submitted: SubmittedRequest, idempotency_key: str = ""
) -> tuple[Matter, str, bool]:
    """Register a service request as a matter of the Open311 channel. Returns (matter, token, created).

    The same token (from the same client's Idempotency-Key) gives back the first matter instead of a new one.
    What the client says about its user (name, phone, e-mail, device and account ids, the link to their photo)
    goes to the matter's private reporter fields, never to its remarks; the remarks name only the client and the
    address id of its address register.
    """
    if not submitted.description.strip():
        raise ValidationError({"description": _("Describe the problem.")})
    token = request_token(key=key, idempotency_key=idempotency_key)
    notes = [(_("Open311 client"), key.name), ("address_id", submitted.address_id)]
    matter, created = matter_create(
        actor=None,
        problem=submitted.description,
        channel=Channel.OPEN311,
        category=submitted.category,
        location=submitted.address,
        latitude=submitted.latitude,
        longitude=submitted.longitude,
        reporter_name=submitted.reporter_name,
        reporter_phone=submitted.reporter_phone,
        reporter_email=submitted.email,
        reporter_device_id=submitted.device_id,
        reporter_account_id=submitted.account_id,
        reporter_media_url=submitted.media_url,
        remarks="\n".join(f"{label}: {value}" for label, value in notes if value),
        idempotency_key=token_key(token),
    )
    return matter, token, created
