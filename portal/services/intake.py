"""A resident raises a problem on the portal: the matter and its photo, written together, once per form."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction

from core.uploads import CleanFile
from matters.models import Category, Channel, Matter
from matters.services import attachment_store, matter_create

TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")


def idempotency_key(token: str) -> str:
    """The matter's idempotency key for a portal form token (a uuid4 in hex, handed out with the form)."""
    return f"portal:{token}"


def problem_already_submitted(token: str) -> Matter | None:
    """The matter created from this form token, if the form was sent before (a double click, a reload)."""
    return Matter.objects.filter(idempotency_key=idempotency_key(token)).only("id", "code", "tracking_code").first()


def problem_submit(
    *,
    token: str,
    problem: str,
    category: Category | None,
    location: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_no_sms: bool = False,
    is_public: bool = True,
    photo: CleanFile | None = None,
) -> tuple[Matter, bool]:
    """Register a problem sent from the portal, with the reporter's photo; a repeat of the same form returns the first."""
    if not TOKEN_PATTERN.match(token):
        raise ValueError("form token must be 32 lowercase hex digits")
    with transaction.atomic():
        matter, created = matter_create(
            actor=None,
            problem=problem,
            channel=Channel.PORTAL,
            category=category,
            location=location,
            latitude=latitude,
            longitude=longitude,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            reporter_no_sms=reporter_no_sms,
            is_public=is_public,
            idempotency_key=idempotency_key(token),
        )
        if created and photo is not None:
            # The reporter's photo stays internal (report=None): only evidence on progress reports is published.
            attachment_store(matter=matter, report=None, clean=photo)
    return matter, created
