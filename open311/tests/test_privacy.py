"""No Open311 answer carries a reporter's name, phone, e-mail, the remarks, or the numbers people type."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from core.privacy import redact
from matters.models import Matter
from matters.services import matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status
from open311.tests.conftest import BASE, post, valid_post

PHONE = "13812345678"
ID_NUMBER = "420101199001011234"
SECRETS = ["王秀英", "13900001111", PHONE, ID_NUMBER, "内部备注：家属情绪激动", "resident@example.org", "device-secret"]


def _all_answers(code: str, token: str) -> list[bytes]:
    client = Client()
    paths = [f"requests.{fmt}" for fmt in ("json", "xml")]
    paths += [f"requests/{code}.{fmt}" for fmt in ("json", "xml")]
    paths += [f"requests.{fmt}?service_request_id={code}" for fmt in ("json", "xml")]
    paths += [f"tokens/{token}.{fmt}" for fmt in ("json", "xml")]
    answers = []
    for path in paths:
        response = client.get(BASE + path)
        assert response.status_code == 200, path
        answers.append(response.content)
    return answers


def test_reporter_details_and_typed_numbers_never_appear_in_any_answer(api_key: str) -> None:
    data = valid_post(
        api_key,
        description=f"我家门口路灯坏了，请联系我{PHONE}，身份证{ID_NUMBER}。",
        address_string=f"长宇社区3栋（电话{PHONE}）",
        first_name="秀英",
        last_name="王",
        phone="13900001111",
        email="resident@example.org",
        device_id="device-secret",
    )
    created = {fmt: post(data, fmt=fmt, **{"Idempotency-Key": "one"}) for fmt in ("json", "xml")}
    row = created["json"].json()[0]
    matter = Matter.objects.get(code=row["service_request_id"])
    assert (matter.reporter_name, matter.reporter_phone) == ("王秀英", "13900001111")
    Matter.objects.filter(pk=matter.pk).update(remarks=matter.remarks + "\n内部备注：家属情绪激动")
    matter_transition(matter=matter, action="accept", actor=None)  # public once a person has read it
    answers = [response.content for response in created.values()] + _all_answers(matter.code, row["token"])
    [listed] = json.loads(answers[2])
    assert listed["description"] == redact(data["description"]) != data["description"]
    assert listed["address"] == redact(data["address_string"]) != data["address_string"]
    for content in answers:
        text = content.decode("utf-8")
        for secret in SECRETS:
            assert secret not in text
        assert matter.code in text


def test_matters_from_other_channels_are_redacted_too(demo: None) -> None:
    matter = matter_in(
        Status.ASSIGNED,
        problem=f"居民反映赵罗路破损，电话 138-1234-5678，身份证{ID_NUMBER[:-1]}X。",
        location=f"赵罗路，联系人{PHONE}",
        reporter_name="王秀英",
        reporter_phone="13900001111",
        remarks="内部备注：家属情绪激动",
    )
    Matter.objects.filter(pk=matter.pk).update(public_reply=f"已处理，有疑问请拨打{PHONE}")
    for fmt in ("json", "xml"):
        for path in (f"requests.{fmt}", f"requests/{matter.code}.{fmt}"):
            text = Client().get(BASE + path).content.decode("utf-8")
            assert "赵罗路破损" in text
            for secret in [*SECRETS, "138-1234-5678", ID_NUMBER[:-1] + "X"]:
                assert secret not in text


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_control_characters_in_stored_text_still_give_well_formed_xml(demo: None, fmt: str) -> None:
    import xml.etree.ElementTree as ET

    matter = matter_in(Status.ACCEPTED)
    Matter.objects.filter(pk=matter.pk).update(problem="路灯\x01不亮\x1f了 & <b>", location="卫王社区\x0b")
    response = Client().get(f"{BASE}requests/{matter.code}.{fmt}")
    assert response.status_code == 200
    if fmt == "xml":
        root = ET.fromstring(response.content)  # noqa: S314
        assert root.findtext("request/description") == "路灯不亮了 & <b>"
    else:
        assert response.json()[0]["description"] == "路灯\x01不亮\x1f了 & <b>"
