"""Clues are the supervision team's alone: every other persona is refused every clue route (the same answer whether
the clue exists or not), a supervisor the clue names gets "not found" and never sees it in a list, the API or the
assessment's records; every showing is on record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from audit.models import AuditEvent
from core.indicators import compute, registered
from core.roles import Role
from org.models import Person
from oversight.models.clues import Clue
from oversight.services import clues as services
from oversight.tests.clues_world import TEXT, cadre_person, clue_in, english, july_2031

__all__ = ["july_2031"]
pytestmark = pytest.mark.usefixtures("demo", "july_2031")

OTHERS = ["cadre", "handler", "leader", "coordinator", "assessor", "sysadmin", "secadmin", "auditor"]
MISSING = 999_999_999


def _table(page: str) -> str:
    return page.split('id="clues"', 1)[1].split("</table>", 1)[0]


def _urls(pk: int) -> list[tuple[str, str]]:
    pages = ["", "named/", "dispose/", "reply/", "conclude/", "measures/new/"]
    urls = [("get", "/oversight/clues/"), ("get", "/oversight/clues/?q=走访"), ("get", "/oversight/clues/new/")]
    urls += [("get", f"/oversight/clues/{pk}/{page}") for page in pages]
    urls += [("post", f"/oversight/clues/{pk}/{page}") for page in pages[1:]]
    urls += [("get", "/api/v1/clues/"), ("get", f"/api/v1/clues/{pk}/"), ("post", "/api/v1/clues/")]
    urls += [("post", f"/api/v1/clues/{pk}/{act}/") for act in ("dispose", "reply", "conclude", "measures")]
    return urls


@pytest.mark.parametrize("persona", [*OTHERS, "resident", "outsider"])
def test_every_persona_but_the_supervision_team_is_refused_every_clue_route_alike_for_a_clue_or_none(
    persona, client_as
) -> None:  # type: ignore[no-untyped-def]
    clue = clue_in("founded")
    client = client_as(persona)
    for (method, url), (_m, missing) in zip(_urls(clue.pk), _urls(MISSING), strict=True):
        answer = getattr(client, method)(url)
        assert answer.status_code == 403, (persona, method, url, answer.status_code)
        assert getattr(client, method)(missing).status_code == 403, (persona, method, missing)
        assert TEXT not in answer.content.decode()
    assert not AuditEvent.objects.filter(action="clue.view").exists()
    assert Clue.objects.get(pk=clue.pk).measures.count() == 0


def test_an_anonymous_visitor_is_sent_to_the_login_and_the_api_refuses_them(client_as) -> None:  # type: ignore[no-untyped-def]
    clue = clue_in("registered")
    client = client_as(None)
    page = client.get(f"/oversight/clues/{clue.pk}/")
    assert page.status_code == 302 and "/login" in page["Location"]
    assert client.get("/api/v1/clues/").status_code in (401, 403)


def test_a_supervisor_named_in_a_clue_finds_it_nowhere_and_gets_not_found(client_as) -> None:  # type: ignore[no-untyped-def]
    me = Person.objects.get(user__username="supervisor")
    named = clue_in("founded", text="反映占汉文检查走过场（测试）", persons=[me])
    other = clue_in("registered")
    client = client_as("supervisor")
    for url in [
        f"/oversight/clues/{named.pk}/{page}" for page in ("", "named/", "dispose/", "conclude/", "measures/new/")
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(f"/api/v1/clues/{named.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/clues/{named.pk}/dispose/",
            {"disposal": "verify", "on": "2031-07-03"},
            content_type="application/json",
        ).status_code
        == 404
    )
    listing = _table(client.get("/oversight/clues/").content.decode())
    assert named.code not in listing and other.code in listing
    assert named.code not in _table(client.get(f"/oversight/clues/?q={named.code}").content.decode())
    api = client.get("/api/v1/clues/").json()
    codes = [row["code"] for row in (api["results"] if isinstance(api, dict) else api)]
    assert other.code in codes and named.code not in codes
    assert not AuditEvent.objects.filter(action="clue.view", target_id=str(named.pk)).exists()


def test_another_supervisor_not_named_sees_the_clue_and_every_showing_is_on_record(client_as) -> None:  # type: ignore[no-untyped-def]
    me = Person.objects.get(user__username="supervisor")
    colleague = get_user_model().objects.create_user("supervisor2", password="a-Long-passphrase-2026")
    colleague.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    clue = clue_in(
        "registered", text="反映占汉文（测试）", persons=[me], reporter_name="王某", reporter_phone="13900000000"
    )
    client = client_as("supervisor2")
    page = client.get(f"/oversight/clues/{clue.pk}/").content.decode()
    assert "13900000000" in page and "王某" in page
    client.get(f"/api/v1/clues/{clue.pk}/")
    events = AuditEvent.objects.filter(action="clue.view", target_id=str(clue.pk)).order_by("seq")
    assert [e.actor_name for e in events] == ["supervisor2", "supervisor2"]
    assert "reporter_phone" in (events[0].after or {})["fields"] and "13900000000" not in str(events[0].after)
    assert "13900000000" not in str(client.get(f"/api/v1/clues/{clue.pk}/").json())


def test_the_assessment_counts_founded_clues_and_measures_without_revealing_a_clues_text() -> None:
    assert {"clues.findings", "clues.measures"} <= set(registered())
    person = cadre_person()
    founded = clue_in("founded", persons=[person], units=[person.unit])
    clue_in("unfounded", persons=[person], units=[person.unit])
    measure = services.measure_add(
        actor=None, clue=founded, kind="reminder", person=person, decided_on=dt.date(2031, 7, 3), decider="纪工委"
    )
    q3: dict[str, Any] = {"start": dt.date(2031, 7, 1), "end": dt.date(2031, 9, 30)}
    findings = compute("clues.findings", subject="person", ids=[person.pk], **q3)
    assert findings[person.pk].value == 1
    [record] = findings[person.pk].records
    assert record.title == f"{founded.code} · Founded" or record.title.startswith(founded.code)
    assert record.url == f"/oversight/clues/{founded.pk}/" and TEXT not in record.title
    by_unit = compute("clues.findings", subject="unit", ids=[person.unit_id], **q3)
    assert by_unit[person.unit_id].value == 1
    measures = compute("clues.measures", subject="person", **q3)
    [ref] = measures[person.pk].records
    assert (ref.model, ref.pk) == ("oversight.measure", measure.pk) and ref.title.startswith(f"{founded.code} · ")
    assert compute("clues.measures", subject="unit", **q3) == {}
    q2: dict[str, Any] = {"start": dt.date(2031, 4, 1), "end": dt.date(2031, 6, 30)}
    assert (
        compute("clues.measures", subject="person", **q2) == {}
        and compute("clues.findings", subject="person", **q2) == {}
    )


def test_the_workbench_tells_the_supervision_team_of_clues_to_dispose_of(client_as) -> None:  # type: ignore[no-untyped-def]
    clue_in("registered")
    page = english(client_as("supervisor")).get("/workbench/").content.decode()
    assert "Problem clues to dispose of" in page
    assert "Problem clues to dispose of" not in english(client_as("coordinator")).get("/workbench/").content.decode()
