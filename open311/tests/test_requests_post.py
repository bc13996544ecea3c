"""POST requests: a client with a key submits a problem; it becomes a matter of the Open311 channel."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from matters.models import Channel, Matter
from matters.services import matter_transition
from matters.workflow import Status
from notifications.models import Notification
from open311.models import ApiKey
from open311.services import api_key_create, api_key_revoke
from open311.tests.conftest import (
    BASE,
    assert_schema,
    error_codes,
    get_json,
    matter_count,
    parse_xml,
    post,
    valid_post,
)


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    [row] = response.json()
    return row


def test_a_post_creates_a_matter_of_the_open311_channel(api_key: str) -> None:
    row = _created(post(valid_post(api_key, first_name="小明", last_name="王", phone="13912345678")))
    assert set(row) == {"service_request_id", "token", "service_notice", "account_id"}
    assert row["account_id"] is None and row["service_notice"]
    matter = Matter.objects.get(code=row["service_request_id"])
    assert matter.channel == Channel.OPEN311
    assert matter.status == Status.REPORTED
    assert matter.category is not None and matter.category.code == "facilities"
    assert matter.problem == "长宇社区3栋楼下路灯不亮已一周。"
    assert matter.location == "长宇社区3栋"
    assert (matter.latitude, matter.longitude) == (Decimal("30.123456"), Decimal("114.654321"))
    assert (matter.reporter_name, matter.reporter_phone) == ("王小明", "13912345678")
    assert matter.is_public and matter.created_by is None


def test_the_reporter_name_is_first_then_last_for_latin_names(api_key: str) -> None:
    row = _created(post(valid_post(api_key, first_name="Ada", last_name="Lovelace")))
    assert Matter.objects.get(code=row["service_request_id"]).reporter_name == "Ada Lovelace"


def test_the_new_matter_reaches_the_coordination_team_in_the_back_office(api_key: str, client_as) -> None:  # type: ignore[no-untyped-def]
    row = _created(post(valid_post(api_key)))
    matter = Matter.objects.get(code=row["service_request_id"])
    page = client_as("coordinator").get(f"/matters/{matter.pk}/")
    assert page.status_code == 200
    assert matter.code in page.content.decode() and "长宇社区3栋楼下路灯不亮" in page.content.decode()
    assert Notification.objects.about(matter).filter(recipient__username="coordinator").exists()


def test_the_new_request_is_readable_once_accepted_and_matches_the_schema(api_key: str) -> None:
    code = _created(post(valid_post(api_key)))["service_request_id"]
    # Nobody has read it yet: not public (settings.PUBLIC_AFTER_ACCEPT), so not served.
    assert Client().get(f"{BASE}requests/{code}.json").status_code == 404
    matter_transition(matter=Matter.objects.get(code=code), action="accept", actor=None)
    body = get_json(f"requests/{code}.json")
    assert_schema(body, "requests.json")
    assert body[0]["status"] == "open" and body[0]["service_code"] == "facilities"


def test_the_answer_in_xml_lists_the_request_under_service_requests(api_key: str) -> None:
    response = post(valid_post(api_key), fmt="xml")
    assert response.status_code == 200
    root = parse_xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    code = request.findtext("service_request_id")
    assert Matter.objects.filter(code=code, channel=Channel.OPEN311).exists()
    assert request.findtext("token") and request.findtext("service_notice")
    assert request.find("account_id") is not None


def test_posting_needs_no_csrf_token(api_key: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(BASE + "requests.json", valid_post(api_key))
    assert response.status_code == 200
    assert matter_count() == 1


def test_a_json_body_is_accepted_too(api_key: str) -> None:
    data = valid_post(api_key, lat=30.5, long=114.25)
    response = Client().post(BASE + "requests.json", json.dumps(data), content_type="application/json")
    matter = Matter.objects.get(code=_created(response)["service_request_id"])
    assert (matter.latitude, matter.longitude) == (Decimal("30.500000"), Decimal("114.250000"))


def test_the_api_key_may_come_in_the_query_string(api_key: str) -> None:
    data = valid_post(api_key)
    del data["api_key"]
    response = Client().post(f"{BASE}requests.json?api_key={api_key}", data)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "location",
    [
        {"lat": "30.1", "long": "114.2", "address_string": None},
        {"lat": None, "long": None, "address_string": "卫王社区"},
        {"lat": None, "long": None, "address_string": None, "address_id": "ADDR-001"},
        {"lat": "-90", "long": "180", "address_string": None},
    ],
)
def test_any_one_kind_of_location_is_enough(api_key: str, location: dict[str, Any]) -> None:
    _created(post(valid_post(api_key, **location)))
    assert matter_count() == 1


def test_the_users_details_go_to_the_private_reporter_fields_and_the_client_to_the_remarks(api_key: str) -> None:
    data = valid_post(
        api_key,
        address_id="ADDR-001",
        email="resident@example.org",
        device_id="device-9",
        account_id="acct-7",
        media_url="https://img.example.org/1.jpg",
    )
    matter = Matter.objects.get(code=_created(post(data))["service_request_id"])
    assert (
        matter.reporter_email,
        matter.reporter_device_id,
        matter.reporter_account_id,
        matter.reporter_media_url,
    ) == ("resident@example.org", "device-9", "acct-7", "https://img.example.org/1.jpg")
    assert "12345热线" in matter.remarks and "ADDR-001" in matter.remarks
    for value in ["resident@example.org", "device-9", "acct-7", "img.example.org"]:
        assert value not in matter.remarks


def test_a_token_resolves_to_the_request_in_both_formats_once_it_is_accepted(api_key: str) -> None:
    row = _created(post(valid_post(api_key)))
    token = row["token"]
    assert Client().get(f"{BASE}tokens/{token}.json").status_code == 404
    matter_transition(matter=Matter.objects.get(code=row["service_request_id"]), action="accept", actor=None)
    assert get_json(f"tokens/{token}.json") == [{"service_request_id": row["service_request_id"], "token": token}]
    root = parse_xml(Client().get(f"{BASE}tokens/{token}.xml"))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == row["service_request_id"]
    assert root.findtext("request/token") == token


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "token", ["0b6f7a52-5e1c-4c55-9a38-3c1d1f3e3311", "nope", "MQ-2022-0001", "%00", "x" * 1000, "令牌"]
)
def test_an_unknown_token_is_404(api_key: str, token: str, fmt: str) -> None:
    _created(post(valid_post(api_key)))
    response = Client().get(f"{BASE}tokens/{token}.{fmt}")
    assert response.status_code == 404
    assert error_codes(response) == [404]


def test_the_token_of_a_declined_request_no_longer_resolves(api_key: str) -> None:
    from matters.services import matter_transition

    row = _created(post(valid_post(api_key)))
    matter = Matter.objects.get(code=row["service_request_id"])
    matter_transition(matter=matter, action="decline", actor=None, reason="不属于受理范围")
    assert Client().get(f"{BASE}tokens/{row['token']}.json").status_code == 404


def test_the_same_idempotency_key_gives_back_the_first_request(api_key: str) -> None:
    first = _created(post(valid_post(api_key), **{"Idempotency-Key": "hotline-call-42"}))
    again = _created(post(valid_post(api_key, description="重复提交"), **{"Idempotency-Key": "hotline-call-42"}))
    assert first == again
    assert matter_count() == 1
    assert Matter.objects.get().problem == "长宇社区3栋楼下路灯不亮已一周。"


def test_idempotency_keys_are_per_client(api_key: str) -> None:
    _key, other = api_key_create(actor=None, name="政务服务APP")
    a = _created(post(valid_post(api_key), **{"Idempotency-Key": "same"}))
    b = _created(post(valid_post(other), **{"Idempotency-Key": "same"}))
    assert a["service_request_id"] != b["service_request_id"]
    assert _created(post(valid_post(api_key)))["token"] != a["token"]
    assert matter_count() == 3


def test_using_a_key_records_when_it_was_last_used(api_key: str) -> None:
    assert ApiKey.objects.get().last_used_at is None
    _created(post(valid_post(api_key)))
    assert ApiKey.objects.get().last_used_at is not None


# Refusals write nothing


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "which", ["missing", "empty", "wrong", "revoked", "digest", "huge", "nul", "prefix"], ids=lambda w: f"key-{w}"
)
def test_a_missing_wrong_or_revoked_key_is_403_and_writes_nothing(api_key: str, which: str, fmt: str) -> None:
    key = ApiKey.objects.get()
    if which == "revoked":
        api_key_revoke(actor=None, name=key.name)
    secret = {
        "missing": None,
        "empty": "",
        "wrong": api_key + "x",
        "revoked": api_key,
        "digest": key.digest,
        "huge": "k" * 100_000,
        "nul": api_key + "\x00",
        "prefix": key.prefix,
    }[which]
    response = post(valid_post(secret), fmt=fmt)
    assert response.status_code == 403
    assert error_codes(response) == [403]
    assert matter_count() == 0


LONG = "长" * 10_000


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": ""}, "service_code"),
        ({"service_code": "potholes"}, "service_code"),
        ({"service_code": "roads\x00"}, "service_code"),
        ({"lat": None, "long": None, "address_string": None}, ""),
        ({"lat": " ", "long": " ", "address_string": "  "}, ""),
        ({"lat": "30.1", "long": None, "address_string": None}, ""),
        ({"description": None}, "description"),
        ({"description": ""}, "description"),
        ({"description": "   \n "}, "description"),
        ({"description": LONG}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"description": "<script>alert(1)</script>路灯不亮"}, "description"),
        ({"description": '路灯<img src=x onerror="alert(1)">'}, "description"),
        ({"description": "点这里 javascript:alert(1)"}, "description"),
        ({"description": "路灯\x00不亮"}, "description"),
        ({"description": "路灯\x07不亮"}, "description"),
        ({"lat": "abc"}, "lat"),
        ({"lat": "90.0000001"}, "lat"),
        ({"lat": "-91"}, "lat"),
        ({"lat": "NaN"}, "lat"),
        ({"lat": "Infinity"}, "lat"),
        ({"lat": "1e999999999"}, "lat"),
        ({"lat": "三十"}, "lat"),
        ({"long": "180.5"}, "long"),
        ({"long": "-1e3"}, "long"),
        ({"long": "0x10"}, "long"),
        ({"long": "9" * 5000}, "long"),
        ({"address_string": "路" * 201}, "address_string"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "1381234567890"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"first_name": "名" * 31}, "first_name"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_fields_are_refused_with_400_naming_them_and_write_nothing(
    api_key: str, overrides: dict[str, Any], field: str, fmt: str
) -> None:
    response = post(valid_post(api_key, **overrides), fmt=fmt)
    assert response.status_code == 400, response.content
    assert set(error_codes(response)) == {400}
    if field and fmt == "json":
        assert any(error["description"].startswith(f"{field}:") for error in response.json())
    assert matter_count() == 0


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("[1, 2]", "application/json"),
        ("not json", "application/json"),
        ('{"description": {"nested": 1}}', "application/json"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        ('{"description": "\\ud800 lone surrogate"}', "application/json"),
        ("--boundary\r\nbroken", "multipart/form-data; boundary=boundary"),
        ("a=" + "b" * 10, "multipart/form-data"),
    ],
)
def test_unreadable_bodies_are_400_never_500(api_key: str, body: Any, content_type: str) -> None:
    response = Client().post(f"{BASE}requests.json?api_key={api_key}", body, content_type=content_type)
    assert response.status_code in (400, 403), response.content
    assert error_codes(response)
    assert matter_count() == 0


def test_a_json_body_with_a_lone_surrogate_in_a_field_is_refused(api_key: str) -> None:
    data = valid_post(api_key, description="路灯\ud800不亮")
    body = json.dumps(data)  # ensure_ascii keeps the lone surrogate as an escape
    response = Client().post(BASE + "requests.json", body, content_type="application/json")
    assert response.status_code == 400
    assert matter_count() == 0


def test_too_many_fields_are_refused_with_400(api_key: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    data = valid_post(api_key, **{f"attribute[x{n}]": "1" for n in range(50)})
    response = post(data)
    assert response.status_code == 400
    assert error_codes(response) == [400]
    assert matter_count() == 0


def test_an_overlong_idempotency_key_is_refused(api_key: str) -> None:
    response = post(valid_post(api_key), **{"Idempotency-Key": "k" * 201})
    assert response.status_code == 400
    assert matter_count() == 0


def test_a_post_with_a_bad_format_is_404_and_writes_nothing(api_key: str) -> None:
    response = Client().post(BASE + "requests.html", valid_post(api_key))
    assert response.status_code == 404
    assert error_codes(response) == [404]
    assert matter_count() == 0


def test_a_description_of_2000_characters_with_unicode_is_accepted(api_key: str) -> None:
    description = ("路灯不亮😀" * 400)[:2000]
    row = _created(post(valid_post(api_key, description=description)))
    assert Matter.objects.get(code=row["service_request_id"]).problem == description
