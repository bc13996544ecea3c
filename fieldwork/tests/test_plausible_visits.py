"""Visits are plausible: one person is in one place at a time, a late entry says why (补录原因), and a visit has at
least its own person by default (参与人数 1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from rest_framework.authtoken.models import Token

from fieldwork.forms import VisitForm
from fieldwork.models import PlaceKind, Visit, VisitKind
from fieldwork.services import visit_create
from org.models import Unit

pytestmark = pytest.mark.usefixtures("demo")

NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False), translation.override("en"):  # the services' messages in English
        yield


def _cadre() -> Any:
    return get_user_model().objects.get(username="cadre")


def _visit(**changes: Any) -> Visit:
    user = _cadre()
    args: dict[str, Any] = {
        "actor": user,
        "person": user.person,
        "date": TODAY,
        "kind": VisitKind.SITE_VISIT,
        "place_kind": PlaceKind.COMMUNITY,
        "unit": Unit.objects.get(name="长宇社区"),
        "start_time": dt.time(9, 0),
        "end_time": dt.time(11, 30),
    }
    args.update(changes)
    return visit_create(**args)


def test_an_overlapping_visit_of_the_same_person_is_refused_naming_the_other() -> None:
    first = _visit()
    with pytest.raises(ValidationError) as caught:
        _visit(start_time=dt.time(11, 0), end_time=dt.time(12, 0), kind=VisitKind.POLICY_TALK)
    [message] = caught.value.message_dict["start_time"]
    assert "overlaps another visit" in message and "09:00–11:30" in message and f"visit {first.pk}" in message
    assert Visit.objects.filter(person=_cadre().person).count() == 1
    # Back to back is not an overlap; another person at the same time is not either.
    assert _visit(start_time=dt.time(11, 30), end_time=dt.time(12, 0)).pk
    leader = get_user_model().objects.get(username="leader")
    assert _visit(actor=leader, person=leader.person).pk


def test_a_visit_entered_more_than_7_days_late_needs_a_reason_which_is_kept() -> None:
    late = TODAY - dt.timedelta(days=8)
    with pytest.raises(ValidationError) as caught:
        _visit(date=late)
    assert "entered 8 days after its date (more than 7)" in caught.value.message_dict["late_reason"][0]
    assert _visit(date=TODAY - dt.timedelta(days=7)).late_reason == ""  # seven days is still in time
    visit = _visit(date=late, late_reason="  外出学习一周，回来补录  ", start_time=dt.time(14), end_time=dt.time(15))
    assert visit.late_reason == "外出学习一周，回来补录"


def test_the_days_are_a_setting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.VISIT_LATE_DAYS = 2
    with pytest.raises(ValidationError, match="late entry"):
        _visit(date=TODAY - dt.timedelta(days=3))


def test_participants_start_at_one_in_the_service_the_form_and_the_api() -> None:
    assert _visit().participants == 1
    assert VisitForm().fields["participants"].initial == 1
    token, _c = Token.objects.get_or_create(user=_cadre())
    client = Client(headers={"Authorization": f"Token {token.key}", "Accept-Language": "en"})
    body = {"date": TODAY.isoformat(), "hours": "1", "kind": "site_visit", "place_kind": "community",
            "unit": Unit.objects.get(name="长宇社区").pk}  # fmt: skip
    response = client.post("/api/v1/visits/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["participants"] == 1


def test_the_api_refuses_a_late_visit_without_a_reason_and_an_overlap_clearly() -> None:
    first = _visit()
    token, _c = Token.objects.get_or_create(user=_cadre())
    client = Client(headers={"Authorization": f"Token {token.key}", "Accept-Language": "en"})
    body = {"date": TODAY.isoformat(), "start": "10:00", "end": "10:30", "kind": "site_visit",
            "place_kind": "community", "unit": Unit.objects.get(name="长宇社区").pk}  # fmt: skip
    overlap = client.post("/api/v1/visits/", body, content_type="application/json")
    assert overlap.status_code == 400 and f"visit {first.pk}" in overlap.content.decode()
    late = {**body, "date": (TODAY - dt.timedelta(days=10)).isoformat()}
    refused = client.post("/api/v1/visits/", late, content_type="application/json")
    assert refused.status_code == 400 and "late_reason" in refused.json()
    kept = client.post("/api/v1/visits/", {**late, "late_reason": "系统故障"}, content_type="application/json")
    assert kept.status_code == 201 and kept.json()["late_reason"] == "系统故障"
    assert Visit.objects.filter(person=_cadre().person).count() == 2


def test_the_form_asks_for_the_reason_beside_its_field(client_as) -> None:  # type: ignore[no-untyped-def]
    data = {
        "date": (TODAY - dt.timedelta(days=9)).isoformat(),
        "hours": "2",
        "kind": VisitKind.SITE_VISIT,
        "place_kind": PlaceKind.COMMUNITY,
        "community": Unit.objects.get(name="长宇社区").pk,
        "participants": "1",
    }
    client = client_as("cadre")
    response = client.post("/fieldwork/visits/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and not Visit.objects.filter(person=_cadre().person).exists()
    assert "give the reason for the late entry" in " ".join(response.context["form"].errors["late_reason"])
    saved = client.post("/fieldwork/visits/new/", {**data, "late_reason": "手机丢失，补录"})
    assert saved.status_code == 302


def test_the_supervision_team_sees_the_reason_on_the_list_and_the_visit_page(client_as) -> None:  # type: ignore[no-untyped-def]
    visit = _visit(date=TODAY - dt.timedelta(days=12), hours=Decimal("2"), start_time=None, end_time=None,
                   late_reason="下乡驻点无网络，返回后补录")  # fmt: skip
    supervisor = client_as("supervisor")
    listed = supervisor.get("/fieldwork/visits/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "下乡驻点无网络，返回后补录" in listed and "补录" in listed
    page = supervisor.get(f"/fieldwork/visits/{visit.pk}/").content.decode()
    assert "下乡驻点无网络，返回后补录" in page
