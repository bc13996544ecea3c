"""Circulars over HTTP: the supervision or coordination team generates a draft from the records, edits it and issues
it; the units concerned are told and read it; bad input is a translated message with nothing written; an issued
circular cannot be changed by anyone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from audit.content import content_problems
from audit.models import AuditEvent
from notifications.models import Notification
from org.models import Unit
from oversight.models.circulars import Circular, CircularImmutable, CircularStatus, CircularUnit
from oversight.selectors.circulars import ISSUE_ACTION
from oversight.services import circulars as services
from oversight.services import reviews as review_services
from oversight.tests.circulars_world import JUNE, client_en, codes, draft, issued, july_2031, overdue_june
from oversight.tests.reviews_world import campaign, review_in

__all__ = ["campaign", "client_en", "july_2031", "overdue_june"]
PERSONAS = ["coordinator", "supervisor", "assessor", "leader", "handler", "cadre", "sysadmin", "secadmin", "auditor"]


def test_the_supervisor_generates_an_overdue_draft_from_the_records(client_en: Any, overdue_june: dict) -> None:
    client = client_en("supervisor")
    response = client.post("/oversight/circulars/new/", {"kind": "overdue", "start": "2031-06-01", "end": "2031-06-30"})
    assert response.status_code == 302, response.content.decode()[:2000]
    circular = Circular.objects.get()
    assert response["Location"] == f"/oversight/circulars/{circular.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert circular.status == "draft" and circular.title in page
    late = overdue_june["late"]
    assert codes(*late) in page and overdue_june["not_due"].code not in page
    assert set(circular.unit_links.values_list("unit_id", flat=True)) == {
        overdue_june["jijian"].pk,
        overdue_june["changyu"].pk,
    }


def test_the_coordinator_edits_the_draft(client_en: Any, overdue_june: dict) -> None:
    circular = draft()
    client = client_en("coordinator")
    data = {
        "title": "关于六月逾期事项的情况通报",
        "lead": "导语",
        "body": "正文第一段\n正文第二段",
        "conclusion": "结语",
        "issuer": "综合协调专班",
        "units": [overdue_june["jijian"].pk],
    }
    response = client.post(f"/oversight/circulars/{circular.pk}/edit/", data)
    assert response.status_code == 302
    circular.refresh_from_db()
    assert (circular.title, circular.lead, circular.body, circular.conclusion, circular.issuer) == (
        "关于六月逾期事项的情况通报", "导语", "正文第一段\n正文第二段", "结语", "综合协调专班",
    )  # fmt: skip
    assert list(circular.unit_links.values_list("unit_id", flat=True)) == [overdue_june["jijian"].pk]
    assert AuditEvent.objects.filter(action="oversight.circular_update", target_id=str(circular.pk)).count() == 1


def test_an_empty_title_is_refused_with_a_message_and_nothing_is_written(client_en: Any, overdue_june: dict) -> None:
    circular = draft()
    before = AuditEvent.objects.count()
    response = client_en("supervisor").post(
        f"/oversight/circulars/{circular.pk}/edit/", {"title": "  ", "lead": "新导语", "units": []}
    )
    assert response.status_code == 200
    assert "A circular needs a title." in response.content.decode()
    circular.refresh_from_db()
    assert circular.title.startswith("Circular on the units") and circular.lead != "新导语"
    assert circular.unit_links.count() == 2 and AuditEvent.objects.count() == before


def test_a_period_that_ends_before_it_starts_is_refused(client_en: Any, overdue_june: dict) -> None:
    response = client_en("supervisor").post(
        "/oversight/circulars/new/", {"kind": "overdue", "start": "2031-06-30", "end": "2031-06-01"}
    )
    assert response.status_code == 200 and "The period ends before it starts." in response.content.decode()
    assert not Circular.objects.exists()


def test_issuing_without_units_is_refused_with_a_message_and_nothing_is_written(
    client_en: Any, overdue_june: dict
) -> None:
    circular = draft()
    CircularUnit.objects.filter(circular=circular).delete()
    before = (AuditEvent.objects.count(), Notification.objects.count())
    client = client_en("supervisor")
    response = client.post(f"/oversight/circulars/{circular.pk}/issue/", follow=True)
    assert "Name at least one unit concerned before issuing the circular." in response.content.decode()
    circular.refresh_from_db()
    assert circular.status == "draft" and circular.seq is None
    assert (AuditEvent.objects.count(), Notification.objects.count()) == before


def test_issuing_numbers_the_circular_hashes_it_and_tells_the_units_concerned(
    client_en: Any, overdue_june: dict
) -> None:
    circular = draft()
    response = client_en("supervisor").post(f"/oversight/circulars/{circular.pk}/issue/")
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.status == CircularStatus.ISSUED and circular.number == "〔2031〕第1期"
    assert circular.issued_on == dt.date(2031, 7, 3)
    event = AuditEvent.objects.get(action=ISSUE_ACTION, target_id=str(circular.pk))
    assert (event.after or {})["content_hash"] == circular.content_hash and len(circular.content_hash) == 64
    told = set(Notification.objects.about(circular).values_list("recipient__username", flat=True))
    assert {"handler", "cadre"} <= told  # 基建办's handler and 长宇社区's cadre
    assert "coordinator" not in told and "assessor" not in told
    # The handler reads it from the notification's link and among the circulars received.
    handler = client_en("handler")
    assert circular.title in handler.get(circular.get_absolute_url()).content.decode()
    assert circular.number in handler.get("/oversight/circulars/received/").content.decode()
    second = issued()
    assert second.number == "〔2031〕第2期"
    assert not content_problems()


def test_a_draft_and_another_units_circular_are_not_found_for_a_unit(client_en: Any, overdue_june: dict) -> None:
    circular = draft()
    handler = client_en("handler")
    assert handler.get(f"/oversight/circulars/{circular.pk}/").status_code == 404
    services_issue = issued()
    outsider_unit = client_en("leader")  # 杨立新's unit is neither 基建办 nor 长宇社区
    assert outsider_unit.get(f"/oversight/circulars/{services_issue.pk}/").status_code == 404
    assert outsider_unit.get(f"/oversight/circulars/{services_issue.pk}/circular.docx").status_code == 404
    assert handler.get(f"/oversight/circulars/{services_issue.pk}/").status_code == 200


def test_no_persona_can_change_an_issued_circular_over_http(client_en: Any, overdue_june: dict) -> None:
    circular = issued()
    before = Circular.objects.filter(pk=circular.pk).values().get()
    links = list(circular.unit_links.values_list("unit_id", flat=True))
    for persona in [*PERSONAS, "resident", "outsider", None]:
        client = client_en(persona)
        edit = client.post(f"/oversight/circulars/{circular.pk}/edit/", {"title": "改过的标题", "units": []})
        issue = client.post(f"/oversight/circulars/{circular.pk}/issue/")
        patch = client.patch(
            f"/api/v1/circulars/{circular.pk}/", {"title": "改过的标题", "units": []}, content_type="application/json"
        )
        again = client.post(f"/api/v1/circulars/{circular.pk}/issue/", {}, content_type="application/json")
        delete = client.delete(f"/api/v1/circulars/{circular.pk}/")
        statuses = [r.status_code for r in (edit, issue, patch, again, delete)]
        assert all(code < 500 for code in statuses), (persona, statuses)
        if persona in ("coordinator", "supervisor"):
            assert patch.status_code == 409 and again.status_code == 409, (persona, statuses)
        assert Circular.objects.filter(pk=circular.pk).values().get() == before, persona
        assert list(circular.unit_links.values_list("unit_id", flat=True)) == links, persona


def test_the_model_refuses_to_change_or_remove_an_issued_circular(overdue_june: dict) -> None:
    circular = issued()
    circular.title = "改过"
    with pytest.raises(CircularImmutable):
        circular.save()
    with pytest.raises(CircularImmutable):
        circular.delete()
    with pytest.raises(CircularImmutable):
        Circular.objects.filter(pk=circular.pk).update(title="改过")
    with pytest.raises(CircularImmutable):
        Circular.objects.filter(pk=circular.pk).delete()
    with pytest.raises(CircularImmutable):
        CircularUnit.objects.filter(circular=circular).delete()
    with pytest.raises(CircularImmutable):
        circular.unit_links.get(unit=overdue_june["jijian"]).delete()
    jingji = Unit.objects.get(ref="seed:dept:jingji")
    with pytest.raises(CircularImmutable), transaction.atomic():  # the related manager writes without a savepoint
        circular.units.add(jingji)
    with pytest.raises(CircularImmutable), transaction.atomic():
        circular.units.clear()
    assert circular.unit_links.count() == 2


def test_the_audit_finds_an_issued_circular_changed_behind_the_application(overdue_june: dict) -> None:
    from django.db import connection

    circular = issued()
    assert not content_problems()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE oversight_circular SET body = %s WHERE id = %s", ["改过的正文", circular.pk])
    assert any("content changed" in p.reason for p in content_problems())


def test_a_review_decision_to_order_a_circular_starts_a_draft_linked_back(
    client_en: Any, overdue_june: dict, campaign: Any
) -> None:
    review = review_in("held", campaign, month=dt.date(2031, 6, 1))
    decision = review_services.decision_add(actor=None, review=review, kind="circular", text="通报六月逾期单位")
    client = client_en("coordinator")
    assert "2031-06-01" in client.get(f"/oversight/circulars/new/?decision={decision.pk}").content.decode()
    response = client.post(
        f"/oversight/circulars/new/?decision={decision.pk}",
        {"kind": "overdue", "start": "2031-06-01", "end": "2031-06-30"},
    )
    assert response.status_code == 302
    assert Circular.objects.get().decision == decision


def test_only_the_teams_that_issue_circulars_reach_the_list(client_en: Any, demo: None) -> None:
    assert client_en("supervisor").get("/oversight/circulars/").status_code == 200
    assert client_en("coordinator").get("/oversight/circulars/").status_code == 200
    for persona in ["handler", "assessor", "leader", "auditor"]:
        assert client_en(persona).get("/oversight/circulars/").status_code == 403
    assert client_en(None).get("/oversight/circulars/").status_code == 302
    assert JUNE[0] < JUNE[1]


def test_the_review_page_offers_to_draft_the_circular_a_decision_ordered(
    client_en: Any, overdue_june: dict, campaign: Any
) -> None:
    review = review_in("held", campaign, month=dt.date(2031, 6, 1))
    decision = review_services.decision_add(actor=None, review=review, kind="circular", text="通报六月逾期单位")
    page = client_en("coordinator").get(f"/oversight/reviews/{review.pk}/").content.decode()
    assert f"/oversight/circulars/new/?decision={decision.pk}" in page
    circular = services.circular_draft(
        actor=None, kind="overdue", start=JUNE[0], end=JUNE[1], decision=decision, issuer="综合协调专班"
    )
    page = client_en("coordinator").get(f"/oversight/reviews/{review.pk}/").content.decode()
    assert f"/oversight/circulars/{circular.pk}/" in page and "?decision=" not in page
    assert "?decision=" not in client_en("leader").get(f"/oversight/reviews/{review.pk}/").content.decode()


def test_the_drafts_waiting_to_be_issued_are_on_the_teams_workbench(client_en: Any, overdue_june: dict) -> None:
    from django.urls import reverse

    draft()
    url = reverse("site:workbench")
    assert "Draft circulars to issue" in client_en("supervisor").get(url).content.decode()
    assert "Draft circulars to issue" not in client_en("handler").get(url).content.decode()
