"""Text spoofing (issue 12, point 9): bidi overrides and zero-width characters never reach a page or a file.

A right-to-left override (U+202E) makes "赵罗路口" read backwards, "gpj.exe" pass for "exe.jpg", and a zero-width
space makes two names that look alike differ (or hides between a phone number's digits). Names and single-line
fields drop them on input through every channel; free text drops them too (but for the joiner inside an emoji);
text stored before that rule, or written past it, is neutralised on output.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from core.text import BIDI_CONTROLS, INVISIBLE, ZERO_WIDTH, clean_line, clean_text
from matters.exchange.exporter import ListSpec, export_bytes
from matters.models import Category, Matter
from matters.services import matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status
from open311.services import api_key_create
from org.models import Unit

pytestmark = pytest.mark.django_db
ClientAs = Callable[[str | None], Client]

NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RLO, PDF, ZWSP, ZWJ, LRI, PDI = "\u202e", "\u202c", "\u200b", "\u200d", "\u2066", "\u2069"
# Every character the rule is about, spread through text as an attacker would.
SPOOF = "".join(sorted(INVISIBLE))


@pytest.fixture(autouse=True)
def _frozen(demo: None) -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _spoofs(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if c in INVISIBLE})


def _body(response: Any) -> str:
    body = response.getvalue() if response.streaming else response.content
    text = body.decode("utf-8")
    if "json" in response.get("Content-Type", ""):
        text += json.dumps(json.loads(body), ensure_ascii=False)  # "\u202e" escapes unescaped
    return text


def test_bidi_controls_and_zero_width_characters_are_the_ones_the_issue_names() -> None:
    assert {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"} <= BIDI_CONTROLS
    assert {"\u200e", "\u200f", "\u061c"} <= BIDI_CONTROLS
    assert {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"} <= ZERO_WIDTH


def test_a_problem_raised_on_the_portal_with_an_rlo_in_its_location_and_text_is_shown_without_it() -> None:
    client = Client()
    form = {
        "category": Category.objects.get(code="roads").pk,
        "description": f"赵罗路{RLO}口路面破损{ZWSP}，积水{LRI}严重{PDI}",
        "place": f"赵罗路{RLO}口{PDF}东侧",
        "consent": "on",
        "is_public": "on",
        "token": uuid.uuid4().hex,
    }
    assert client.post("/report/", form).status_code == 302
    matter = Matter.objects.latest("pk")
    assert (matter.problem, matter.location) == ("赵罗路口路面破损，积水严重", "赵罗路口东侧")
    matter_transition(matter=matter, action="accept", actor=None)  # public once read (PUBLIC_AFTER_ACCEPT)
    assert matter.tracking_code is not None
    for url in (f"/m/{matter.code}/", f"/track/{matter.tracking_code}/", "/lists/problems/"):
        page = _body(client.get(url))
        assert "赵罗路口东侧" in page and not _spoofs(page), url


def test_a_problem_sent_through_open311_with_an_rlo_in_its_address_and_text_is_shown_without_it() -> None:
    _key, secret = api_key_create(actor=None, name="spoofing")
    sent = {
        "api_key": secret,
        "service_code": "facilities",
        "description": f"路灯{RLO}不亮{ZWSP}已一周",
        "address_string": f"长宇社区{RLO}3栋{ZWSP}",
        "lat": "30.1",
        "long": "114.6",
    }
    response = Client().post("/open311/v2/requests.json", sent)
    assert response.status_code == 200, response.content
    code = response.json()[0]["service_request_id"]
    matter = Matter.objects.get(code=code)
    assert (matter.problem, matter.location) == ("路灯不亮已一周", "长宇社区3栋")
    matter_transition(matter=matter, action="accept", actor=None)  # public once read (PUBLIC_AFTER_ACCEPT)
    for suffix in ("json", "xml"):
        answer = _body(Client().get(f"/open311/v2/requests/{code}.{suffix}"))
        assert "路灯不亮已一周" in answer and not _spoofs(answer), suffix


def test_names_and_single_line_fields_lose_them_in_the_back_office_and_the_api(client_as: ClientAs) -> None:
    coordinator = client_as("coordinator")
    unit = {"name": f"基建{RLO}办{ZWSP}二", "short_name": f"{LRI}基建{PDI}", "kind": "department", "order": 9}
    assert coordinator.post("/org/units/new/", unit).status_code == 302
    created = Unit.objects.get(name="基建办二")
    assert created.short_name == "基建"
    api = coordinator.post(
        "/api/v1/matters/",
        {"problem": f"井盖{RLO}缺失", "kind": "livelihood", "location": f"{ZWSP}赵罗路{RLO}"},
        "application/json",
    )
    assert api.status_code == 201, api.content
    matter = Matter.objects.get(pk=api.json()["id"])
    assert (matter.problem, matter.location) == ("井盖缺失", "赵罗路")


def test_a_look_alike_unit_name_is_refused_as_the_same_name_not_stored_as_another(client_as: ClientAs) -> None:
    """Uniqueness is checked on the cleaned text: "基建办" with a zero-width space inside is "基建办"."""
    existing = Unit.objects.get(name="基建办")
    twin = {"name": f"基建{ZWSP}办", "kind": existing.kind, "parent": existing.parent_id or "", "order": 1}
    response = client_as("coordinator").post("/org/units/new/", twin)
    assert response.status_code == 200 and response.context["form"].errors
    assert list(Unit.objects.filter(name__startswith="基建").values_list("name", flat=True)) == ["基建办"]


def test_a_username_with_a_bidi_control_is_refused_with_a_clear_message(client_as: ClientAs) -> None:
    before = get_user_model().objects.count()
    response = client_as("sysadmin").post(
        "/accounts/new/", {"username": f"admin{RLO}nimda", "password": "a-long-pass-phrase-2026"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert get_user_model().objects.count() == before


def test_free_text_keeps_the_joiner_inside_an_emoji_and_drops_it_everywhere_else() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one picture of a family
    assert clean_text(f"谢谢{family}{ZWJ}！{ZWJ}") == f"谢谢{family}！"
    assert clean_line(f"谢谢{family}") == "谢谢\U0001f468\U0001f469\U0001f467"
    assert clean_text(SPOOF) == "" and clean_line(SPOOF) == ""


def test_text_stored_before_the_rule_is_neutralised_on_every_public_surface(client_as: ClientAs) -> None:
    matter = matter_in(Status.COMPLETED)
    spoofed = {
        "problem": f"路灯{RLO}不亮{SPOOF}",
        "location": f"赵罗路{RLO}口",
        "task": f"修复{LRI}路灯{PDI}",
        "effect": f"已修复{RLO}",
        "public_reply": f"感谢{ZWSP}反映",
        "remarks": f"备注{RLO}",
    }
    Matter.objects.filter(pk=matter.pk).update(**spoofed)  # as an old row, or a write past the models
    client = Client()
    assert matter.tracking_code is not None
    urls = [
        f"/m/{matter.code}/",
        f"/m/{matter.code}/rate/",
        f"/track/{matter.tracking_code}/",
        "/lists/problems/",
        "/lists/tasks/",
        "/lists/effects/",
        "/",
        f"/open311/v2/requests/{matter.code}.json",
        f"/open311/v2/requests/{matter.code}.xml",
    ]
    for url in urls:
        page = _body(client.get(url))
        assert not _spoofs(page), (url, _spoofs(page))
    assert "路灯不亮" in _body(client.get(f"/m/{matter.code}/"))
    for list_kind in ("problems", "tasks", "effects"):
        data = export_bytes(ListSpec(list_kind=list_kind, public_only=True), "csv").decode("utf-8-sig")
        assert "路灯不亮" in data and not _spoofs(data), list_kind
    # The back office shows them to nobody either, whether or not the viewer may see the numbers.
    for persona in ("coordinator", "handler"):
        page = _body(client_as(persona).get(f"/matters/{matter.pk}/"))
        assert "赵罗路口" in page and not _spoofs(page), persona
