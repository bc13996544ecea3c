"""/api/v1/signals/: the supervision team lists, reads, dismisses with a reason and turns a signal into a clue; a
refusal is a 400 with its message and writes nothing; every other role is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from audit.models import AuditEvent
from oversight.models.clues import Clue
from oversight.models.signals import Signal, SignalKind, SignalStatus
from oversight.services.signals import signals_refresh
from oversight.tests.reviews_world import at
from oversight.tests.signals_world import NOW, WINDOW, visit

pytestmark = pytest.mark.usefixtures("demo")
URL = "/api/v1/signals/"
K = SignalKind


@pytest.fixture
def late() -> Any:
    with at(NOW), translation.override("en"):
        visit("2031-06-02", late_days=14, late_reason="外出学习，返回后补录")
        signals_refresh(actor=None, window=WINDOW, kinds=[K.LATE_ENTRY])
        yield Signal.objects.get(kind=K.LATE_ENTRY)


def test_the_supervisor_lists_filters_and_reads_signals_with_their_evidence(late: Any, client_as: Any) -> None:
    client = client_as("supervisor")
    with at(NOW):
        listed = client.get(URL, {"kind": K.LATE_ENTRY})
        other = client.get(URL, {"kind": K.OVERLAP})
        one = client.get(f"{URL}{late.pk}/")
    assert listed.status_code == 200 and [s["id"] for s in listed.json()["results"]] == [late.pk]
    assert other.json()["results"] == []
    body = one.json()
    assert body["kind"] == "late_entry" and body["status"] == "new" and body["clue"] is None
    assert body["evidence"]["late_reason"] == "外出学习，返回后补录"
    assert body["evidence"]["records"][0]["url"].startswith("/fieldwork/visits/")


def test_dismissing_without_a_reason_is_a_400_and_writes_nothing(late: Any, client_as: Any) -> None:
    events = AuditEvent.objects.count()
    with at(NOW):
        response = client_as("supervisor").post(
            f"{URL}{late.pk}/dismiss/", {"reason": ""}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400
    assert "the reason is required" in str(response.json())
    late.refresh_from_db()
    assert late.status == SignalStatus.NEW and AuditEvent.objects.count() == events


def test_a_dismissed_signal_is_returned_with_its_reason_and_a_second_dismissal_is_a_409(
    late: Any, client_as: Any
) -> None:
    client = client_as("supervisor")
    with at(NOW):
        done = client.post(f"{URL}{late.pk}/dismiss/", {"reason": "补录原因属实"}, content_type="application/json")
        again = client.post(f"{URL}{late.pk}/dismiss/", {"reason": "再次"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    assert done.json()["dismiss_reason"] == "补录原因属实" and again.status_code == 409


def test_turning_a_signal_into_a_clue_gives_its_number_and_marks_the_signal(late: Any, client_as: Any) -> None:
    with at(NOW):
        response = client_as("supervisor").post(
            f"{URL}{late.pk}/clue/", {"text": "核实该次走访是否真实"}, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    clue = Clue.objects.get(signal=late)
    assert response.json()["clue"] == clue.code and response.json()["signal"]["status"] == "clued"
    assert clue.text == "核实该次走访是否真实"


def test_every_other_role_is_refused_and_nothing_is_written(late: Any, client_as: Any) -> None:
    with at(NOW):
        for who in ("cadre", "coordinator", "leader", "assessor", "auditor", "resident"):
            client = client_as(who)
            assert client.get(URL).status_code == 403, who
            assert client.get(f"{URL}{late.pk}/").status_code == 403, who
            posted = client.post(f"{URL}{late.pk}/dismiss/", {"reason": "x"}, content_type="application/json")
            assert posted.status_code == 403, who
        assert client_as(None).get(URL).status_code in (401, 403)
        assert client_as("supervisor").get(f"{URL}999999/").status_code == 404
    late.refresh_from_db()
    assert late.status == SignalStatus.NEW and not Clue.objects.filter(signal=late).exists()


def test_the_signals_api_is_in_the_openapi_schema(client_as: Any) -> None:
    schema = client_as("supervisor").get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert schema.status_code == 200
    for path in (
        "/api/v1/signals/",
        "/api/v1/signals/{id}/",
        "/api/v1/signals/{id}/dismiss/",
        "/api/v1/signals/{id}/clue/",
    ):
        assert path in text, path
