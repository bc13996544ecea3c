"""The in-app inbox, as each persona: own notifications only, unread first, marked read by POST."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import PERSONAS
from notifications.models import Notification
from notifications.services import notify


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


FROZEN = dt.datetime(2022, 6, 16, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
INBOX = "/inbox/"


@pytest.fixture
def clock(time_machine: Any, demo: None) -> Any:
    """Time frozen, and empty inboxes: the demo's matters have already told people things."""
    time_machine.move_to(FROZEN, tick=False)
    Notification.objects.all().delete()
    return time_machine


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def note_for(username: str, title: str | None = None, link: str = "/matters/1/") -> Notification:
    notify(recipients=[user(username)], title=title or f"for {username}", body="正文", link=link)
    return Notification.objects.filter(recipient__username=username).order_by("-pk").first()  # type: ignore[return-value]


@pytest.fixture
def everyone(clock: Any, client_as: Callable[[str | None], Client]) -> Callable[[str | None], Client]:
    """One notification for every persona."""
    for name in PERSONAS:
        note_for(name)
    return client_as


def test_the_inbox_url_is_slash_inbox() -> None:
    assert reverse("notifications:inbox") == INBOX
    assert reverse("notifications:read", args=[7]) == "/inbox/7/read/"
    assert reverse("notifications:read_all") == "/inbox/read-all/"


@pytest.mark.parametrize("username", PERSONAS)
def test_each_persona_sees_only_their_own_notifications(everyone: Any, username: str) -> None:
    response = everyone(username).get(INBOX)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(rf"for {username}\b", page)
    for other in PERSONAS:
        if other != username:
            assert not re.search(rf"for {other}\b", page)
    assert [n.recipient.username for n in response.context["page"]] == [username]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", [INBOX, "/inbox/1/read/", "/inbox/read-all/"])
def test_anonymous_visitors_are_sent_to_login(client_as: Any, url: str, method: str) -> None:
    response = getattr(client_as(None), method)(url)
    if method == "get" and url != INBOX:
        assert response.status_code == 405  # marking read is POST only
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("username", ["resident", "outsider"])
def test_accounts_without_back_office_access_are_refused(client_as: Any, username: str) -> None:
    assert client_as(username).get(INBOX).status_code == 403


def test_unread_come_first_then_newest(clock: Any, client_as: Any) -> None:
    old_unread = note_for("handler", "old unread")
    clock.shift(dt.timedelta(hours=1))
    new_read = note_for("handler", "new read")
    new_read.read_at = FROZEN
    new_read.save()
    clock.shift(dt.timedelta(hours=1))
    newest_unread = note_for("handler", "newest unread")
    response = client_as("handler").get(INBOX, HTTP_ACCEPT_LANGUAGE="en")
    assert [n.pk for n in response.context["page"]] == [newest_unread.pk, old_unread.pk, new_read.pk]
    assert response.context["unread"] == 2
    assert "2 unread" in response.content.decode()


def test_the_inbox_is_paginated(clock: Any, client_as: Any) -> None:
    for i in range(25):
        note_for("leader", f"n{i}")
    client = client_as("leader")
    first = client.get(INBOX)
    assert len(first.context["page"]) == 20
    assert "?page=2" in first.content.decode()
    second = client.get(INBOX + "?page=2")
    assert len(second.context["page"]) == 5
    assert client.get(INBOX + "?page=99").context["page"].number == 2


def test_notifications_link_to_their_matter(clock: Any, client_as: Any) -> None:
    unread = note_for("handler", "chase", link="/matters/42/")
    page = client_as("handler").get(INBOX).content.decode()
    # Unread: a POST form that marks it read and opens the matter.
    assert f'action="/inbox/{unread.pk}/read/"' in page
    assert 'name="open" value="1"' in page
    unread.read_at = FROZEN
    unread.save()
    page = client_as("handler").get(INBOX).content.decode()
    assert 'href="/matters/42/"' in page


def test_the_inbox_page_has_no_inline_script_or_style(everyone: Any) -> None:
    page = everyone("coordinator").get(INBOX).content.decode()
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "csrfmiddlewaretoken" in page


# Marking read ------------------------------------------------------------------------------------


def test_marking_ones_own_notification_read(everyone: Any) -> None:
    mine = Notification.objects.get(recipient__username="handler")
    response = everyone("handler").post(f"/inbox/{mine.pk}/read/")
    assert response.status_code == 302
    assert response.url == INBOX
    mine.refresh_from_db()
    assert mine.read_at == FROZEN


def test_marking_read_and_opening_goes_to_the_link(clock: Any, client_as: Any) -> None:
    mine = note_for("handler", link="/matters/42/")
    response = client_as("handler").post(f"/inbox/{mine.pk}/read/", {"open": "1"})
    assert response.url == "/matters/42/"
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_marking_read_never_redirects_off_site(clock: Any, client_as: Any, target: str) -> None:
    mine = note_for("handler", link=target)
    client = client_as("handler")
    assert client.post(f"/inbox/{mine.pk}/read/", {"open": "1"}).url == INBOX
    assert client.post(f"/inbox/{mine.pk}/read/", {"next": target}).url == INBOX
    assert client.post(f"/inbox/{mine.pk}/read/", {"next": "/inbox/?page=2"}).url == "/inbox/?page=2"


@pytest.mark.parametrize("username", [p for p in PERSONAS if p != "handler"])
def test_someone_elses_notification_is_not_found(everyone: Any, username: str) -> None:
    theirs = Notification.objects.get(recipient__username="handler")
    assert everyone(username).post(f"/inbox/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_missing_notification_is_not_found(everyone: Any) -> None:
    assert everyone("handler").post("/inbox/999999/read/").status_code == 404


def test_marking_read_twice_keeps_the_first_time(clock: Any, client_as: Any) -> None:
    mine = note_for("handler")
    client = client_as("handler")
    client.post(f"/inbox/{mine.pk}/read/")
    clock.shift(dt.timedelta(hours=2))
    client.post(f"/inbox/{mine.pk}/read/")
    mine.refresh_from_db()
    assert mine.read_at == FROZEN


def test_read_all_marks_only_ones_own(everyone: Any) -> None:
    note_for("handler", "second")
    response = everyone("handler").post("/inbox/read-all/", follow=True)
    assert response.redirect_chain[-1][0] == INBOX
    assert not Notification.objects.filter(recipient__username="handler", read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == len(PERSONAS) - 1


# The unread count and the menu -------------------------------------------------------------------


def test_every_page_gets_the_unread_count(everyone: Any) -> None:
    note_for("leader", "second")
    client = everyone("leader")
    assert client.get(reverse("site:workbench")).context["unread_count"] == 2
    mine = Notification.objects.filter(recipient__username="leader").first()
    assert mine is not None
    client.post(f"/inbox/{mine.pk}/read/")
    assert client.get(INBOX).context["unread_count"] == 1


def test_anonymous_pages_have_no_unread_count(clock: Any, client_as: Any) -> None:
    assert client_as(None).get(reverse("portal:home")).context["unread_count"] == 0


@pytest.mark.parametrize("username", PERSONAS)
def test_the_menu_has_the_inbox_for_every_back_office_persona(client_as: Any, username: str) -> None:
    page = client_as(username).get(reverse("site:workbench")).content.decode()
    assert f'href="{INBOX}"' in page
