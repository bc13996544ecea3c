"""An unread report is not public (settings.PUBLIC_AFTER_ACCEPT): no list, page, file or Open311 answer shows it
until the coordination team accepts it; its reporter follows it by tracking code all along."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from matters.selectors import matters_public
from matters.services import matter_transition
from matters.tests.factories import matter_in

pytestmark = pytest.mark.django_db

FRESH = "幸福小区门口有人骂街，电话13812345678"


@pytest.fixture(autouse=True)
def _frozen(demo: None):  # type: ignore[no-untyped-def]
    with time_machine.travel("2022-07-15 10:00:00+08:00", tick=False):
        yield


def _public_texts(code: str) -> list[tuple[str, int, str]]:
    client = Client()
    urls = [
        "/",
        "/lists/problems/",
        f"/lists/problems/?q={FRESH[:6]}",
        f"/m/{code}/",
        f"/m/{code}/rate/",
        "/report/similar/?description=" + FRESH[:10],
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{code}.json",
    ]
    return [(url, (r := client.get(url)).status_code, r.content.decode()) for url in urls]


def test_a_fresh_report_is_on_no_public_page_until_accepted_then_it_is() -> None:
    fresh = matter_in("reported", problem=FRESH)
    assert not matters_public().filter(pk=fresh.pk).exists()
    for url, status, text in _public_texts(fresh.code):
        assert "骂街" not in text, url
        if url.endswith(f"/m/{fresh.code}/") or url.endswith(f"{fresh.code}.json"):
            assert status == 404, url
    matter_transition(matter=fresh, action="accept", actor=None)
    cache.clear()  # a list's count is kept for portal.selectors.COUNT_SECONDS
    assert matters_public().filter(pk=fresh.pk).exists()
    page = Client().get(f"/m/{fresh.code}/")
    assert page.status_code == 200 and "骂街" in page.content.decode()
    assert fresh.code in Client().get("/lists/problems/").content.decode()


def test_the_reporter_follows_an_unread_report_by_its_tracking_code_and_is_told_when_it_is_published() -> None:
    fresh = matter_in("reported", problem=FRESH)
    page = Client().get(f"/track/{fresh.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "once the coordination team has read and accepted it" in text
    assert f'href="/m/{fresh.code}/"' not in text


def test_a_deployment_may_publish_reports_at_once(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_AFTER_ACCEPT = False
    fresh = matter_in("reported", problem=FRESH)
    assert matters_public().filter(pk=fresh.pk).exists()
    assert Client().get(f"/m/{fresh.code}/").status_code == 200
