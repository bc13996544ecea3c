"""Point 1 and 8: a case with its petitioners apart, owners required; who sees what, and every view audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token

from audit.models import AuditEvent
from matters.models import Matter
from petitions import services
from petitions.models import PetitionCase, Petitioner
from petitions.tests.personas import ADDRESS, ID_NUMBER, NAME, PHONE, case_data, client, other_accounts, planted_case

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PERSONAL = (NAME, PHONE, ID_NUMBER, ADDRESS)


@pytest.fixture(autouse=True)
def _frozen(demo: None) -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        other_accounts()
        yield


def _shown(body: str) -> list[str]:
    return [value for value in PERSONAL if value in body]


def test_a_case_is_a_matter_of_kind_petition_never_public_whose_problem_hides_the_petitioner() -> None:
    case = planted_case()
    matter = case.matter
    assert matter.kind == "petition" and not matter.is_public and matter.kind_spec.never_public
    assert case.petitioners.get().name == NAME
    assert not _shown(matter.problem), matter.problem
    assert str(case) == f"XF-{matter.code}"


def test_a_case_without_an_owner_or_a_petitioner_is_refused_and_nothing_is_written() -> None:
    before = (Matter.objects.count(), PetitionCase.objects.count(), Petitioner.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.case_create(actor=None, data=case_data(owners=[]), petitioners=[{"name": NAME}])
    assert "kind_data.owners" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.case_create(actor=None, data=case_data(), petitioners=[])
    assert "petitioners" in refused.value.message_dict
    assert (Matter.objects.count(), PetitionCase.objects.count(), Petitioner.objects.count()) == before


def test_the_coordinator_registers_a_case_from_the_page_and_a_missing_owner_is_a_clear_error() -> None:
    data = {**case_data(), "p-name": NAME, "p-phone": PHONE}
    before = PetitionCase.objects.count()
    refused = client("coordinator").post("/petitions/new/", {**data, "owners": []})
    assert refused.status_code == 400
    assert "至少" in refused.content.decode() or "at least one owning leader" in refused.content.decode()
    assert PetitionCase.objects.count() == before
    response = client("coordinator").post("/petitions/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = PetitionCase.objects.get(pk=PetitionCase.objects.order_by("-id").first().pk)  # type: ignore[union-attr]
    assert case.petitioners.get().phone == PHONE


@pytest.mark.parametrize("username", ["leader", "handler", "coordinator", "supervisor"])
def test_the_owner_the_units_handler_and_the_teams_see_the_petitioner_and_the_view_is_audited(username: str) -> None:
    case = planted_case()
    before = AuditEvent.objects.filter(action="petitions.view_petitioners").count()
    response = client(username).get(f"/petitions/{case.pk}/")
    assert response.status_code == 200
    assert set(_shown(response.content.decode())) == set(PERSONAL)
    events = AuditEvent.objects.filter(action="petitions.view_petitioners").order_by("-seq")
    assert events.count() == before + 1
    event = events.first()
    assert event is not None and event.target_id == str(case.pk)
    assert not [v for v in PERSONAL if v in f"{event.after} {event.target_label}"]


@pytest.mark.parametrize("username", ["other_leader", "assessor"])
def test_another_leader_and_the_assessor_see_the_case_masked_and_nothing_is_audited(username: str) -> None:
    case = planted_case()
    before = AuditEvent.objects.filter(action="petitions.view_petitioners").count()
    response = client(username).get(f"/petitions/{case.pk}/")
    assert response.status_code == 200
    assert not _shown(response.content.decode())
    assert AuditEvent.objects.filter(action="petitions.view_petitioners").count() == before


def test_a_handler_of_another_unit_gets_not_found_for_the_case_as_for_a_missing_one() -> None:
    case = planted_case()
    foreign = client("other_handler").get(f"/petitions/{case.pk}/")
    missing = client("other_handler").get("/petitions/999999999/")
    assert foreign.status_code == missing.status_code == 404
    assert case.case_number not in client("other_handler").get("/petitions/").content.decode()
    assert client("other_handler").get(f"/matters/{case.matter.pk}/").status_code == 404


def test_anonymous_visitors_go_to_the_login_and_a_cadre_is_refused() -> None:
    case = planted_case()
    assert client(None).get(f"/petitions/{case.pk}/").status_code == 302
    assert client("cadre").get(f"/petitions/{case.pk}/").status_code == 403


def test_another_leader_may_not_record_on_a_case_they_do_not_own() -> None:
    case = planted_case()
    response = client("other_leader").post(f"/petitions/{case.pk}/dispositions/", {"d-term": "solved"})
    assert response.status_code == 403
    assert not case.dispositions.exists()


def test_the_audit_log_never_holds_the_petitioners_data() -> None:
    case = planted_case()
    client("leader").get(f"/petitions/{case.pk}/")
    client("coordinator").get(f"/matters/{case.matter.pk}/")
    texts = [f"{e.before} {e.after} {e.target_label}" for e in AuditEvent.objects.order_by("-seq")[:30]]
    assert not [v for v in PERSONAL for text in texts if v in text]


def test_the_matters_api_shows_the_case_data_to_another_leader_but_never_the_petitioner() -> None:
    case = planted_case()
    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username="other_leader"))
    api = Client(headers={"Authorization": f"Token {token.key}"})
    response = api.get(f"/api/v1/matters/{case.matter.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert response.json()["kind_data"]["case_number"] == case.case_number
    assert response.json()["kind_data"]["summary"] is None
    assert not _shown(body), body
