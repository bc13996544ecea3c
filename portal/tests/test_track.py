"""A reporter follows a problem by its tracking code: plain-word status, steps, the reply; never personal data."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from matters.models import Category, Matter
from matters.services import matter_transition
from matters.tests.factories import assign_fields, matter_in
from portal import views_raise

pytestmark = pytest.mark.django_db

FROZEN = "2022-07-15 10:00:00+08:00"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
NAME, PHONE = "王小明", "13912345678"


@pytest.fixture(autouse=True)
def _frozen(demo: None):  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as traveller:
        yield traveller


def _raise(**changes: Any) -> Matter:
    data: dict[str, Any] = {
        "category": Category.objects.get(code="roads").pk,
        "description": "赵罗路路面破损严重，下雨天积水，行人难以通过。",
        "place": "赵罗路与长乐路交叉口",
        "name": NAME,
        "phone": PHONE,
        "consent": "on",
        "is_public": "on",
        "token": uuid.uuid4().hex,
        **changes,
    }
    response = Client().post("/report/", {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302
    matter = Matter.objects.get(idempotency_key=f"portal:{data['token']}")
    assert matter.tracking_code is not None
    return matter


def test_tracking_page_shows_status_steps_deadline_and_units_but_no_personal_data(_frozen) -> None:  # type: ignore[no-untyped-def]
    matter = _raise()
    coordinator = get_user_model().objects.get(username="coordinator")
    matter_transition(matter=matter, action="accept", actor=coordinator, reason="内部备注：先与城管沟通")
    _frozen.shift(86400)
    matter_transition(matter=matter, action="assign", actor=coordinator, **assign_fields())
    response = Client().get(f"/track/{matter.tracking_code}/", **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert matter.code in text and str(matter.tracking_code) in text
    assert "handed to the responsible units" in text  # the status in plain words
    assert [s["label"] for s in response.context["steps"]] == ["Problem received", "Accept", "Assign"]
    assert "2022-07-15" in text and "2022-07-16" in text
    assert "2022-07-31" in text and "基建办" in text
    assert f"/m/{matter.code}/" in text
    for private in (NAME, PHONE, "内部备注", "李永金", "coordinator"):
        assert private not in text


def test_a_declined_problem_shows_the_reason_addressed_to_the_reporter() -> None:
    matter = _raise()
    matter_transition(matter=matter, action="decline", actor=None, reason="不属于园区管辖，请拨打市政热线")
    response = Client().get(f"/track/{matter.tracking_code}/", **EN)
    text = response.content.decode()
    assert "could not be taken up" in text
    assert text.count("不属于园区管辖") >= 1
    assert response.context["steps"][-1]["reason"] == "不属于园区管辖，请拨打市政热线"
    assert f"/m/{matter.code}/" not in text  # declined matters leave the public lists


def test_a_problem_kept_off_the_public_lists_can_still_be_tracked() -> None:
    matter = _raise(is_public=None)
    response = Client().get(f"/track/{matter.tracking_code}/", **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert "not on the public lists" in text and f"/m/{matter.code}/" not in text
    assert NAME not in text and PHONE not in text


def test_a_merged_problem_points_to_the_matter_that_follows_it() -> None:
    target = matter_in("accepted", problem="赵罗路破损，已有人反映")
    matter = _raise()
    matter_transition(matter=matter, action="merge", actor=None, into=target)
    text = Client().get(f"/track/{matter.tracking_code}/", **EN).content.decode()
    assert "reported the same problem before you" in text and f"/m/{target.code}/" in text


def test_a_code_typed_in_lower_case_with_spaces_and_dashes_is_found() -> None:
    code = str(_raise().tracking_code)
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    response = Client().get("/track/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/track/{code}/"
    response = Client().get(f"/track/{code.lower()}/")
    assert response.status_code == 302 and response["Location"] == f"/track/{code}/"


def test_an_unknown_code_is_a_clear_404() -> None:
    response = Client().get("/track/ABCDEFGH/", **EN)
    assert response.status_code == 404
    assert "No problem has the tracking code" in response.content.decode()


def test_a_malformed_code_is_refused_with_a_message() -> None:
    response = Client().get("/track/", {"code": "12"}, **EN)
    assert response.status_code == 400
    assert "8 letters and digits" in response.content.decode()
    assert Client().get("/track/", **EN).status_code == 200


def test_lookups_are_throttled_to_stop_guessing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views_raise, "TRACK_LIMIT", 3)
    matter = _raise()
    client = Client()
    for code in ("ABCDEFGH", "BCDEFGHJ", matter.tracking_code):
        client.get(f"/track/{code}/")
    refused = client.get(f"/track/{matter.tracking_code}/", **EN)
    assert refused.status_code == 429
    assert "Too many look-ups" in refused.content.decode()


def test_numbers_typed_into_the_problem_and_place_are_masked_on_the_tracking_page() -> None:
    matter = _raise(description="幸福小区3栋2单元501室门口路灯坏了，联系13812345678", place="幸福小区3栋2单元501室")
    text = Client().get(f"/track/{matter.tracking_code}/", **EN).content.decode()
    assert "幸福小区3栋" in text
    for private in ("13812345678", "501室", NAME, PHONE):
        assert private not in text
