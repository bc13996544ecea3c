"""/api/v1/circulars/: the teams that issue circulars draft, edit and issue; a unit reads its own issued circulars;
bad input is a 400 with nothing written; an issued circular answers every change with a 409."""

from __future__ import annotations

from typing import Any

from audit.models import AuditEvent
from oversight.models.circulars import Circular
from oversight.tests.circulars_world import client_en, draft, issued, july_2031, overdue_june

__all__ = ["client_en", "july_2031", "overdue_june"]
URL = "/api/v1/circulars/"


def test_the_supervisor_drafts_edits_and_issues_over_the_api(client_en: Any, overdue_june: dict) -> None:
    client = client_en("supervisor")
    made = client.post(
        URL, {"kind": "overdue", "start": "2031-06-01", "end": "2031-06-30"}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["status"] == "draft" and made.json()["number"] == ""
    assert [u["name"] for u in made.json()["units"]] == ["基建办", "长宇社区"]
    edited = client.patch(
        f"{URL}{pk}/", {"title": "关于六月逾期单位的通报", "conclusion": "限期办结", "units": [overdue_june["jijian"].pk]},
        content_type="application/json",
    )  # fmt: skip
    assert edited.status_code == 200, edited.content
    assert edited.json()["title"] == "关于六月逾期单位的通报" and [u["name"] for u in edited.json()["units"]] == [
        "基建办"
    ]
    done = client.post(f"{URL}{pk}/issue/", {}, content_type="application/json")
    assert done.status_code == 200 and done.json()["number"] == "〔2031〕第1期"
    again = client.patch(f"{URL}{pk}/", {"title": "再改"}, content_type="application/json")
    assert again.status_code == 409
    assert Circular.objects.get(pk=pk).title == "关于六月逾期单位的通报"


def test_bad_input_is_a_400_and_nothing_is_written(client_en: Any, overdue_june: dict) -> None:
    client = client_en("coordinator")
    before = AuditEvent.objects.count()
    for body, field in [
        ({"kind": "rumours", "start": "2031-06-01", "end": "2031-06-30"}, "kind"),
        ({"kind": "overdue", "start": "June", "end": "2031-06-30"}, "start"),
        ({"kind": "overdue", "start": "2031-06-30", "end": "2031-06-01"}, "end"),
        ({"kind": "overdue", "start": "2031-06-01", "end": "2031-06-30", "decision": 10**12}, "decision"),
        ({"kind": "good", "start": "9999-12-01", "end": "9999-12-31"}, "start"),
        ({"kind": "overdue", "start": "2031-01-01", "end": "2032-06-30"}, "end"),
    ]:
        response = client.post(URL, body, content_type="application/json")
        assert response.status_code == 400 and field in response.json(), (body, response.content)
    circular = draft()
    before = AuditEvent.objects.count()
    empty = client.patch(f"{URL}{circular.pk}/", {"title": " "}, content_type="application/json")
    assert empty.status_code == 400 and "A circular needs a title." in str(empty.json())
    ghost = client.patch(f"{URL}{circular.pk}/", {"title": "好", "units": [10**12]}, content_type="application/json")
    assert ghost.status_code == 400 and "units" in ghost.json()
    client.patch(f"{URL}{circular.pk}/", {"title": "好", "units": []}, content_type="application/json")
    no_units = client.post(f"{URL}{circular.pk}/issue/", {}, content_type="application/json")
    assert no_units.status_code == 400 and "Name at least one unit" in str(no_units.json())
    circular.refresh_from_db()
    assert circular.status == "draft" and AuditEvent.objects.count() == before + 1  # only the edit that emptied units


def test_a_unit_lists_and_reads_only_its_own_issued_circulars(client_en: Any, overdue_june: dict) -> None:
    mine = issued()
    hidden = draft()
    handler = client_en("handler")
    listed = handler.get(URL)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [mine.pk]
    assert handler.get(f"{URL}{hidden.pk}/").status_code == 404
    assert handler.get(f"{URL}{mine.pk}/").json()["content_hash"] == mine.content_hash
    leader = client_en("leader")  # 杨立新's unit is not concerned
    assert leader.get(URL).json()["results"] == [] and leader.get(f"{URL}{mine.pk}/").status_code == 404
    assert client_en("assessor").get(f"{URL}{mine.pk}/").status_code == 200  # the assessment team reads every issued
    assert (
        handler.post(
            URL, {"kind": "good", "start": "2031-06-01", "end": "2031-06-30"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client_en(None).get(URL).status_code in (401, 403)


def test_the_circulars_are_in_the_openapi_schema(client_en: Any, demo: None) -> None:
    schema = client_en("supervisor").get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert schema.status_code == 200 and "/api/v1/circulars/{id}/issue/" in text


def test_a_patch_changes_only_what_it_names(client_en: Any, overdue_june: dict) -> None:
    circular = draft()
    response = client_en("supervisor").patch(
        f"{URL}{circular.pk}/", {"conclusion": "限期整改"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    circular.refresh_from_db()
    assert circular.conclusion == "限期整改" and circular.title.startswith("Circular on the units")
    assert circular.unit_links.count() == 2
