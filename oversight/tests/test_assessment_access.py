"""Who sees what: the assessment team every row; everyone else with ASSESSMENT_VIEW only their own person's and
(as a unit's handler or leader) their unit's rows and breakdowns; another's breakdown is "not found", exactly like
one that does not exist; the public and the administrators are refused. Over the pages and the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from oversight.tests.assessment_world import AFTER_Q1, at, computed, person_scheme, quarter, unit_scheme


def _person(username: str) -> Any:
    return get_user_model().objects.get(username=username).person


def test_a_cadre_sees_only_their_own_row_and_breakdown(client_as: Any) -> None:
    q = quarter()
    with at(AFTER_Q1):
        assessment = computed(person_scheme())
        client = client_as("cadre")
        page = client.get(f"/oversight/assessment/{assessment.pk}/").content.decode()
        mine = client.get(f"/oversight/assessment/{assessment.pk}/subjects/{q.cadre.pk}/")
        theirs = client.get(f"/oversight/assessment/{assessment.pk}/subjects/{q.lead.pk}/")
        missing = client.get(f"/oversight/assessment/{assessment.pk}/subjects/999999/")
        api = client.get(f"/api/v1/assessments/{assessment.pk}/scores/").json()
    assert f'data-subject="{q.cadre.pk}"' in page and f'data-subject="{q.lead.pk}"' not in page
    assert mine.status_code == 200 and (theirs.status_code, missing.status_code) == (404, 404)
    assert [r["id"] for r in api["rows"]] == [q.cadre.pk]
    assert api["rows"][0]["items"][0]["records"][0]["url"].startswith("/fieldwork/visits/")


def test_a_handler_sees_their_units_row_and_not_another_units(client_as: Any) -> None:
    quarter()
    handler_unit = _person("handler").unit_id
    with at(AFTER_Q1):
        assessment = computed(unit_scheme())
        others = [r["id"] for r in assessment.result["rows"] if r["id"] != handler_unit]
        client = client_as("handler")
        api = client.get(f"/api/v1/assessments/{assessment.pk}/scores/").json()
        own = client.get(f"/oversight/assessment/{assessment.pk}/subjects/{handler_unit}/")
        other = client.get(f"/oversight/assessment/{assessment.pk}/subjects/{others[0]}/")
    assert [r["id"] for r in api["rows"]] == [handler_unit]
    assert own.status_code == 200 and other.status_code == 404


def test_the_assessment_team_sees_every_row(client_as: Any) -> None:
    quarter()
    with at(AFTER_Q1):
        assessment = computed(unit_scheme())
        api = client_as("assessor").get(f"/api/v1/assessments/{assessment.pk}/scores/").json()
    assert len(api["rows"]) == len(assessment.result["rows"]) > 5
    assert [r["rank"] for r in api["rows"]] == sorted(r["rank"] for r in api["rows"])


def test_an_assessment_not_yet_computed_is_the_assessment_teams_alone(client_as: Any) -> None:
    with at(AFTER_Q1):
        from oversight.services import assessment as services
        from oversight.tests.assessment_world import Q1

        opened = services.assessment_open(actor=None, scheme=unit_scheme(), period=Q1)
        assert client_as("assessor").get(f"/oversight/assessment/{opened.pk}/").status_code == 200
        assert client_as("leader").get(f"/oversight/assessment/{opened.pk}/").status_code == 404
        assert client_as("leader").get(f"/api/v1/assessments/{opened.pk}/").status_code == 404
        listed = client_as("cadre").get("/api/v1/assessments/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert opened.pk not in [a["id"] for a in rows]


def test_the_public_and_the_administrators_are_refused(client_as: Any) -> None:
    quarter()
    with at(AFTER_Q1):
        assessment = computed(unit_scheme())
        for persona in ("resident", "auditor", "sysadmin"):
            client = client_as(persona)
            assert client.get("/oversight/assessment/").status_code == 403
            assert client.get(f"/oversight/assessment/{assessment.pk}/").status_code == 403
            assert client_as(persona).get(f"/api/v1/assessments/{assessment.pk}/scores/").status_code == 403
        assert client_as(None).get("/api/v1/assessments/").status_code in (401, 403)


def test_the_api_lists_assessments_in_the_openapi_schema(client_as: Any) -> None:
    schema = client_as("assessor").get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/assessments/{id}/scores/" in schema and "/api/v1/assessments/" in schema


def test_ids_no_column_can_hold_are_not_found_rather_than_a_server_error(client_as: Any) -> None:
    quarter()
    huge = "9" * 30
    with at(AFTER_Q1):
        assessment = computed(unit_scheme())
        client = client_as("assessor")
        for url in (f"/oversight/assessment/{huge}/", f"/oversight/assessment/{assessment.pk}/subjects/{huge}/",
                    f"/api/v1/assessments/{huge}/scores/", f"/oversight/assessment/schemes/{huge}/edit/"):  # fmt: skip
            assert client.get(url).status_code == 404, url
        assert client_as("coordinator").post(f"/oversight/assessment/appeals/{huge}/decide/").status_code == 404
