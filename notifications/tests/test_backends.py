"""Outbound channels: the chat-bot webhook against a local fake robot, e-mail through Django's locmem backend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from notifications.backends import (
    DeliveryError,
    EmailBackend,
    PermanentDeliveryError,
    WebhookBackend,
    get_backend,
    message_text,
)
from notifications.models import Notification
from notifications.tests.fake_webhook import FakeWebhook


@pytest.fixture
def robot(settings: Any) -> Iterator[FakeWebhook]:
    with FakeWebhook() as server:
        settings.NOTIFY_WEBHOOK_URL = server.url
        yield server


@pytest.fixture
def note(db: None) -> Notification:
    user = get_user_model().objects.create_user("zhang", email="zhang@example.org")
    return Notification.objects.create(
        recipient=user,
        title="MQ-2022-0001 is overdue",
        body="The deadline was 2022-06-15.",
        link="/matters/1/",
        created_at=timezone.now(),
    )


def test_message_text_is_title_body_and_link_on_their_own_lines(note: Notification, settings: Any) -> None:
    settings.SITE_URL = ""
    assert message_text(note) == "MQ-2022-0001 is overdue\nThe deadline was 2022-06-15.\n/matters/1/"
    settings.SITE_URL = "https://minqing.example.org"
    assert message_text(note).endswith("\nhttps://minqing.example.org/matters/1/")


def test_backends_are_looked_up_in_the_settings(settings: Any) -> None:
    assert isinstance(get_backend("email"), EmailBackend)
    assert isinstance(get_backend("webhook"), WebhookBackend)
    with pytest.raises(PermanentDeliveryError):
        get_backend("carrier-pigeon")


# Webhook -----------------------------------------------------------------------------------------


def test_webhook_posts_the_group_robot_text_format(note: Notification, robot: FakeWebhook) -> None:
    WebhookBackend().send(note)
    assert len(robot.requests) == 1
    sent = robot.requests[0]
    assert sent.path == "/cgi-bin/webhook/send?key=test-robot-key"
    assert sent.headers["Content-Type"].startswith("application/json")
    assert sent.json == {
        "msgtype": "text",
        "text": {"content": "MQ-2022-0001 is overdue\nThe deadline was 2022-06-15.\n/matters/1/"},
    }


def test_webhook_sends_chinese_as_utf8_and_cuts_long_content(note: Notification, robot: FakeWebhook) -> None:
    note.title = "催办：路灯损坏"
    note.body = "长" * 3000
    WebhookBackend().send(note)
    content = robot.requests[0].json["text"]["content"]
    assert content.startswith("催办：路灯损坏\n长长")
    assert len(content.encode("utf-8")) <= 2000


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, {"errcode": 0}, "HTTP 500"),
        (404, b"not found", "HTTP 404"),
        (200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "errcode 93000"),
        (200, {"errcode": "310000", "errmsg": "keywords not in content"}, "errcode 310000"),
    ],
)
def test_webhook_failures_raise(note: Notification, robot: FakeWebhook, status: int, body: Any, message: str) -> None:
    robot.answer(status, body)
    with pytest.raises(DeliveryError, match=message) as caught:
        WebhookBackend().send(note)
    assert "test-robot-key" not in str(caught.value)  # the URL holds the robot's key


def test_webhook_accepts_a_2xx_answer_that_is_not_json(note: Notification, robot: FakeWebhook) -> None:
    robot.answer(204, b"")
    WebhookBackend().send(note)
    robot.answer(200, b"ok")
    WebhookBackend().send(note)
    assert len(robot.requests) == 2


def test_webhook_does_not_follow_redirects(note: Notification, robot: FakeWebhook) -> None:
    robot.answer(302, b"", headers={"Location": "/elsewhere"})
    with pytest.raises(DeliveryError, match="HTTP 302"):
        WebhookBackend().send(note)
    assert len(robot.requests) == 1


def test_webhook_times_out(note: Notification, robot: FakeWebhook, settings: Any) -> None:
    settings.NOTIFY_WEBHOOK_TIMEOUT = 0.2
    robot.answer(200, delay=1.0)
    with pytest.raises(DeliveryError, match=r"could not be reached|timed out"):
        WebhookBackend().send(note)


def test_webhook_unreachable_or_unset(note: Notification, settings: Any) -> None:
    with FakeWebhook() as server:
        url = server.url  # the port is free again once the server is gone
    with pytest.raises(DeliveryError, match="could not be reached"):
        WebhookBackend(url=url).send(note)
    settings.NOTIFY_WEBHOOK_URL = ""
    with pytest.raises(DeliveryError, match="NOTIFY_WEBHOOK_URL"):
        WebhookBackend().send(note)
    with pytest.raises(DeliveryError, match="NOTIFY_WEBHOOK_URL"):
        WebhookBackend(url="file:///etc/passwd").send(note)


# E-mail ------------------------------------------------------------------------------------------


@pytest.fixture
def locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "minqing@example.org"
    settings.SITE_URL = "https://minqing.example.org"


def test_email_goes_to_the_recipients_address(note: Notification, locmem: None) -> None:
    EmailBackend().send(note)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang@example.org"]
    assert message.from_email == "minqing@example.org"
    assert message.subject == "MQ-2022-0001 is overdue"
    assert "The deadline was 2022-06-15." in message.body
    assert "https://minqing.example.org/matters/1/" in message.body


def test_email_subject_has_no_line_breaks(note: Notification, locmem: None) -> None:
    note.title = "first line\nsecond line"
    EmailBackend().send(note)
    assert mail.outbox[0].subject == "first line second line"


def test_email_to_a_user_without_an_address_fails_for_good(note: Notification, locmem: None) -> None:
    note.recipient.email = ""
    with pytest.raises(PermanentDeliveryError, match="no e-mail address"):
        EmailBackend().send(note)
    assert mail.outbox == []
