"""Sending queued deliveries: sent, retried, failed after five attempts; one bad one never stops the rest."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from notifications.delivery import MAX_ATTEMPTS, deliver_pending
from notifications.models import Delivery, DeliveryStatus
from notifications.services import notify
from notifications.tests.fake_webhook import FakeWebhook

FROZEN = dt.datetime(2022, 6, 16, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def channels(settings: Any, time_machine: Any) -> Iterator[FakeWebhook]:
    """Both channels on: a fake robot for the webhook, Django's locmem outbox for e-mail."""
    time_machine.move_to(FROZEN, tick=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_CHANNELS = ["email", "webhook"]
    with FakeWebhook() as server:
        settings.NOTIFY_WEBHOOK_URL = server.url
        yield server


def people(*names: str, email: bool = True) -> list[Any]:
    model = get_user_model()
    return [model.objects.create_user(name, email=f"{name}@example.org" if email else "") for name in names]


def test_pending_deliveries_are_sent_and_marked(db: None, channels: FakeWebhook) -> None:
    notify(recipients=people("wang", "li"), title="催办", body="请尽快办理", link="/matters/1/")
    # E-mail goes to each recipient; the group robot gets the message once.
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3

    result = deliver_pending()
    assert (result.sent, result.failed) == (3, 0)
    assert len(mail.outbox) == 2
    assert len(channels.requests) == 1
    for delivery in Delivery.objects.all():
        assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 1, "")
        assert delivery.sent_at == FROZEN
    assert deliver_pending().sent == 0  # nothing sent twice


def test_a_failing_webhook_is_retried_then_failed_after_five_attempts(db: None, channels: FakeWebhook) -> None:
    notify(recipients=people("wang"), title="催办", link="/matters/1/")
    channels.answer(500, {"errcode": 0})
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if attempt == 3:
            channels.answer(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
        result = deliver_pending()
        webhook = Delivery.objects.get(channel="webhook")
        assert webhook.attempts == attempt
        expected = DeliveryStatus.FAILED if attempt == MAX_ATTEMPTS else DeliveryStatus.PENDING
        assert webhook.status == expected
        assert result.failed == 1
    assert "errcode 93000" in webhook.last_error
    assert webhook.sent_at is None
    assert len(channels.requests) == MAX_ATTEMPTS
    # The e-mail copy went out on the first run and was never sent again.
    assert Delivery.objects.get(channel="email").status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
    # A failed delivery is not tried again.
    assert deliver_pending().failed == 0
    assert len(channels.requests) == MAX_ATTEMPTS


def test_a_webhook_that_recovers_sends_on_the_next_attempt(db: None, channels: FakeWebhook) -> None:
    notify(recipients=people("wang"), title="催办")
    channels.answer(503, b"busy")
    deliver_pending()
    channels.answer(200)
    deliver_pending()
    webhook = Delivery.objects.get(channel="webhook")
    assert (webhook.status, webhook.attempts, webhook.last_error) == (DeliveryStatus.SENT, 2, "")


def test_one_bad_delivery_does_not_stop_the_others(db: None, channels: FakeWebhook, settings: Any) -> None:
    settings.NOTIFY_CHANNELS = ["email"]
    notify(recipients=people("noaddress", email=False) + people("wang"), title="催办")
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "broken": "notifications.tests.test_delivery.Exploding"}
    settings.NOTIFY_CHANNELS = ["broken"]
    notify(recipients=people("zhao"), title="催办")

    result = deliver_pending()
    assert (result.sent, result.failed, result.given_up) == (1, 2, 1)
    by_user = {d.notification.recipient.username: d for d in Delivery.objects.select_related("notification__recipient")}
    assert by_user["noaddress"].status == DeliveryStatus.FAILED  # no address: no point trying again
    assert "no e-mail address" in by_user["noaddress"].last_error
    assert by_user["wang"].status == DeliveryStatus.SENT
    assert by_user["zhao"].status == DeliveryStatus.PENDING
    assert by_user["zhao"].last_error == "RuntimeError"


class Exploding:
    """A backend with a bug: raises something that is not a DeliveryError."""

    def send(self, notification: Any) -> None:
        raise RuntimeError


def test_a_channel_without_backend_fails_its_deliveries(db: None, channels: FakeWebhook, settings: Any) -> None:
    settings.NOTIFY_CHANNELS = ["sms"]
    notify(recipients=people("wang"), title="催办")
    assert deliver_pending().given_up == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "sms" in delivery.last_error


def test_deliveries_to_deactivated_accounts_fail(db: None, channels: FakeWebhook) -> None:
    (wang,) = people("wang")
    notify(recipients=[wang], title="催办")
    wang.is_active = False
    wang.save()
    deliver_pending()
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    assert channels.requests == []


def test_the_limit_caps_one_run_oldest_first(db: None, channels: FakeWebhook, settings: Any) -> None:
    settings.NOTIFY_CHANNELS = ["webhook"]
    for who in people("a", "b", "c"):
        notify(recipients=[who], title="催办")
    first = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    assert deliver_pending(limit=2).sent == 2
    assert list(Delivery.objects.filter(status=DeliveryStatus.SENT).values_list("pk", flat=True)) == first[:2]
    assert deliver_pending(limit=0).sent == 0
    assert deliver_pending(limit=2).sent == 1


def test_tick_sends_after_the_deadline_pass_and_reports_counts(db: None, channels: FakeWebhook, settings: Any) -> None:
    settings.NOTIFY_CHANNELS = ["webhook"]
    for who in people("a", "b"):
        notify(recipients=[who], title="催办")
    channels.answer(500)
    out = io.StringIO()
    call_command("tick", now="2022-06-16T08:00", stdout=out)
    assert out.getvalue().strip() == "tick 2022-06-16 08:00: 0 chases, 0 circulars, 0 deliveries sent, 2 failed"
    channels.answer(200)
    out = io.StringIO()
    call_command("tick", now="2022-06-16T08:05", stdout=out)
    assert "2 deliveries sent, 0 failed" in out.getvalue()
    notify(recipients=people("c"), title="催办")
    out = io.StringIO()
    call_command("tick", "--no-send", now="2022-06-16T08:10", stdout=out)
    assert "0 deliveries sent" in out.getvalue()
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 1
