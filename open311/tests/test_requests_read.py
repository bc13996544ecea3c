"""GET requests and requests/{id}: the mapping of matters, the filters, the spec's defaults, public matters only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from matters.models import Attachment, Category, Matter, ProgressReport
from matters.services import matter_create, matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status
from open311 import selectors
from open311.tests.conftest import BASE, NOW, SHANGHAI, assert_schema, error_codes, get_json, parse_xml

pytestmark = pytest.mark.usefixtures("demo")


def _ids(body: list[dict[str, Any]]) -> list[str]:
    return [row["service_request_id"] for row in body]


def _reported(days_ago: float, problem: str = "路灯不亮", **fields: Any) -> Matter:
    """A matter reported `days_ago` and accepted at once (an unread report is not public)."""
    at = NOW - dt.timedelta(days=days_ago)
    matter, _created = matter_create(actor=None, problem=problem, channel="hotline", reported_at=at, **fields)
    return matter_transition(matter=matter, action="accept", actor=None, at=at)


def test_an_assigned_matter_maps_to_a_request_that_matches_the_schema() -> None:
    matter = matter_in(
        Status.ASSIGNED,
        problem="赵罗路道路较窄，且有破损。",
        category=Category.objects.get(code="roads"),
        location="赵罗路",
        latitude=Decimal("30.500001"),
        longitude=Decimal("114.300002"),
    )
    body = get_json("requests.json")
    assert_schema(body, "requests.json")
    [row] = body
    assert row == {
        "service_request_id": matter.code,
        "status": "open",
        "status_notes": "",
        "service_name": "道路交通",
        "service_code": "roads",
        "description": "赵罗路道路较窄，且有破损。",
        "agency_responsible": "基建办",
        "service_notice": "",
        "requested_datetime": "2022-06-15T10:00:00+08:00",
        "updated_datetime": "2022-06-15T10:00:00+08:00",
        "expected_datetime": "2022-07-31T23:59:59+08:00",
        "address": "赵罗路",
        "address_id": None,
        "zipcode": None,
        "lat": 30.5,  # the reporter's 30.500001, 114.300002 to about 100 m (docs/security.md)
        "long": 114.3,
        "media_url": None,
    }


def test_a_single_request_is_a_list_of_one_in_both_formats() -> None:
    matter = matter_in(Status.ACCEPTED, problem="长宇新城充电桩不足")
    body = get_json(f"requests/{matter.code}.json", jurisdiction_id="x")
    assert_schema(body, "requests.json")
    assert _ids(body) == [matter.code]
    root = parse_xml(Client().get(f"{BASE}requests/{matter.code}.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == matter.code
    assert request.findtext("description") == "长宇新城充电桩不足"
    assert request.findtext("status") == "open"
    assert request.find("expected_datetime") is not None and not request.findtext("expected_datetime")


def test_the_request_list_in_xml_keeps_chinese_and_every_field() -> None:
    matter_in(Status.CLOSED, problem="卫王社区垃圾清运不及时", category=Category.objects.get(code="environment"))
    response = Client().get(BASE + "requests.xml")
    root = parse_xml(response)
    [request] = root.findall("request")
    assert request.findtext("service_name") == "环境卫生"
    assert request.findtext("status") == "closed"
    assert request.findtext("description") == "卫王社区垃圾清运不及时"
    assert "卫王社区".encode() in response.content


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.ACCEPTED, "open"),
        (Status.ASSIGNED, "open"),
        (Status.IN_PROGRESS, "open"),
        (Status.COMPLETED, "closed"),
        (Status.VERIFIED, "closed"),
        (Status.CLOSED, "closed"),
    ],
)
def test_workflow_statuses_map_to_open_or_closed(status: str, expected: str) -> None:
    matter = matter_in(status)
    assert get_json(f"requests/{matter.code}.json")[0]["status"] == expected


def test_all_communities_and_several_units_are_joined_as_responsible_agencies() -> None:
    matter = matter_in(Status.ASSIGNED)
    from org.models import Unit

    matter.units.add(Unit.objects.get(name="长宇社区"))
    Matter.objects.filter(pk=matter.pk).update(all_communities=True)
    agencies = get_json(f"requests/{matter.code}.json")[0]["agency_responsible"]
    assert set(agencies.split("、")) == {"基建办", "长宇社区", "各社区"}
    assert agencies.endswith("各社区")


def test_the_public_reply_is_the_status_note_and_a_month_deadline_runs_to_its_end() -> None:
    matter = matter_in(Status.COMPLETED)
    Matter.objects.filter(pk=matter.pk).update(
        public_reply="已完成道路拓宽。", deadline=dt.date(2022, 9, 1), deadline_precision="month"
    )
    row = get_json(f"requests/{matter.code}.json")[0]
    assert row["status_notes"] == "已完成道路拓宽。"
    assert row["expected_datetime"] == "2022-09-30T23:59:59+08:00"


def test_an_uncategorised_matter_is_served_as_other() -> None:
    matter = matter_in(Status.ACCEPTED)
    row = get_json(f"requests/{matter.code}.json")[0]
    assert row["service_code"] == "other" and row["service_name"]
    assert _ids(get_json("requests.json", service_code="other")) == [matter.code]
    assert get_json("requests.json", service_code="roads") == []


def test_media_url_is_the_first_public_evidence_image() -> None:
    matter = matter_in(Status.IN_PROGRESS)
    assert get_json(f"requests/{matter.code}.json")[0]["media_url"] is None
    report = ProgressReport.objects.create(matter=matter, at=NOW, text="已换灯", percent=50)
    Attachment.objects.create(matter=matter, file="evidence/private.png", content_type="image/png", size=9)
    Attachment.objects.create(
        matter=matter, report=report, file="evidence/a.pdf", content_type="application/pdf", size=9
    )
    image = Attachment.objects.create(
        matter=matter, report=report, file="evidence/b.png", content_type="image/png", size=9
    )
    Attachment.objects.create(matter=matter, report=report, file="evidence/c.png", content_type="image/png", size=9)
    expected = f"http://testserver/m/{matter.code}/evidence/{image.token}/"
    assert get_json(f"requests/{matter.code}.json")[0]["media_url"] == expected
    assert get_json("requests.json")[0]["media_url"] == expected
    root = parse_xml(Client().get(f"{BASE}requests/{matter.code}.xml"))
    assert root.findtext("request/media_url") == expected


# Public matters only


def test_non_public_merged_and_declined_matters_never_appear() -> None:
    visible = matter_in(Status.ACCEPTED, problem="公开的问题")
    hidden = [
        matter_in(Status.REPORTED, problem="不公开的问题", is_public=False),
        matter_in(Status.REPORTED, problem="尚未受理的问题"),  # nobody has read it yet
        matter_in(Status.DECLINED, problem="不予受理的问题"),
        matter_in(Status.MERGED, problem="重复的问题"),
    ]
    merged_target = Matter.objects.get(problem="另一件相同问题")
    every_code = [m.code for m in [visible, *hidden, merged_target]]
    assert set(_ids(get_json("requests.json"))) == {visible.code, merged_target.code}
    listed = get_json("requests.json", service_request_id=",".join(every_code))
    assert set(_ids(listed)) == {visible.code, merged_target.code}
    for matter in hidden:
        for fmt in ("json", "xml"):
            response = Client().get(f"{BASE}requests/{matter.code}.{fmt}")
            assert response.status_code == 404
            assert error_codes(response) == [404]
    for fmt in ("json", "xml"):
        body = Client().get(f"{BASE}requests.{fmt}").content.decode()
        assert "不公开的问题" not in body and "不予受理的问题" not in body and "重复的问题" not in body
        assert "尚未受理的问题" not in body


@pytest.mark.parametrize("request_id", ["MQ-2022-9999", "1", "MQ-2022-0001%00", "问题", "x" * 500, "..", "%2e%2e"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_id_is_404(request_id: str, fmt: str) -> None:
    matter_in(Status.REPORTED)
    response = Client().get(f"{BASE}requests/{request_id}.{fmt}")
    assert response.status_code == 404


# Filters and the spec's defaults


def test_without_dates_only_the_last_90_days_are_listed_newest_first() -> None:
    old = _reported(91, "三个月前的问题")
    edge = _reported(89.9, "将近九十天前的问题")
    recent = _reported(1, "昨天的问题")
    today = _reported(0, "今天的问题")
    assert _ids(get_json("requests.json")) == [today.code, recent.code, edge.code]
    assert old.code in _ids(get_json("requests.json", start_date="2022-01-01"))


def test_at_most_the_cap_of_requests_is_returned_newest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "MAX_REQUESTS", 3)
    matters = [_reported(days, f"问题{days}") for days in (5, 1, 3, 2, 4)]
    by_age = sorted(matters, key=lambda m: m.reported_at, reverse=True)
    assert _ids(get_json("requests.json")) == [m.code for m in by_age[:3]]
    root = parse_xml(Client().get(BASE + "requests.xml"))
    assert len(root.findall("request")) == 3


def test_the_cap_is_1000_by_default() -> None:
    assert selectors.MAX_REQUESTS == 1000


def test_start_and_end_dates_bound_the_reported_time_inclusively() -> None:
    a = _reported(10)  # 2022-06-05 10:00
    b = _reported(5)  # 2022-06-10 10:00
    c = _reported(2)  # 2022-06-13 10:00
    assert _ids(get_json("requests.json", start_date="2022-06-05T10:00:00+08:00", end_date="2022-06-10")) == [
        b.code,
        a.code,
    ]
    assert _ids(get_json("requests.json", start_date="2022-06-05T02:00:01Z")) == [c.code, b.code]
    assert _ids(get_json("requests.json", end_date="2022-06-12T00:00:00")) == [b.code, a.code]
    assert _ids(get_json("requests.json", start_date="2022-06-11", end_date="2022-06-11")) == []


def test_only_an_end_date_means_the_90_days_before_it() -> None:
    inside = _reported(100)  # 2022-03-07
    outside = _reported(200)
    body = _ids(get_json("requests.json", end_date="2022-04-01"))
    assert body == [inside.code]
    assert outside.code not in body


def test_status_and_service_code_filters_combine() -> None:
    roads, env = Category.objects.get(code="roads"), Category.objects.get(code="environment")
    open_road = matter_in(Status.ASSIGNED, category=roads)
    closed_road = matter_in(Status.CLOSED, category=roads)
    open_env = matter_in(Status.ACCEPTED, category=env)
    assert set(_ids(get_json("requests.json", status="open"))) == {open_road.code, open_env.code}
    assert _ids(get_json("requests.json", status="closed")) == [closed_road.code]
    assert len(get_json("requests.json", status="open,closed")) == 3
    assert set(_ids(get_json("requests.json", service_code="roads"))) == {open_road.code, closed_road.code}
    assert _ids(get_json("requests.json", service_code="roads", status="open")) == [open_road.code]
    assert len(get_json("requests.json", service_code="roads,environment")) == 3


def test_service_request_ids_override_the_other_filters() -> None:
    old = _reported(300, "很久以前的问题")
    other = _reported(1)
    body = get_json("requests.json", service_request_id=f" {old.code}, {other.code},,MQ-1999-0001", status="closed")
    assert set(_ids(body)) == {old.code, other.code}


def test_matters_updated_later_keep_their_reported_time() -> None:
    matter, _created = matter_create(
        actor=None, problem="路灯不亮", channel="hotline", reported_at=NOW - dt.timedelta(days=3)
    )
    matter_transition(matter=matter, action="accept", actor=None)
    row = get_json(f"requests/{matter.code}.json")[0]
    assert dt.datetime.fromisoformat(row["requested_datetime"]) == (NOW - dt.timedelta(days=3)).astimezone(SHANGHAI)
    assert row["updated_datetime"] == "2022-06-15T10:00:00+08:00"


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"start_date": "2022-13-01"},
        {"end_date": "2022-02-30T00:00:00Z"},
        {"start_date": "0001-01-01T00:00:00+14:00"},
        {"end_date": "9999-12-31T23:59:59-12:00"},
        {"start_date": "2022-06-01T25:00:00"},
        {"start_date": "2022-06-10", "end_date": "2022-06-01"},
        {"start_date": "2022-06-10T12:00:00+08:00", "end_date": "2022-06-10T11:59:59+08:00"},
        {"start_date": "1" * 5000},
        {"status": "pending"},
        {"status": "open,declined"},
        {"status": "已完成"},
        {"service_code": "potholes"},
        {"service_code": "roads,potholes"},
        {"service_code": "roads\x00"},
        {"service_request_id": "MQ-2022-0001\x00"},
        {"service_request_id": ",".join(f"MQ-2022-{n:04d}" for n in range(1001))},
        {"start_date": "2022-06-01\x00"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_refused_with_400(params: dict[str, str], fmt: str) -> None:
    response = Client().get(f"{BASE}requests.{fmt}", params)
    assert response.status_code == 400, response.content
    assert error_codes(response) == [400] * len(error_codes(response))
    assert response["Access-Control-Allow-Origin"] == "*"
