"""Contact points (联系点): each leader's points with the date each was last visited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from fieldwork.models import PlaceKind, VisitKind
from fieldwork.selectors import ContactPointRow
from fieldwork.services import visit_create
from fieldwork.tests.entry import on_the_day
from org.models import ContactPoint, Person, Unit

pytestmark = pytest.mark.usefixtures("demo")
ClientAs = Callable[[str | None], Client]

NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = dt.date(2022, 7, 15)
URL = "/fieldwork/contact-points/"


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _visit(leader_name: str, day: dt.date, **place: Any) -> None:
    person = Person.objects.get(name=leader_name)
    visit_create(
        actor=None,
        person=person,
        date=day,
        kind=VisitKind.SURVEY_MEETING,
        hours=Decimal("2"),
        now=on_the_day(day),
        **place,
    )


def _rows(client: Client) -> dict[tuple[str, str], ContactPointRow]:
    rows = client.get(URL).context["rows"]
    return {(r.point.leader.name, r.point.target_label): r for r in rows}


def test_a_leader_sees_their_own_points_first_and_never_visited_ones_marked(client_as: ClientAs) -> None:
    response = client_as("leader").get(URL)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == ContactPoint.objects.count()
    assert rows[0].point.leader.name == "杨立新" and rows[0].mine
    assert not any(r.mine for r in rows[1:])
    assert all(r.last_visit is None and r.stale for r in rows)
    page = response.content.decode()
    assert "table-warning" in page


def test_a_visit_to_the_point_or_by_its_leader_to_its_unit_counts_as_its_last_visit(client_as: ClientAs) -> None:
    changyu = Unit.objects.get(name="长宇社区")
    yang_point = ContactPoint.objects.get(leader__name="杨立新")
    lv_point = ContactPoint.objects.get(leader__name="吕相阳")
    _visit("杨立新", dt.date(2022, 7, 1), place_kind=PlaceKind.CONTACT_POINT, contact_point=yang_point)
    _visit("杨立新", dt.date(2022, 7, 10), place_kind=PlaceKind.COMMUNITY, unit=changyu)
    _visit("长宇社区党员干部（演示）", dt.date(2022, 7, 14), place_kind=PlaceKind.COMMUNITY, unit=changyu)
    rows = _rows(client_as("coordinator"))
    yang = rows[("杨立新", "长宇社区")]
    assert yang.last_visit == dt.date(2022, 7, 10) and yang.days_since == 5 and not yang.stale
    # Someone else's visit to the same community is not the leader's visit to their point.
    lv = rows[("吕相阳", "长宇社区")]
    assert lv.last_visit is None and lv.stale
    _visit("吕相阳", dt.date(2022, 6, 1), place_kind=PlaceKind.CONTACT_POINT, contact_point=lv_point)
    assert _rows(client_as("coordinator"))[("吕相阳", "长宇社区")].last_visit == dt.date(2022, 6, 1)


def test_a_point_without_a_unit_is_visited_through_the_point_itself(client_as: ClientAs) -> None:
    point = ContactPoint.objects.get(place="长宇社区党群服务中心")
    _visit("邹国柱", dt.date(2022, 7, 12), place_kind=PlaceKind.CONTACT_POINT, contact_point=point)
    row = _rows(client_as("coordinator"))[("邹国柱", "长宇社区党群服务中心")]
    assert row.last_visit == dt.date(2022, 7, 12) and row.days_since == 3


def test_a_point_visited_30_days_ago_is_fine_and_31_days_ago_is_highlighted(client_as: ClientAs) -> None:
    point = ContactPoint.objects.get(leader__name="杨立新")
    _visit("杨立新", TODAY - dt.timedelta(days=30), place_kind=PlaceKind.CONTACT_POINT, contact_point=point)
    assert not _rows(client_as("leader"))[("杨立新", "长宇社区")].stale
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        client = client_as("leader")
        row = _rows(client)[("杨立新", "长宇社区")]
        assert row.days_since == 31 and row.stale
        page = client.get(URL).content.decode()
    assert (TODAY - dt.timedelta(days=30)).isoformat() in page


@pytest.mark.parametrize("username", ["coordinator", "assessor", "supervisor"])
def test_the_teams_see_every_point(client_as: ClientAs, username: str) -> None:
    assert len(client_as(username).get(URL).context["rows"]) == ContactPoint.objects.count()


@pytest.mark.parametrize("username", ["cadre", "handler"])
def test_people_without_points_see_only_their_own_that_is_none(client_as: ClientAs, username: str) -> None:
    response = client_as(username).get(URL)
    assert response.status_code == 200 and response.context["rows"] == []


def test_a_cadre_given_a_point_sees_it(client_as: ClientAs) -> None:
    cadre = get_user_model().objects.get(username="cadre").person
    ContactPoint.objects.create(leader=cadre, kind="community", unit=Unit.objects.get(name="卫王社区"))
    rows = client_as("cadre").get(URL).context["rows"]
    assert [(r.point.target_label, r.mine) for r in rows] == [("卫王社区", True)]


def test_the_system_administrator_and_anonymous_visitors_are_kept_out(client_as: ClientAs) -> None:
    assert client_as("sysadmin").get(URL).status_code == 403
    assert client_as(None).get(URL).status_code == 302
