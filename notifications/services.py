"""Notify people: always into their in-app inbox, and queued for each configured outbound channel."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from notifications.models import Delivery, Notification

GROUP_CHANNELS = frozenset({"webhook"})


def excerpt(text: str, limit: int) -> str:
    """The start of a text for a message, masked before it is cut (a cut number would escape the masking)."""
    from core.privacy import redact

    return redact(text)[:limit]


def notify(
    *, recipients: Iterable[Any], title: str, body: str = "", link: str = "", subject: models.Model | None = None
) -> int:
    """Create one inbox message per distinct active recipient and queue its deliveries; return the count.

    `subject` is the record the message is about (a matter, a petition case …): the inbox names it by its
    `notification_label` (or its text) and `Notification.objects.about(record)` finds the messages again.

    Phone, ID, card and door numbers in the text are masked, whoever receives it: messages go to e-mail and chat
    groups outside the system, and the matter's page shows the numbers to those allowed to see them.
    """
    from core.privacy import redact

    title, body = redact(title), redact(body)
    now = timezone.now()
    about: dict[str, Any] = {}
    if subject is not None:
        about = {
            "subject_type": ContentType.objects.get_for_model(subject),
            "subject_id": subject.pk,
            "subject_label": str(getattr(subject, "notification_label", subject))[:100],
        }
    seen: set[int] = set()
    count = 0
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        note = Notification.objects.create(
            recipient=user, title=title[:200], body=body, link=link[:300], created_at=now, **about
        )
        for channel in settings.NOTIFY_CHANNELS:
            # A chat-bot webhook posts to a group: one post per message, not one per recipient.
            if channel in GROUP_CHANNELS and count:
                continue
            Delivery.objects.create(notification=note, channel=channel)
        count += 1
    return count
