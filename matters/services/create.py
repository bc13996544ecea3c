"""Registering a matter: its code, its tracking code, its first step, its kind's data, the coordinators told."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.roles import Role
from core.types import Actor
from matters.kinds import LIVELIHOOD
from matters.models import Category, Channel, CodeCounter, Matter, Transition
from matters.services.common import acting_user, actor_name
from matters.workflow import Status
from notifications.services import excerpt, notify


def _next_code(year: int) -> str:
    counter, _created = CodeCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"MQ-{year}-{counter.last:04d}"


TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(8))


def matter_create(
    *,
    actor: Actor,
    problem: str,
    kind: str = LIVELIHOOD,
    channel: str = Channel.API,
    category: Category | None = None,
    location: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_device_id: str = "",
    reporter_account_id: str = "",
    reporter_media_url: str = "",
    reporter_no_sms: bool = False,
    is_public: bool = True,
    campaign: Any = None,
    remarks: str = "",
    idempotency_key: str = "",
    import_key: str = "",
    reported_at: dt.datetime | None = None,
    kind_data: Mapping[str, Any] | None = None,
) -> tuple[Matter, bool]:
    """Register a reported matter; with an idempotency key, a repeat returns the first one. Returns (matter, created).

    `kind_data` is the data of the matter's kind (its spec's detail form checks it; see matters.kinds).

    The reporter's details (`reporter_*`, see matters.models.REPORTER_FIELDS) are private: never put them in
    `remarks`, which every role that sees the matter reads and the list exports write.
    """
    if idempotency_key:
        existing = Matter.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if campaign is None:
        from campaigns.selectors import campaign_current

        campaign = campaign_current()
    reported_at = reported_at or timezone.now()
    matter = Matter(
        code="pending",
        kind=kind,
        channel=channel,
        category=category,
        problem=problem.strip(),
        location=location.strip(),
        latitude=latitude,
        longitude=longitude,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_email=reporter_email.strip(),
        reporter_device_id=reporter_device_id.strip(),
        reporter_account_id=reporter_account_id.strip(),
        reporter_media_url=reporter_media_url.strip(),
        reporter_no_sms=reporter_no_sms,
        is_public=is_public,
        campaign=campaign,
        remarks=remarks,
        idempotency_key=idempotency_key,
        import_key=import_key,
        reported_at=reported_at,
        created_by=acting_user(actor),
    )
    # Field rules only, before the write lock is taken: the database enforces the constraints (a repeated
    # key raises IntegrityError below), and the campaign and author were not typed in.
    matter.full_clean(exclude=["code", "campaign", "created_by"], validate_constraints=False)
    spec = matter.kind_spec
    detail_form = spec.clean_detail(kind_data)
    coordinators = list(get_user_model().objects.filter(groups__name=Role.COORDINATOR))
    try:
        with transaction.atomic():
            matter.code = _next_code(timezone.localtime(reported_at).year)
            matter.tracking_code = new_tracking_code()
            matter.save()
            spec.create_detail(matter, detail_form, actor)
            Transition.objects.create(
                matter=matter,
                action="",
                from_status="",
                to_status=Status.REPORTED,
                actor=acting_user(actor),
                actor_name=actor_name(actor),
                at=reported_at,
                data={"channel": channel},
            )
            audit_record(actor=actor, action="matters.create", target=matter, after=_public_snapshot(matter))
            notify(
                recipients=coordinators,
                title=_("New matter %(code)s") % {"code": matter.code},
                body=excerpt(matter.problem, 200),
                link=matter.get_absolute_url(),
                subject=matter,
            )
    except (IntegrityError, ValidationError):
        # A concurrent request with the same idempotency key won the race: answer with its matter (the unique
        # index raised IntegrityError), whatever else was wrong with this copy of the request.
        if idempotency_key:
            existing = Matter.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False
        raise
    return matter, True


def _public_snapshot(matter: Matter) -> dict[str, Any]:
    """What the audit log keeps of a matter: none of the reporter's details."""
    return {
        "code": matter.code,
        "kind": matter.kind,
        "channel": matter.channel,
        "status": matter.status,
        "problem": matter.problem[:500],
        "deadline": matter.deadline.isoformat() if matter.deadline else None,
    }
