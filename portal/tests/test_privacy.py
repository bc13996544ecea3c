"""Personal data placed in matters never appears on a public page, in a public list export or through Open311."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.test import Client

from matters.exchange.exporter import ListSpec, export
from matters.tests.factories import matter_in

pytestmark = pytest.mark.django_db

NAME = "王秘密"
PHONE = "13987654321"
TYPED_PHONE = "13812345678"
ID_NUMBER = "420101199001011234"
DOOR = "2单元501室"
SECRETS = (NAME, PHONE, TYPED_PHONE, ID_NUMBER, "501室", "4201011990")
PROBLEM = f"幸福小区3栋{DOOR}门口路灯坏了，联系{TYPED_PHONE}，身份证{ID_NUMBER}"


@pytest.fixture
def planted(demo: None):  # type: ignore[no-untyped-def]
    with time_machine.travel("2022-07-15 10:00:00+08:00", tick=False):
        personal = {"reporter_name": NAME, "reporter_phone": PHONE, "location": f"幸福小区3栋{DOOR}"}
        matters = {
            status: matter_in(status, problem=PROBLEM, **personal)
            for status in ("accepted", "in_progress", "completed", "closed")
        }
        yield matters


def _public_urls(matters: dict) -> list[str]:  # type: ignore[type-arg]
    urls = ["/", "/lists/problems/", "/lists/tasks/", "/lists/effects/", "/report/similar/?description=路灯坏了门口"]
    for matter in matters.values():
        urls += [f"/m/{matter.code}/", f"/track/{matter.tracking_code}/"]
    urls += [f"/m/{matters['completed'].code}/rate/", f"/m/{matters['closed'].code}/rate/"]
    urls += ["/open311/v2/requests.json", "/open311/v2/requests.xml"]
    for matter in matters.values():
        urls += [f"/open311/v2/requests/{matter.code}.json", f"/open311/v2/requests/{matter.code}.xml"]
    return urls


def test_no_public_page_or_open311_answer_shows_the_reporters_personal_data(planted) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with time_machine.travel("2022-07-16 10:00:00+08:00", tick=False):
        for url in _public_urls(planted):
            response = client.get(url)
            assert response.status_code == 200, url
            text = response.content.decode()
            leaked = [s for s in SECRETS if s in text]
            assert not leaked, f"{url} shows {leaked}"
            if url == "/lists/problems/" or url.startswith("/m/") or "requests" in url:
                assert "路灯坏了" in text, url  # the problem itself is public; only the personal parts are hidden


@pytest.mark.parametrize("list_kind", ["problems", "tasks", "effects"])
def test_the_public_list_export_masks_what_people_typed_and_never_names_the_reporter(planted, list_kind: str) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    export(ListSpec(list_kind=list_kind, public_only=True), "csv", out)
    text = out.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 2
    leaked = [s for s in SECRETS if s in text]
    assert not leaked


def test_a_matter_kept_private_is_not_on_any_public_list(demo: None) -> None:
    with time_machine.travel("2022-07-15 10:00:00+08:00", tick=False):
        private = matter_in("closed", problem="不公开的内部事项", is_public=False)
    client = Client()
    for url in ("/lists/problems/", "/lists/tasks/", "/lists/effects/", "/open311/v2/requests.json"):
        assert "不公开的内部事项" not in client.get(url).content.decode()
    assert client.get(f"/m/{private.code}/").status_code == 404
