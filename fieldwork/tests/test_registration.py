"""Dual registration and reporting (双报到双报告): a person's own page and the community's view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEvent
from core.roles import Role
from fieldwork.models import Registration, RegistrationReport
from fieldwork.services import registration_report_file, registration_set
from org.models import Person, PersonCategory, Unit

pytestmark = pytest.mark.usefixtures("demo")
ClientAs = Callable[[str | None], Client]

NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = dt.date(2022, 7, 15)
MINE = "/fieldwork/registration/"
ALL = "/fieldwork/registrations/"


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _person(username: str) -> Person:
    return get_user_model().objects.get(username=username).person


def _community_handler() -> Client:
    """A handler working in 长宇社区 (the demo handler works in a department)."""
    person = Person.objects.create(name="长宇社区工作人员", unit=_unit("长宇社区"), category=PersonCategory.CADRE)
    user = get_user_model().objects.create_user("changyu-handler", password="handler-pass-2026")
    user.groups.add(Group.objects.get(name=Role.HANDLER))
    person.user = user
    person.save()
    client = Client()
    client.force_login(user)
    return client


def _register(username: str, community: str, on: dt.date = dt.date(2022, 6, 1)) -> Registration:
    return registration_set(actor=None, person=_person(username), community=_unit(community), registered_on=on)


def test_a_cadre_registers_with_their_residential_community(client_as: ClientAs) -> None:
    client = client_as("cadre")
    page = client.get(MINE)
    assert page.status_code == 200 and page.context["current"] is None
    response = client.post(
        MINE, {"form": "register", "reg-community": _unit("长宇社区").pk, "reg-registered_on": "2022-06-01"}
    )
    assert response.status_code == 302 and response["Location"] == MINE
    registration = Registration.objects.get(person=_person("cadre"))
    assert registration.community.name == "长宇社区" and registration.registered_on == dt.date(2022, 6, 1)
    assert AuditEvent.objects.filter(action="fieldwork.registration_set", target_id=str(registration.pk)).exists()
    assert "长宇社区" in client.get(MINE).content.decode()


def test_registering_again_moves_the_one_registration(client_as: ClientAs) -> None:
    first = _register("cadre", "长宇社区")
    client = client_as("cadre")
    client.post(MINE, {"form": "register", "reg-community": _unit("卫王社区").pk, "reg-registered_on": "2022-07-01"})
    moved = Registration.objects.get(person=_person("cadre"))
    assert moved.pk == first.pk and moved.community.name == "卫王社区"
    event = AuditEvent.objects.filter(action="fieldwork.registration_set").order_by("-seq").first()
    assert event is not None and (event.before or {})["community_id"] == _unit("长宇社区").pk


def test_only_a_community_is_a_residential_community() -> None:
    with pytest.raises(ValidationError) as exc:
        _register("cadre", "正信花园")
    assert "community" in exc.value.message_dict
    assert not Registration.objects.exists()


def test_the_form_refuses_a_non_community_and_a_future_date(client_as: ClientAs) -> None:
    client = client_as("cadre")
    wrong = client.post(
        MINE, {"form": "register", "reg-community": _unit("基建办").pk, "reg-registered_on": "2022-06-01"}
    )
    assert wrong.status_code == 200 and wrong.context["register_form"].errors["community"]
    future = client.post(
        MINE, {"form": "register", "reg-community": _unit("长宇社区").pk, "reg-registered_on": "2022-07-16"}
    )
    assert future.status_code == 200 and future.context["register_form"].errors["registered_on"]
    assert not Registration.objects.exists()


def test_a_registered_cadre_files_reports_and_sees_them_newest_first(client_as: ClientAs) -> None:
    _register("cadre", "长宇社区")
    client = client_as("cadre")
    for start, end, text in (
        ("2022-06-01", "2022-06-30", "参加社区志愿服务两次"),
        ("2022-07-01", "2022-07-15", "协助小区垃圾分类宣传"),
    ):
        response = client.post(
            MINE, {"form": "report", "rep-period_start": start, "rep-period_end": end, "rep-text": text}
        )
        assert response.status_code == 302
    page = client.get(MINE)
    assert [r.text for r in page.context["reports"]] == ["协助小区垃圾分类宣传", "参加社区志愿服务两次"]
    assert RegistrationReport.objects.first().filed_at == NOW  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rep-period_start": "2022-07-10", "rep-period_end": "2022-07-01", "rep-text": "x"}, "period_end"),
        ({"rep-period_start": "2022-07-01", "rep-period_end": "2022-07-10", "rep-text": "<b>做了</b>"}, "text"),
        ({"rep-period_start": "2022-07-01", "rep-period_end": "2022-07-10", "rep-text": "  "}, "text"),
        ({"rep-period_start": "2022-07-20", "rep-period_end": "2022-07-30", "rep-text": "x"}, "period_start"),
        ({"rep-period_start": "nonsense", "rep-period_end": "", "rep-text": "x"}, "period_start"),
    ],
)
def test_a_bad_report_is_refused_on_its_field(client_as: ClientAs, data: dict[str, str], field: str) -> None:
    _register("cadre", "长宇社区")
    response = client_as("cadre").post(MINE, {"form": "report", **data})
    assert response.status_code == 200
    assert response.context["report_form"].errors[field]
    assert not RegistrationReport.objects.exists()


def test_a_report_before_registering_is_refused_with_a_message(client_as: ClientAs) -> None:
    response = client_as("cadre").post(
        MINE, {"form": "report", "rep-period_start": "2022-07-01", "rep-period_end": "2022-07-10", "rep-text": "x"}
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not RegistrationReport.objects.exists()


def test_the_report_service_records_its_period_in_the_audit() -> None:
    registration = _register("cadre", "长宇社区")
    report = registration_report_file(
        actor=None,
        registration=registration,
        period_start=dt.date(2022, 7, 1),
        period_end=dt.date(2022, 7, 15),
        text="做了",
    )
    event = AuditEvent.objects.get(action="fieldwork.registration_report", target_id=str(report.pk))
    assert (event.after or {})["period_end"] == "2022-07-15"


def test_a_community_handler_sees_who_registered_with_their_community_and_their_latest_report() -> None:
    changyu = _register("cadre", "长宇社区")
    _register("leader", "卫王社区")
    registration_report_file(
        actor=None, registration=changyu, period_start=dt.date(2022, 6, 1), period_end=dt.date(2022, 6, 30), text="甲"
    )
    registration_report_file(
        actor=None, registration=changyu, period_start=dt.date(2022, 7, 1), period_end=dt.date(2022, 7, 10), text="乙"
    )
    response = _community_handler().get(ALL)
    assert response.status_code == 200
    rows = list(response.context["registrations"])
    assert [r.person.name for r in rows] == ["长宇社区党员干部（演示）"]
    assert rows[0].last_report == dt.date(2022, 7, 10)
    assert "2022-07-10" in response.content.decode()


def test_a_department_handler_sees_no_registrations(client_as: ClientAs) -> None:
    _register("cadre", "长宇社区")
    response = client_as("handler").get(ALL)
    assert response.status_code == 200 and list(response.context["registrations"]) == []


@pytest.mark.parametrize("username", ["coordinator", "assessor", "supervisor"])
def test_the_teams_see_every_registration_and_filter_by_community(client_as: ClientAs, username: str) -> None:
    _register("cadre", "长宇社区")
    _register("leader", "卫王社区")
    client = client_as(username)
    assert len(client.get(ALL).context["registrations"]) == 2
    only = client.get(f"{ALL}?community={_unit('卫王社区').pk}").context["registrations"]
    assert [r.person.name for r in only] == ["杨立新"]
    assert len(client.get(f"{ALL}?community=abc").context["registrations"]) == 2


@pytest.mark.parametrize("username", ["cadre", "leader", "sysadmin"])
def test_others_may_not_list_registrations(client_as: ClientAs, username: str) -> None:
    assert client_as(username).get(ALL).status_code == 403


def test_the_personas_open_their_registration_page(client_as: ClientAs) -> None:
    for username in ("cadre", "handler", "leader", "coordinator"):
        assert client_as(username).get(MINE).status_code == 200
    assert client_as("sysadmin").get(MINE).status_code == 403
