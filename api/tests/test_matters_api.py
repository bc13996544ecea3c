"""Matters over the REST API: list and filters, idempotent creation, detail, and the closed loop as actions."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from PIL import Image
from rest_framework.authtoken.models import Token

from matters.models import Attachment, Matter
from matters.models.matter import last_day
from matters.services import matter_create, matter_transition
from matters.tests.factories import while_it_could_be_set
from org.models import Person, Unit

pytestmark = pytest.mark.usefixtures("demo")

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Inside the seed's 2022 campaign; every date below is relative to this day, never to the real today.
TODAY = dt.datetime(2022, 6, 15, 10, 0, tzinfo=SHANGHAI)
MATTERS = "/api/v1/matters/"


@pytest.fixture(autouse=True)
def frozen_day() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=True):
        yield


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def api(username: str, **headers: str) -> Client:
    """A client carrying this persona's API token."""
    token, _created = Token.objects.get_or_create(user=_user(username))
    return Client(headers={"Authorization": f"Token {token.key}", **headers})


def _post(client: Client, path: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(path, data, content_type="application/json", headers=headers)


def _act(username: str, matter_id: int, action: str, **fields: Any) -> Any:
    return _post(api(username), f"{MATTERS}{matter_id}/transitions/", {"action": action, **fields})


def _jijian() -> Unit:
    return Unit.objects.get(name="基建办")


def _changyu() -> Unit:
    return Unit.objects.get(name="长宇社区")


def _yang() -> Person:
    return Person.objects.get(name="杨立新")


def _matter(problem: str, *, by: str = "coordinator", **fields: Any) -> Matter:
    matter, _created = matter_create(actor=_user(by), problem=problem, **fields)
    return matter


def _assigned(
    problem: str,
    *,
    units: list[Unit],
    leads: list[Person] | None = None,
    deadline: dt.date = dt.date(2022, 6, 30),
    precision: str = "day",
    **fields: Any,
) -> Matter:
    """A matter accepted and assigned by the coordination team, through the services (when its deadline was
    still ahead)."""
    with while_it_could_be_set(last_day(deadline, precision) or deadline):
        matter = _matter(problem, **fields)
        coordinator = _user("coordinator")
        matter_transition(matter=matter, action="accept", actor=coordinator)
        return matter_transition(
            matter=matter,
            action="assign",
            actor=coordinator,
            task="办理：" + problem,
            deadline=deadline,
            deadline_precision=precision,
            leads=leads or [],
            units=units,
        )


def _codes(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


# Authentication and permissions


def test_a_token_from_the_auth_endpoint_opens_the_matters_api() -> None:
    response = Client().post("/api/v1/auth/token/", {"username": "cadre", "password": "demo-pass-2026"})
    token = response.json()["token"]
    page = Client(headers={"Authorization": f"Token {token}"}).get(MATTERS)
    assert page.status_code == 200
    assert set(page.json()) == {"count", "next", "previous", "results"}


def test_anonymous_callers_and_bad_tokens_get_401() -> None:
    assert Client().get(MATTERS).status_code == 401
    assert Client(headers={"Authorization": "Token nope"}).get(MATTERS).status_code == 401
    assert _post(Client(), MATTERS, {"problem": "路灯不亮", "kind": "livelihood"}).status_code == 401


def test_administrators_without_access_to_matters_are_refused() -> None:
    matter = _matter("路灯不亮")
    for username in ["sysadmin", "secadmin", "auditor"]:
        assert api(username).get(MATTERS).status_code == 403
        assert api(username).get(f"{MATTERS}{matter.pk}/").status_code == 403
        assert _post(api(username), MATTERS, {"problem": "路灯不亮", "kind": "livelihood"}).status_code == 403


# Creation and idempotency


def test_creating_a_matter_records_the_api_channel_and_the_caller() -> None:
    response = _post(
        api("cadre"),
        MATTERS,
        {
            "problem": "长宇新城充电桩不足",
            "kind": "livelihood",
            "category": "facilities",
            "location": "长宇新城",
            "latitude": "30.123456",
            "longitude": "120.654321",
            "reporter_name": "王女士",
            "reporter_phone": "13800000000",
            "is_public": False,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("MQ-2022-")
    assert (body["status"], body["channel"], body["kind"], body["category"]) == (
        "reported",
        "api",
        "livelihood",
        "facilities",
    )
    assert body["is_public"] is False and body["latitude"] == "30.123456"
    matter = Matter.objects.get(pk=body["id"])
    assert matter.created_by == _user("cadre") and matter.reporter_phone == "13800000000"
    assert matter.transitions.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"problem": "", "kind": "livelihood"}, "problem"),
        ({"problem": "长" * 5001, "kind": "livelihood"}, "problem"),
        ({"kind": "livelihood"}, "problem"),
        ({"problem": "路灯不亮", "kind": "nonsense"}, "kind"),
        ({"problem": "路灯不亮"}, "kind"),
        ({"problem": "路灯不亮", "kind": "livelihood", "category": "no-such-category"}, "category"),
        ({"problem": "路灯不亮", "kind": "livelihood", "latitude": "91"}, "latitude"),
        ({"problem": "路灯不亮", "kind": "livelihood", "reporter_phone": "not a phone"}, "reporter_phone"),
    ],
)
def test_invalid_input_is_refused_naming_the_field(data: dict[str, Any], field: str) -> None:
    response = _post(api("cadre"), MATTERS, data)
    assert response.status_code == 400
    assert field in response.json()
    assert not Matter.objects.exists()


