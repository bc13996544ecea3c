"""Send the queued outbound copies of notifications (`Delivery` rows), a few attempts each.

Several `manage.py tick` runs may overlap (cron on several app servers): each delivery is claimed in
its own short transaction, under ``SELECT … FOR UPDATE SKIP LOCKED`` where the database has it
(PostgreSQL), so that a running tick skips what another one is sending. SQLite has no row locks; its
``BEGIN IMMEDIATE`` transactions serialise the writers instead, and the status is re-read once the
transaction holds the lock. A message is sent before its row is marked: if the process dies in
between, it is sent again later (at least once, never silently lost).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from notifications.backends import Backend, PermanentDeliveryError, get_backend
from notifications.models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0  # attempts that failed in this run (retried later or given up)
    given_up: int = 0  # of those, deliveries now marked failed for good


def deliver_pending(*, limit: int = 500) -> DeliveryResult:
    """Try each pending delivery once (oldest first, at most `limit`); a bad one never stops the others."""
    result = DeliveryResult()
    if limit <= 0:
        return result
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    backends: dict[str, Backend | Exception] = {}
    for pk in ids:
        _deliver_one(pk, backends, result)
    return result


def _claim(pk: int) -> Delivery | None:
    qs = Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).select_related("notification__recipient")
    features = connection.features
    if features.has_select_for_update_skip_locked:
        of = ("self",) if features.has_select_for_update_of else ()
        qs = qs.select_for_update(skip_locked=True, of=of)
    return qs.first()


def _backend(channel: str, cache: dict[str, Backend | Exception]) -> Backend:
    if channel not in cache:
        try:
            cache[channel] = get_backend(channel)
        except Exception as exc:  # a misconfigured backend fails its deliveries, not the tick
            cache[channel] = exc
    found = cache[channel]
    if isinstance(found, Exception):
        raise found
    return found


def _deliver_one(pk: int, backends: dict[str, Backend | Exception], result: DeliveryResult) -> None:
    with transaction.atomic():
        delivery = _claim(pk)
        if delivery is None:  # sent or claimed by another tick meanwhile
            return
        delivery.attempts += 1
        try:
            if not delivery.notification.recipient.is_active:
                raise PermanentDeliveryError("The recipient's account is inactive.")
            _backend(delivery.channel, backends).send(delivery.notification)
        except Exception as exc:  # one bad delivery must never stop the others
            delivery.last_error = (str(exc) or type(exc).__name__)[:300]
            result.failed += 1
            if isinstance(exc, PermanentDeliveryError) or delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
                result.given_up += 1
            logger.warning(
                "Delivery %s (%s) attempt %s failed: %s", delivery.pk, delivery.channel, delivery.attempts, exc
            )
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
            result.sent += 1
        delivery.save(update_fields=["status", "attempts", "last_error", "sent_at"])
