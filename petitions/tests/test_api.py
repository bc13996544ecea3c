"""Point 10: /api/v1/petitions/ — list with filters, create, read, update; dispositions, home visits and closing;
the personal fields only for the roles allowed (each read audited), documented in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.models import AuditEvent
from fieldwork.models import Visit, VisitKind
from matters.services import matter_transition
from matters.workflow import Action, Status
from org.models import Person, Unit
from petitions.models import HomeVisit, PetitionCase
from petitions.tests.personas import NAME, PHONE, api, case_data, other_accounts, planted_case

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = "/api/v1/petitions/"


@pytest.fixture(autouse=True)
def _frozen(demo: None) -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        other_accounts()
        yield


def _json(client_name: str, method: str, url: str, body: object) -> Any:
    return api(client_name).generic(method, url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("username", "sees", "personal"),
    [
        ("leader", True, True),
        ("handler", True, True),
        ("coordinator", True, True),
        ("supervisor", True, True),
        ("other_leader", True, False),
        ("assessor", True, False),
        ("other_handler", False, False),
    ],
)
def test_the_list_shows_each_role_its_cases_and_the_petitioners_only_to_those_allowed(
    username: str, sees: bool, personal: bool
) -> None:
    case = planted_case()
    response = api(username).get(URL)
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert (case.pk in rows) is sees
    if sees:
        row = rows[case.pk]
        assert (row["petitioners"] is not None) is personal
        assert (NAME in response.content.decode()) is personal
        assert (PHONE in response.content.decode()) is personal


def test_the_list_filters_by_owner_focus_risk_and_status() -> None:
    case = planted_case()
    other = planted_case(owners=[Person.objects.get(name="邹国柱").pk], risk="low", focus=_focus("medical"))
    coordinator = api("coordinator")

    def ids(**query: Any) -> set[int]:
        return {row["id"] for row in coordinator.get(URL, query).json()["results"]}

    assert ids(owner=Person.objects.get(name="邹国柱").pk) == {other.pk}
    assert ids(focus="wages") == {case.pk}
    assert ids(risk="low") == {other.pk}
    assert ids(status="open") == {case.pk, other.pk} and ids(status="closed") == set()


def _focus(code: str) -> int:
    from petitions.models import FocusArea

    return FocusArea.objects.get(code=code).pk


def test_the_coordinator_creates_a_case_and_a_case_without_owners_is_refused_with_nothing_written() -> None:
    body = {**case_data(focus="wages"), "petitioners": [{"name": NAME, "phone": PHONE}]}
    before = PetitionCase.objects.count()
    refused = _json("coordinator", "POST", URL, {**body, "owners": []})
    assert refused.status_code == 400 and "owners" in refused.json()
    assert _json("handler", "POST", URL, body).status_code == 403
    assert PetitionCase.objects.count() == before
    created = _json("coordinator", "POST", URL, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["petitioners"][0]["name"] == NAME and data["limits"][0]["code"] == "accept"


def test_an_update_changes_the_case_and_removing_every_owner_is_refused() -> None:
    case = planted_case()
    changed = _json("coordinator", "PATCH", f"{URL}{case.pk}/", {"risk": "low"})
    assert changed.status_code == 200, changed.content
    assert PetitionCase.objects.get(pk=case.pk).risk == "low"
    event = AuditEvent.objects.filter(action="petitions.case_update").latest("seq")
    assert event.after == {"fields": ["risk"]}
    refused = _json("coordinator", "PATCH", f"{URL}{case.pk}/", {"owners": []})
    assert refused.status_code == 400
    assert PetitionCase.objects.get(pk=case.pk).owners.count() == 1
    assert _json("leader", "PATCH", f"{URL}{case.pk}/", {"risk": "high"}).status_code == 403


def test_a_handler_of_another_unit_gets_not_found_for_the_case_and_its_steps() -> None:
    case = planted_case()
    for path in ("", "dispositions/", "visits/"):
        assert api("other_handler").get(f"{URL}{case.pk}/{path}").status_code == 404
        assert api("other_handler").get(f"{URL}999999999/{path}").status_code == 404


def test_the_owner_records_a_disposition_and_logs_a_home_visit_through_the_api() -> None:
    case = planted_case()
    done = _json(
        "leader",
        "POST",
        f"{URL}{case.pk}/dispositions/",
        {"term": "educated", "done": "谈心谈话", "done_on": "2022-06-14"},
    )
    assert done.status_code == 201, done.content
    assert api("leader").get(f"{URL}{case.pk}/dispositions/").json()[0]["term"] == "educated"
    future = _json("leader", "POST", f"{URL}{case.pk}/visits/", {"date": "2022-06-16", "hours": "1"})
    assert future.status_code == 400
    visit = _json("leader", "POST", f"{URL}{case.pk}/visits/", {"date": "2022-06-15", "hours": "1.5"})
    assert visit.status_code == 201, visit.content
    logged = Visit.objects.get(pk=visit.json()["visit"])
    assert logged.kind == VisitKind.PETITIONER and HomeVisit.objects.get(visit=logged).case == case
    assert (
        _json("other_leader", "POST", f"{URL}{case.pk}/visits/", {"date": "2022-06-15", "hours": "1"}).status_code
        == 403
    )


def test_closing_through_the_api_needs_a_basis_and_a_verified_case() -> None:
    from core.uploads import clean_upload
    from petitions import services

    case = planted_case()
    matter_transition(matter=case.matter, action=Action.ACCEPT, actor=None)
    matter_transition(
        matter=case.matter,
        action=Action.ASSIGN,
        actor=None,
        task="化解",
        deadline=dt.date(2022, 9, 1),
        leads=[Person.objects.get(name="杨立新")],
        units=[Unit.objects.get(name="基建办")],
    )
    matter_transition(matter=case.matter, action=Action.START, actor=None)
    pdf = clean_upload("e.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    services.disposition_add(
        actor=None, case=case, term="solved", done="解决", done_on=dt.date(2022, 6, 15), evidence=[pdf]
    )
    early = _json("leader", "POST", f"{URL}{case.pk}/close/", {"way": "accepted", "basis": "息诉"})
    assert early.status_code == 409
    matter_transition(matter=case.matter, action=Action.COMPLETE, actor=None, effect="解决")
    matter_transition(matter=case.matter, action=Action.VERIFY, actor=None)
    no_basis = _json("leader", "POST", f"{URL}{case.pk}/close/", {"way": "accepted", "basis": ""})
    assert no_basis.status_code == 400
    closed = _json("leader", "POST", f"{URL}{case.pk}/close/", {"way": "accepted", "basis": "信访人表态息诉罢访"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == Status.CLOSED


def test_every_personal_read_through_the_api_is_audited_by_fields_never_values() -> None:
    case = planted_case()
    api("supervisor").get(f"{URL}{case.pk}/")
    api("supervisor").get(URL)
    events = list(AuditEvent.objects.filter(action__in=["petitions.view_petitioners", "petitions.list_petitioners"]))
    assert len(events) >= 2
    assert not [e for e in events if NAME in str(e.after) or PHONE in str(e.after)]


def test_the_openapi_schema_documents_the_petition_paths_and_who_sees_the_personal_fields() -> None:
    schema = api("coordinator").get("/api/v1/schema/", {"format": "json"}).content.decode()
    for path in (
        "/api/v1/petitions/",
        "/api/v1/petitions/{id}/dispositions/",
        "/api/v1/petitions/{id}/visits/",
        "/api/v1/petitions/{id}/close/",
    ):
        assert path in schema, path
    assert "conduct supervision team (each read is audited)" in schema
