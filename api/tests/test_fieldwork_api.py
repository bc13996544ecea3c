"""Field work over the REST API: logging and listing visits, weekly duties, and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.authtoken.models import Token

from fieldwork.models import Visit
from fieldwork.tests.test_duties import solved, visit
from org.models import ContactPoint, Person, Unit

pytestmark = pytest.mark.usefixtures("demo")

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2022, 7, 1, 15, 0, tzinfo=SHANGHAI)  # Friday of 2022-W26
VISITS = "/api/v1/visits/"
DUTIES = "/api/v1/duties/"


@pytest.fixture(autouse=True)
def frozen_day() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def api(username: str, **headers: str) -> Client:
    user = get_user_model().objects.get(username=username)
    token, _created = Token.objects.get_or_create(user=user)
    return Client(headers={"Authorization": f"Token {token.key}", "Accept-Language": "en", **headers})


def _post(client: Client, data: dict[str, Any], **headers: str) -> Any:
    return client.post(VISITS, data, content_type="application/json", headers=headers)


def _changyu() -> Unit:
    return Unit.objects.get(ref="seed:community:changyu")


def _person(ref: str) -> Person:
    return Person.objects.get(ref=ref)


HOUSEHOLD = {"date": "2022-06-28", "hours": 1.5, "kind": "household", "place_kind": "household", "place_detail": "3栋"}


# --- Visits --------------------------------------------------------------------------------------------


def test_a_cadre_logs_a_visit_for_themself_with_hours() -> None:
    response = _post(api("cadre"), HOUSEHOLD)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["id"] == _person("demo:person:cadre").pk
    assert (body["kind"], body["hours"], body["date"]) == ("household", 1.5, "2022-06-28")
    visit = Visit.objects.get(pk=body["id"])
    assert visit.person.ref == "demo:person:cadre"
    assert visit.created_by is not None and visit.created_by.username == "cadre"


def test_a_visit_may_give_start_and_end_instead_of_hours() -> None:
    data = {"date": "2022-06-29", "start": "09:00", "end": "11:30", "kind": "site_visit", "place_kind": "community"}
    response = _post(api("leader"), {**data, "unit": _changyu().pk})
    assert response.status_code == 201, response.content
    assert (response.json()["hours"], response.json()["start"], response.json()["end"]) == (2.5, "09:00", "11:30")


def test_a_visit_to_a_contact_point_names_it_by_id() -> None:
    point = ContactPoint.objects.get(leader__ref="seed:person:yanglixin")
    data = {"date": "2022-06-29", "hours": 2, "kind": "survey_meeting", "place_kind": "contact_point"}
    response = _post(api("leader"), {**data, "contact_point": point.pk})
    assert response.status_code == 201, response.content
    assert response.json()["contact_point"] == point.pk and response.json()["place"] == "长宇社区"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "picnic"}, "kind"),
        ({"date": "2022-07-02"}, "date"),  # tomorrow
        ({"date": "01/07/2022"}, "date"),
        ({"hours": 0}, "hours"),
        ({"hours": 25}, "hours"),
        ({"hours": None}, "hours"),
        ({"hours": None, "start": "10:00", "end": "09:00"}, "end"),
        ({"hours": None, "start": "9 o'clock", "end": "10:00"}, "start"),
        ({"place_kind": "moon"}, "place_kind"),
        ({"place_kind": "community"}, "unit"),
        ({"place_kind": "community", "unit": 999999}, "unit"),
        ({"place_detail": ""}, "place_detail"),
        ({"participants": -1}, "participants"),
    ],
)
def test_bad_input_is_refused_with_400_naming_the_field(change: dict[str, Any], field: str) -> None:
    response = _post(api("cadre"), {**HOUSEHOLD, **change})
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Visit.objects.exists()


def test_the_same_idempotency_key_twice_logs_one_visit() -> None:
    first = _post(api("cadre"), HOUSEHOLD, **{"Idempotency-Key": "phone-42"})
    again = _post(api("cadre"), HOUSEHOLD, **{"Idempotency-Key": "phone-42"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Visit.objects.count() == 1
    other = _post(api("handler"), HOUSEHOLD, **{"Idempotency-Key": "phone-42"})
    assert other.status_code == 201 and other.json()["person"]["id"] != first.json()["person"]["id"]
    assert _post(api("cadre"), HOUSEHOLD, **{"Idempotency-Key": "k" * 101}).status_code == 400


def test_an_account_without_a_person_cannot_log_a_visit() -> None:
    user = get_user_model().objects.create_user("nobody-cadre", password="x-pass-2026-long")
    user.groups.add(Group.objects.get(name="cadre"))
    response = _post(api("nobody-cadre"), HOUSEHOLD)
    assert response.status_code == 400 and "person" in response.json()


def test_the_administrators_and_anonymous_callers_are_refused() -> None:
    assert api("sysadmin").get(VISITS).status_code == 403
    assert _post(api("sysadmin"), HOUSEHOLD).status_code == 403
    assert Client().get(VISITS).status_code == 401


def test_a_cadre_lists_only_their_own_visits() -> None:
    cadre, handler = _person("demo:person:cadre"), _person("demo:person:handler")
    mine = visit(cadre, dt.date(2022, 6, 27), "household")
    visit(handler, dt.date(2022, 6, 27), "household")
    response = api("cadre").get(VISITS)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert api("cadre").get(f"{VISITS}?person={handler.pk}").json()["count"] == 0


def test_the_coordination_team_lists_everyones_visits_filtered_by_person_and_week() -> None:
    cadre, handler = _person("demo:person:cadre"), _person("demo:person:handler")
    visit(cadre, dt.date(2022, 6, 27), "household")
    visit(cadre, dt.date(2022, 6, 20), "household")
    visit(handler, dt.date(2022, 6, 27), "household")
    client = api("coordinator")
    assert client.get(VISITS).json()["count"] == 3
    assert client.get(VISITS, {"person": cadre.pk}).json()["count"] == 2
    rows = client.get(VISITS, {"person": str(cadre.pk), "week": "2022-W26"}).json()["results"]
    assert [row["date"] for row in rows] == ["2022-06-27"]


def test_a_bad_week_or_person_in_the_visit_list_is_a_400() -> None:
    assert api("cadre").get(VISITS, {"week": "2022-W60"}).status_code == 400
    assert "week" in api("cadre").get(VISITS, {"week": "soon"}).json()
    assert api("cadre").get(VISITS, {"person": "me"}).status_code == 400


def test_a_visit_is_read_by_its_owner_and_not_by_another_cadre() -> None:
    mine = visit(_person("demo:person:cadre"), dt.date(2022, 6, 27), "household")
    assert api("cadre").get(f"{VISITS}{mine.pk}/").json()["place_detail"] == "杨亦主小区3栋"
    assert api("handler").get(f"{VISITS}{mine.pk}/").status_code == 404
    assert api("assessor").get(f"{VISITS}{mine.pk}/").status_code == 200


# --- Duties --------------------------------------------------------------------------------------------


def test_my_duties_this_week_are_one_row_per_rule_with_numbers() -> None:
    visit(_person("demo:person:cadre"), dt.date(2022, 6, 27), "household", hours="19.5")
    response = api("cadre").get(DUTIES)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["week"], body["starts_on"], body["ends_on"], body["met"]) == (
        "2022-W26",
        "2022-06-27",
        "2022-07-03",
        False,
    )
    assert body["person"]["id"] == _person("demo:person:cadre").pk
    rows = [{k: row[k] for k in ("metric", "value", "threshold", "met")} for row in body["rules"]]
    assert rows == [
        {"metric": "grassroots_hours", "value": 19.5, "threshold": 20.0, "met": False},
        {"metric": "household_visits", "value": 1.0, "threshold": 1.0, "met": True},
    ]
    assert body["rules"][0]["missing"] == "0.5 more hours of grassroots work"
    # The week has not ended: short of a rule is in progress, not a failure; the ISO code stays in "week".
    assert (body["state"], body["rules"][0]["state"], body["rules"][1]["state"]) == ("in_progress", "in_progress", "met")
    assert body["title"] == "Week 26, 2022 (27 Jun – 3 Jul)"


def test_a_leaders_duties_of_a_past_week() -> None:
    leader = _person("seed:person:yanglixin")
    visit(leader, dt.date(2022, 6, 21), "enterprise")
    solved(leader, dt.datetime(2022, 6, 22, 10, 0, tzinfo=SHANGHAI))
    body = api("leader").get(DUTIES, {"week": "2022-W25"}).json()
    assert [(r["metric"], r["met"]) for r in body["rules"]] == [
        ("field_days", True),
        ("matters_solved", True),
        ("enterprises_served", True),
    ]
    assert body["met"] is True


def test_the_assessment_team_reads_anyones_duties_and_a_cadre_only_their_own() -> None:
    leader = _person("seed:person:yanglixin")
    assert api("assessor").get(DUTIES, {"person": leader.pk}).json()["person"]["id"] == leader.pk
    assert api("cadre").get(DUTIES, {"person": leader.pk}).status_code == 403
    own = _person("demo:person:cadre").pk
    assert api("cadre").get(DUTIES, {"person": own}).status_code == 200
    assert api("assessor").get(DUTIES, {"person": 999999}).status_code == 404


def test_bad_duty_queries_are_400() -> None:
    for params in ({"week": "2021-W53"}, {"week": "W26"}, {"person": "x"}):
        response = api("cadre").get(DUTIES, params)
        assert response.status_code == 400, params
    user = get_user_model().objects.create_user("nobody-coord", password="x-pass-2026-long")
    user.groups.add(Group.objects.get(name="coordinator"))
    assert api("nobody-coord").get(DUTIES).status_code == 400


def test_a_person_without_rules_owes_nothing() -> None:
    admin = _person("demo:person:sysadmin")
    body = api("coordinator").get(DUTIES, {"person": admin.pk}).json()
    assert (body["rules"], body["met"]) == ([], True)


# --- Schema --------------------------------------------------------------------------------------------


def test_the_schema_documents_visits_and_duties_with_their_enums() -> None:
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/visits/"])
    assert "/api/v1/visits/{id}/" in schema["paths"]
    duties = schema["paths"]["/api/v1/duties/"]["get"]
    assert {p["name"] for p in duties["parameters"]} >= {"week", "person"}
    assert duties["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DutyWeek"
    }
    components = schema["components"]["schemas"]
    assert "site_visit" in components["VisitKindEnum"]["enum"]
    assert components["DutyRow"]["properties"]["metric"]["allOf"] == [{"$ref": "#/components/schemas/MetricEnum"}]
    assert "grassroots_hours" in components["MetricEnum"]["enum"]
    assert components["DutyRow"]["properties"]["value"]["type"] == "number"


def test_the_schema_validates_without_warnings() -> None:
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
