"""A problem's length and an Idempotency-Key's are one rule, met the same way through every channel.

A problem may have 5,000 characters, whether it comes from the portal, Open311, the REST API, the back office
or a table import (Matter's own validation); an Idempotency-Key 100, on the API and on Open311 alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from rest_framework.authtoken.models import Token

from core.idempotency import KEY_MAX_LENGTH
from matters.exchange.importer import import_table
from matters.models import PROBLEM_MAX_LENGTH, Category, Channel, Matter
from matters.services import matter_create, matter_transition
from open311.services import api_key_create

NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=dt.UTC)
TOO_LONG = "路" * (PROBLEM_MAX_LENGTH + 1)
LONGEST = "路灯不亮。" * (PROBLEM_MAX_LENGTH // 5)
MESSAGE = "Keep the description to 5000 characters (you wrote 5001)."

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def _frozen_in_english() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


def api(username: str) -> Client:
    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return Client(headers={"Authorization": f"Token {token.key}", "Accept-Language": "en"})


def portal(description: str) -> Any:
    form = {
        "category": Category.objects.get(code="roads").pk,
        "description": description,
        "place": "赵罗路",
        "token": uuid.uuid4().hex,
    }
    return Client(headers={"Accept-Language": "en"}).post("/report/", form)


def open311(description: str, **headers: str) -> Any:
    _key, secret = api_key_create(actor=None, name=f"client-{uuid.uuid4().hex[:6]}")
    data = {"api_key": secret, "service_code": "roads", "address_string": "赵罗路", "description": description}
    return Client(headers={"Accept-Language": "en", **headers}).post("/open311/v2/requests.json", data)


def table(problem: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["序号", "问题清单", "任务清单", "完成时限", "责任领导", "责任部门社区", "备注"])
    writer.writerow(["1", problem, "检修路灯", "2022.8", "杨立新", "基建办", ""])
    return out.getvalue().encode()


def test_a_problem_over_5000_characters_is_refused_the_same_way_through_every_channel(
    client_as: Callable[[str | None], Client],
) -> None:
    response = portal(TOO_LONG)
    assert response.status_code == 400 and response.context["form"].errors["description"] == [MESSAGE]
    response = open311(TOO_LONG)
    assert response.status_code == 400 and response.json()[0]["description"] == f"description: {MESSAGE}"
    response = api("cadre").post("/api/v1/matters/", {"problem": TOO_LONG, "kind": "livelihood"})
    assert response.status_code == 400 and response.json()["problem"] == [MESSAGE]
    coordinator = client_as("coordinator")
    coordinator.cookies["django_language"] = "en"
    page = coordinator.post("/matters/new/", {"kind": "livelihood", "channel": "hotline", "problem": TOO_LONG})
    assert page.status_code == 200 and page.context["form"].errors["problem"] == [MESSAGE]
    report = import_table(name="清单.csv", data=table(TOO_LONG), actor=None)
    assert [str(e) for e in report.errors] == [f"Row 2, column “问题清单”: {MESSAGE}"] and not report.written
    with pytest.raises(ValidationError) as refused:
        matter_create(actor=None, problem=TOO_LONG, channel=Channel.HOTLINE)
    assert refused.value.message_dict == {"problem": [MESSAGE]}
    assert not Matter.objects.exists()


def test_a_problem_of_5000_characters_is_taken_through_every_channel(client_as: Callable[[str | None], Client]) -> None:
    assert portal(LONGEST).status_code == 302
    assert open311(LONGEST).status_code == 200
    assert api("cadre").post("/api/v1/matters/", {"problem": LONGEST, "kind": "livelihood"}).status_code == 201
    assert import_table(name="清单.csv", data=table(LONGEST), actor=None).written
    assert Matter.objects.filter(problem=LONGEST).count() == 4


def test_open311_answers_a_long_problem_within_the_specs_4000_characters() -> None:
    code = open311(LONGEST).json()[0]["service_request_id"]
    Matter.objects.filter(code=code).update(is_public=True)
    matter_transition(matter=Matter.objects.get(code=code), action="accept", actor=None)  # public once read
    [answer] = Client().get(f"/open311/v2/requests/{code}.json").json()
    assert len(answer["description"]) == 4000 and answer["description"].endswith("…")
    assert LONGEST.startswith(answer["description"][:-1])


def test_an_idempotency_key_over_100_characters_is_refused_alike_on_the_api_and_open311() -> None:
    message = "The Idempotency-Key header may have at most 100 characters."
    long_key = "k" * (KEY_MAX_LENGTH + 1)
    response = api("cadre").post(
        "/api/v1/matters/",
        {"problem": "路灯不亮", "kind": "livelihood"},
        content_type="application/json",
        headers={"Idempotency-Key": long_key},
    )
    assert response.status_code == 400 and response.json() == {"Idempotency-Key": [message]}
    response = open311("长宇社区3栋楼下路灯不亮已一周。", **{"Idempotency-Key": long_key})
    assert response.status_code == 400 and response.json() == [{"code": 400, "description": message}]
    assert not Matter.objects.exists()


def test_a_key_of_100_characters_is_kept_and_answers_a_retry_on_both_faces() -> None:
    key = "k" * KEY_MAX_LENGTH
    first = open311("长宇社区3栋楼下路灯不亮已一周。", **{"Idempotency-Key": key}).json()[0]
    assert first["service_request_id"]
    client = api("cadre")
    data = {"problem": "路灯不亮", "kind": "livelihood"}
    created = client.post("/api/v1/matters/", data, content_type="application/json", headers={"Idempotency-Key": key})
    again = client.post("/api/v1/matters/", data, content_type="application/json", headers={"Idempotency-Key": key})
    assert (created.status_code, again.status_code) == (201, 200) and created.json()["id"] == again.json()["id"]


def test_the_key_limit_is_the_length_of_the_field_the_api_keeps_keys_in() -> None:
    assert Matter._meta.get_field("idempotency_key").max_length == KEY_MAX_LENGTH
