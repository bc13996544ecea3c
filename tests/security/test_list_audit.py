"""List pages that show personal data are audited like detail pages: one event per page view, naming the records
shown (their ids, never the personal values); a page that shows none writes none."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from audit.models import AuditEvent
from fieldwork.models import PlaceKind, Visit, VisitKind
from fieldwork.services import registration_set, visit_create
from matters.models import Matter
from matters.tests.factories import matter_in
from org.models import Person, Unit

User = get_user_model()
ClientAs = Callable[[str | None], Client]
pytestmark = pytest.mark.usefixtures("demo")

NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HOUSEHOLD = "长宇新城3栋 司马藏户家"
PHONE = "13700001113"


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _cadre_visit(**overrides: Any) -> Visit:
    args: dict[str, Any] = {
        "actor": User.objects.get(username="cadre"),
        "person": Person.objects.get(user__username="cadre"),
        "date": NOW.date(),
        "kind": VisitKind.HOUSEHOLD,
        "place_kind": PlaceKind.HOUSEHOLD,
        "place_detail": f"{HOUSEHOLD} {PHONE}",
        "notes": f"反映困难，电话{PHONE}",
        "hours": Decimal("1"),
    }
    args.update(overrides)
    return visit_create(**args)


def _site_visit() -> Visit:
    return _cadre_visit(
        kind=VisitKind.SITE_VISIT,
        place_kind=PlaceKind.COMMUNITY,
        unit=Unit.objects.get(name="长宇社区"),
        place_detail="",
        notes="查看路灯",
    )


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def _after(event: AuditEvent) -> dict[str, Any]:
    return event.after or {}


def _no_personal_values(events: list[AuditEvent]) -> None:
    text = json.dumps([[e.after, e.before, e.target_label] for e in events], ensure_ascii=False)
    assert PHONE not in text and "司马藏户" not in text


def test_opening_the_visit_list_as_the_supervision_team_writes_one_event_naming_the_visits_shown(
    client_as: ClientAs,
) -> None:
    households = [_cadre_visit(), _cadre_visit(place_detail="卫王社区5栋 某户")]
    _site_visit()  # a visit to a community: nothing personal on its row
    page = client_as("supervisor").get("/fieldwork/visits/")
    assert page.status_code == 200 and HOUSEHOLD in page.content.decode()
    events = _events("fieldwork.view_visits")
    assert len(events) == 1 and events[0].actor_name == "supervisor"
    assert events[0].after == {
        "records": "fieldwork.visit",
        "ids": sorted((v.pk for v in households), reverse=True),
        "fields": ["place_detail"],
    }
    _no_personal_values(events)
    client_as("supervisor").get("/fieldwork/visits/", {"kind": VisitKind.SITE_VISIT})  # no household on the page
    client_as("supervisor").get("/fieldwork/visits/")
    assert len(_events("fieldwork.view_visits")) == 2  # one per page view


def test_a_role_that_sees_no_household_details_on_the_visit_list_writes_no_event(client_as: ClientAs) -> None:
    _cadre_visit()
    assert HOUSEHOLD in client_as("cadre").get("/fieldwork/visits/").content.decode()  # the author's own
    for persona in ("leader", "handler"):  # their own visits only: none of the cadre's
        assert HOUSEHOLD not in client_as(persona).get("/fieldwork/visits/").content.decode()
    client_as("coordinator").get("/fieldwork/visits/", {"mine": "1"})  # the coordinator's own: none
    assert not _events("fieldwork.view_visits")


def test_a_page_of_the_visits_api_writes_one_event_naming_its_visits(client_as: ClientAs) -> None:
    households = [_cadre_visit(), _cadre_visit(place_detail="卫王社区5栋 某户", notes="")]
    assert client_as("assessor").get("/api/v1/visits/", {"page_size": 1000}).status_code == 200
    events = _events("fieldwork.view_visits")
    assert len(events) == 1 and events[0].actor_name == "assessor"
    assert set(_after(events[0])["ids"]) == {v.pk for v in households}
    assert _after(events[0])["fields"] == ["notes", "place_detail"]
    client_as("cadre").get("/api/v1/visits/")  # the author
    assert len(_events("fieldwork.view_visits")) == 1
    _no_personal_values(_events("fieldwork.view_visits"))


def test_the_registrations_list_records_whose_residential_community_it_showed(client_as: ClientAs) -> None:
    mine = registration_set(
        actor=None,
        person=Person.objects.get(user__username="cadre"),
        community=Unit.objects.get(name="长宇社区"),
        registered_on=dt.date(2022, 6, 1),
    )
    other = registration_set(
        actor=None,
        person=Person.objects.get(user__username="leader"),
        community=Unit.objects.get(name="卫王社区"),
        registered_on=dt.date(2022, 6, 1),
    )
    client_as("coordinator").get("/fieldwork/registrations/")
    events = _events("fieldwork.view_registrations")
    assert len(events) == 1 and set(_after(events[0])["ids"]) == {mine.pk, other.pk}
    assert _after(events[0])["fields"] == ["community"]
    client_as("coordinator").get("/fieldwork/registrations/", {"community": str(Unit.objects.get(name="长宇社区").pk)})
    assert _after(_events("fieldwork.view_registrations")[-1])["ids"] == [mine.pk]
    client_as("cadre").get("/fieldwork/registrations/")  # no right to the page: nothing shown, nothing recorded
    assert len(_events("fieldwork.view_registrations")) == 2


def _typed(problem: str) -> Matter:
    return matter_in("accepted", problem=problem)


def test_the_matter_list_records_the_matters_whose_typed_numbers_it_showed_unmasked(client_as: ClientAs) -> None:
    typed = _typed(f"路灯不亮，请联系{PHONE}")
    plain = _typed("路灯不亮，晚上很黑")
    page = client_as("coordinator").get("/matters/", {"tab": "all"}).content.decode()
    assert PHONE in page
    events = _events("matters.view_list")
    assert len(events) == 1 and events[0].actor_name == "coordinator"
    assert events[0].after == {"records": "matters.matter", "ids": [typed.pk], "fields": ["problem"]}
    assert plain.pk not in _after(events[0])["ids"]
    _no_personal_values(events)


def test_a_role_that_reads_the_matter_list_masked_writes_no_event(client_as: ClientAs) -> None:
    _typed(f"路灯不亮，请联系{PHONE}")
    for persona in ("leader", "assessor", "handler", "cadre"):
        page = client_as(persona).get("/matters/", {"tab": "all"}).content.decode()
        assert PHONE not in page
    client_as("coordinator").get("/matters/", {"tab": "all", "q": "没有这样的问题"})  # nothing shown
    assert not _events("matters.view_list")


def test_the_three_lists_page_records_the_matters_whose_numbers_it_showed_unmasked(client_as: ClientAs) -> None:
    typed = matter_in("assigned", problem=f"路灯不亮，请联系{PHONE}")
    Matter.objects.filter(pk=typed.pk).update(remarks=f"备注{PHONE}")
    assert PHONE in client_as("supervisor").get("/matters/lists/", {"list": "tasks"}).content.decode()
    events = _events("matters.view_lists")
    assert len(events) == 1 and _after(events[0])["ids"] == [typed.pk]
    assert _after(events[0])["fields"] == ["problem", "remarks"]
    assert PHONE not in client_as("leader").get("/matters/lists/", {"list": "tasks"}).content.decode()
    client_as("supervisor").get("/matters/lists/", {"list": "tasks", "public": "1"})  # the public version: masked
    assert len(_events("matters.view_lists")) == 1