def test_a_problem_of_5000_characters_is_accepted() -> None:
    assert _post(api("cadre"), MATTERS, {"problem": "长" * 5000, "kind": "livelihood"}).status_code == 201


def test_the_same_idempotency_key_twice_creates_one_matter_and_answers_alike() -> None:
    client = api("cadre")
    data = {"problem": "卫王社区路灯不亮", "kind": "livelihood"}
    first = _post(client, MATTERS, data, **{"Idempotency-Key": "abc-123"})
    again = _post(client, MATTERS, data, **{"Idempotency-Key": "abc-123"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Matter.objects.count() == 1


def test_different_idempotency_keys_create_different_matters() -> None:
    client = api("cadre")
    data = {"problem": "卫王社区路灯不亮", "kind": "livelihood"}
    assert _post(client, MATTERS, data, **{"Idempotency-Key": "key-1"}).status_code == 201
    assert _post(client, MATTERS, data, **{"Idempotency-Key": "key-2"}).status_code == 201
    assert _post(client, MATTERS, data).status_code == 201
    assert Matter.objects.count() == 3


def test_an_idempotency_key_may_have_at_most_100_characters() -> None:
    data = {"problem": "卫王社区路灯不亮", "kind": "livelihood"}
    too_long = _post(api("cadre"), MATTERS, data, **{"Idempotency-Key": "k" * 101})
    assert too_long.status_code == 400 and "Idempotency-Key" in too_long.json()
    assert not Matter.objects.exists()
    assert _post(api("cadre"), MATTERS, data, **{"Idempotency-Key": "k" * 100}).status_code == 201


def test_an_idempotency_key_used_by_another_account_does_not_reveal_its_matter() -> None:
    data = {"problem": "卫王社区路灯不亮", "kind": "livelihood", "reporter_phone": "13800000000"}
    assert _post(api("cadre"), MATTERS, data, **{"Idempotency-Key": "shared"}).status_code == 201
    other = _post(api("handler"), MATTERS, data, **{"Idempotency-Key": "shared"})
    assert other.status_code == 409
    assert "卫王社区" not in other.content.decode() and Matter.objects.count() == 1


# Listing, filters and search


def test_the_list_is_newest_first_and_paginated() -> None:
    for day in [3, 1, 2]:
        _matter(f"问题{day}", reported_at=dt.datetime(2022, 6, day, 9, tzinfo=SHANGHAI))
    page = api("coordinator").get(f"{MATTERS}?page_size=2").json()
    assert page["count"] == 3 and page["next"]
    assert [row["problem"] for row in page["results"]] == ["问题3", "问题2"]


def test_search_finds_chinese_text_in_the_problem() -> None:
    wanted = _matter("长宇新城小区充电桩不足，电动车充电难")
    _matter("卫王社区路灯不亮")
    client = api("coordinator")
    assert _codes(client.get(MATTERS, {"search": "充电桩"})) == {wanted.code}
    assert _codes(client.get(MATTERS, {"search": "长宇新城 充电"})) == {wanted.code}
    assert _codes(client.get(MATTERS, {"search": "不存在的词"})) == set()


def test_filters_by_status_kind_and_month() -> None:
    may = _matter("五月的问题", reported_at=dt.datetime(2022, 5, 20, 9, tzinfo=SHANGHAI))
    june = _matter("六月的试点事项", kind="trial", kind_data={"site": "卫王社区", "households": 3}, reported_at=dt.datetime(2022, 6, 2, 9, tzinfo=SHANGHAI))
    assigned = _assigned("已交办的问题", units=[_jijian()])
    client = api("coordinator")
    assert _codes(client.get(MATTERS, {"status": "reported"})) == {may.code, june.code}
    assert _codes(client.get(f"{MATTERS}?status=reported&status=assigned")) == {may.code, june.code, assigned.code}
    assert _codes(client.get(MATTERS, {"status": "assigned,closed"})) == {assigned.code}
    assert _codes(client.get(MATTERS, {"kind": "trial"})) == {june.code}
    assert _codes(client.get(MATTERS, {"month": "2022-05"})) == {may.code}


def test_filters_by_unit_community_lead_overdue_and_missing_lead() -> None:
    late = _assigned("基建办逾期", units=[_jijian()], leads=[_yang()], deadline=dt.date(2022, 6, 10))
    this_month = _assigned(
        "本月完成", units=[_jijian()], leads=[_yang()], deadline=dt.date(2022, 6, 1), precision="month"
    )
    leaderless = _assigned("各社区无领导", units=[_changyu()], deadline=dt.date(2022, 7, 31))
    client = api("coordinator")
    assert _codes(client.get(MATTERS, {"unit": _jijian().pk})) == {late.code, this_month.code}
    assert _codes(client.get(MATTERS, {"community": _changyu().pk})) == {leaderless.code}
    assert _codes(client.get(MATTERS, {"lead": _yang().pk})) == {late.code, this_month.code}
    assert _codes(client.get(MATTERS, {"overdue": "1"})) == {late.code}
    assert _codes(client.get(MATTERS, {"needs_lead": "1"})) == {leaderless.code}
    rows = {row["code"]: row for row in client.get(MATTERS).json()["results"]}
    assert rows[late.code]["overdue"] is True and rows[this_month.code]["overdue"] is False
    assert rows[this_month.code]["deadline_text"] == "2022.6" and rows[late.code]["deadline_text"] == "2022.6.10"


# Visibility


def test_a_handler_sees_the_matters_of_their_unit_and_no_others() -> None:
    ours = _assigned("基建办的事", units=[_jijian()])
    theirs = _assigned("长宇社区的事", units=[_changyu()])
    unassigned = _matter("尚未交办")
    client = api("handler")
    assert _codes(client.get(MATTERS)) == {ours.code}
    assert client.get(f"{MATTERS}{ours.pk}/").status_code == 200
    for hidden in [theirs, unassigned]:
        assert client.get(f"{MATTERS}{hidden.pk}/").status_code == 404
        assert _act("handler", hidden.pk, "start").status_code == 404
    assert client.get(f"{MATTERS}999999/").status_code == 404
    assert client.get(f"{MATTERS}abc/").status_code == 404


def test_the_reporter_is_shown_to_the_coordination_team_and_hidden_from_a_handler() -> None:
    matter = _assigned("基建办的事", units=[_jijian()], reporter_name="王女士", reporter_phone="13800000000")
    for username in ["handler", "leader"]:
        detail = api(username).get(f"{MATTERS}{matter.pk}/")
        listing = api(username).get(MATTERS)
        for response in [detail, listing]:
            assert response.status_code == 200
            assert "13800000000" not in response.content.decode() and "王女士" not in response.content.decode()
        assert "reporter_phone" not in detail.json() and "reporter_name" not in detail.json()
    for username in ["coordinator", "supervisor"]:
        detail = api(username).get(f"{MATTERS}{matter.pk}/").json()
        assert (detail["reporter_name"], detail["reporter_phone"]) == ("王女士", "13800000000")


# The closed loop


def test_a_matter_goes_round_the_whole_loop_through_the_api() -> None:
    created = _post(api("cadre"), MATTERS, {"problem": "长宇新城充电桩不足", "kind": "livelihood"})
    assert created.status_code == 201
    pk = created.json()["id"]

    assert _act("coordinator", pk, "accept").json()["status"] == "accepted"
    assigned = _act(
        "coordinator",
        pk,
        "assign",
        task="新增充电桩20个",
        deadline="2022-06-01",
        deadline_precision="month",
        leads=[_yang().pk],
        units=[_jijian().pk],
        budget_yuan="50000.00",
        expected_status="accepted",
    )
    assert assigned.status_code == 200, assigned.content
    body = assigned.json()
    assert body["status"] == "assigned" and body["deadline_text"] == "2022.6"
    assert body["leads"] == [{"id": _yang().pk, "name": "杨立新"}]
    assert body["units"] == [{"id": _jijian().pk, "name": "基建办"}]
    assert body["budget_yuan"] == "50000.00"

    assert _act("handler", pk, "start").json()["status"] == "in_progress"
    progressed = _act("handler", pk, "progress", percent=60, text="已安装12个").json()
    assert progressed["progress"] == 60
    assert [(r["percent"], r["text"]) for r in progressed["progress_reports"]] == [(60, "已安装12个")]
    assert _act("handler", pk, "complete", effect="新增充电桩20个，已投入使用").json()["status"] == "completed"

    assert _act("leader", pk, "verify").json()["status"] == "verified"
    closed = _act("leader", pk, "close", satisfaction="satisfied")
    assert closed.status_code == 200
    body = closed.json()
    assert (body["status"], body["satisfaction"], body["progress"]) == ("closed", "satisfied", 100)
    assert body["effect"] == "新增充电桩20个，已投入使用"
    stamps = ["accepted_at", "assigned_at", "started_at", "completed_at", "verified_at", "closed_at"]
    assert all(body[name] for name in stamps)
    assert [(t["action"], t["from_status"], t["to_status"], t["actor"]) for t in body["transitions"]] == [
        ("", "", "reported", "cadre"),
        ("accept", "reported", "accepted", "coordinator"),
        ("assign", "accepted", "assigned", "coordinator"),
        ("start", "assigned", "in_progress", "handler"),
        ("progress", "in_progress", "in_progress", "handler"),
        ("complete", "in_progress", "completed", "handler"),
        ("verify", "completed", "verified", "leader"),
        ("close", "verified", "closed", "leader"),
    ]
    assert body["allowed_actions"] == ["return"]


def test_a_duplicate_is_merged_and_names_the_matter_it_joined() -> None:
    original, duplicate = _matter("充电桩不足"), _matter("充电桩太少")
    response = _act("coordinator", duplicate.pk, "merge", into=original.pk)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["merged_into"]) == ("merged", original.code)


def test_a_return_sends_a_completed_matter_back_with_its_reason() -> None:
    matter = _assigned("路灯不亮", units=[_jijian()], leads=[_yang()])
    for action, fields in [("start", {}), ("complete", {"effect": "已修复"})]:
        assert _act("handler", matter.pk, action, **fields).status_code == 200
    response = _act("leader", matter.pk, "return", reason="现场核查仍有两盏不亮")
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    assert response.json()["transitions"][-1]["reason"] == "现场核查仍有两盏不亮"


def test_progress_may_carry_evidence_files_in_a_multipart_request(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    matter = _assigned("路灯不亮", units=[_jijian()])
    _act("handler", matter.pk, "start")
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, format="PNG")
    png.seek(0)
    png.name = "photo.png"
    path = f"{MATTERS}{matter.pk}/transitions/"
    response = api("handler").post(path, {"action": "progress", "percent": 30, "text": "已换灯", "files": [png]})
    assert response.status_code == 200, response.content
    assert Attachment.objects.filter(matter=matter, original_name="photo.png").count() == 1
    junk = io.BytesIO(b"not an image")
    junk.name = "junk.exe"
    refused = api("handler").post(path, {"action": "progress", "percent": 40, "text": "又换灯", "files": [junk]})
    assert refused.status_code == 400 and "files" in refused.json()
    assert Matter.objects.get(pk=matter.pk).progress == 30


# Refused actions change nothing


def _unchanged(matter: Matter, status: str, transitions: int) -> bool:
    matter.refresh_from_db()
    return matter.status == status and matter.transitions.count() == transitions


def test_an_action_out_of_order_is_refused_with_409_and_changes_nothing() -> None:
    matter = _matter("路灯不亮")
    for action, fields in [("close", {}), ("verify", {}), ("assign", {"task": "修", "deadline": "2022-06-30"})]:
        response = _act("coordinator", matter.pk, action, **fields)
        assert response.status_code == 409, (action, response.content)
        assert response.json()["detail"]
        assert _unchanged(matter, "reported", 1)


def test_a_stale_expected_status_is_refused_with_409() -> None:
    matter = _matter("路灯不亮")
    response = _act("coordinator", matter.pk, "accept", expected_status="assigned")
    assert response.status_code == 409 and response.json()["detail"]
    assert _unchanged(matter, "reported", 1)


def test_an_action_by_the_wrong_role_is_refused_with_403() -> None:
    own = _matter("基建办门口积水", by="handler")  # the handler raised it, so sees it, but may not accept it
    response = _act("handler", own.pk, "accept")
    assert response.status_code == 403 and response.json()["detail"]
    assert _unchanged(own, "reported", 1)
    not_theirs = _assigned("路灯不亮", units=[_jijian()], leads=[])
    _act("handler", not_theirs.pk, "start")
    _act("handler", not_theirs.pk, "complete", effect="已修复")
    assert _act("leader", not_theirs.pk, "verify").status_code == 403  # a leader, but not a lead of this matter
    assert _unchanged(not_theirs, "completed", 5)


def test_decline_and_return_without_a_reason_are_refused_with_400() -> None:
    matter = _matter("路灯不亮")
    response = _act("coordinator", matter.pk, "decline")
    assert response.status_code == 400 and "reason" in response.json()
    assert _act("coordinator", matter.pk, "decline", reason="   ").status_code == 400
    assert _unchanged(matter, "reported", 1)
    assert _act("coordinator", matter.pk, "decline", reason="不属于园区职责").json()["status"] == "declined"


def test_assign_with_unknown_units_or_leads_is_refused_naming_the_field() -> None:
    matter = _matter("路灯不亮")
    _act("coordinator", matter.pk, "accept")
    base = {"task": "修路灯", "deadline": "2022-06-30"}
    unknown_unit = _act("coordinator", matter.pk, "assign", units=[999999], **base)
    assert unknown_unit.status_code == 400 and "units" in unknown_unit.json()
    unknown_lead = _act("coordinator", matter.pk, "assign", units=[_jijian().pk], leads=[999999], **base)
    assert unknown_lead.status_code == 400 and "leads" in unknown_lead.json()
    no_unit = _act("coordinator", matter.pk, "assign", **base)
    assert no_unit.status_code == 400 and "units" in no_unit.json()
    bad_date = _act("coordinator", matter.pk, "assign", units=[_jijian().pk], task="修路灯", deadline="2022.6")
    assert bad_date.status_code == 400 and "deadline" in bad_date.json()
    assert _unchanged(matter, "accepted", 2)


def test_merging_a_matter_into_itself_is_refused_with_400() -> None:
    matter = _matter("路灯不亮")
    response = _act("coordinator", matter.pk, "merge", into=matter.pk)
    assert response.status_code == 400 and "into" in response.json()
    assert _unchanged(matter, "reported", 1)


def test_an_unknown_action_is_refused_with_400() -> None:
    matter = _matter("路灯不亮")
    response = _act("coordinator", matter.pk, "teleport")
    assert response.status_code == 400 and "action" in response.json()
    missing = _post(api("coordinator"), f"{MATTERS}{matter.pk}/transitions/", {})
    assert missing.status_code == 400 and "action" in missing.json()
    assert _unchanged(matter, "reported", 1)


def test_progress_outside_0_to_100_is_refused_with_400() -> None:
    matter = _assigned("路灯不亮", units=[_jijian()])
    _act("handler", matter.pk, "start")
    response = _act("handler", matter.pk, "progress", percent=101, text="超额")
    assert response.status_code == 400 and "percent" in response.json()
    assert _unchanged(matter, "in_progress", 4)


# Allowed actions


def _allowed(username: str, matter: Matter) -> set[str]:
    response = api(username).get(f"{MATTERS}{matter.pk}/")
    assert response.status_code == 200, (username, response.status_code)
    return set(response.json()["allowed_actions"])


def test_allowed_actions_follow_the_callers_role_and_the_status() -> None:
    reported = _matter("基建办门口积水", by="handler")
    assert _allowed("coordinator", reported) == {"accept", "decline", "merge"}
    assert _allowed("handler", reported) == set()
    assert _allowed("leader", reported) == set()

    matter = _assigned("路灯不亮", units=[_jijian()], leads=[_yang()])
    assert _allowed("coordinator", matter) == {"assign"}
    assert _allowed("handler", matter) == {"start"}
    assert _allowed("leader", matter) == set()
    assert _allowed("supervisor", matter) == set()

    _act("handler", matter.pk, "start")
    assert _allowed("handler", matter) == {"progress", "complete"}
    _act("handler", matter.pk, "complete", effect="已修复")
    assert _allowed("handler", matter) == set()
    assert _allowed("leader", matter) == {"verify", "return"}
    assert _allowed("coordinator", matter) == {"verify", "return"}


# OpenAPI


def test_the_schema_documents_the_matter_operations() -> None:
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/matters/"])
    assert "get" in paths["/api/v1/matters/{id}/"]
    transitions = paths["/api/v1/matters/{id}/transitions/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(transitions["responses"])
    request = transitions["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = set(schema["components"]["schemas"][request]["properties"])
    assert {"action", "reason", "into", "task", "deadline", "leads", "units", "percent", "effect"} <= fields
    list_parameters = {p["name"] for p in paths["/api/v1/matters/"]["get"]["parameters"]}
    assert {
        "status",
        "kind",
        "unit",
        "community",
        "lead",
        "month",
        "overdue",
        "needs_lead",
        "search",
    } <= list_parameters
