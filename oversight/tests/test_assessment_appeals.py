"""Appeals (好差评申诉 / 容错纠错): within the scheme's appeal days a unit's handler appeals a deduction or a bad
rating of its own breakdown; the coordination team sustains (the record leaves the figure, the reason kept) or
rejects it; after the deadline, or for another's breakdown, the appeal is refused and nothing is written."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from oversight.models.assessment import Appeal
from oversight.tests.assessment_world import (
    AFTER_Q1,
    FINDINGS,
    at,
    cell,
    computed,
    quarter,
    unit_scheme,
    with_findings,
)

__all__ = ["with_findings"]


def _setup() -> tuple[Any, Any]:
    q = quarter()
    assert get_user_model().objects.get(username="handler").person.unit_id == q.unit.pk
    return q, computed(unit_scheme(deduction=True, appeal_days=5))


def _appeal(client: Any, assessment: Any, unit: int, item: int, model: str, pk: int, reason: str = "已整改") -> Any:
    return client.post(f"/oversight/assessment/{assessment.pk}/subjects/{unit}/appeal/",
                       {"item": item, "model": model, "record": pk, "reason": reason})  # fmt: skip


def test_a_sustained_appeal_takes_the_deduction_out_and_keeps_the_reason(client_as: Any, with_findings: None) -> None:
    with at(AFTER_Q1):
        q, assessment = _setup()
        finding = cell(assessment, q.unit.pk, FINDINGS)
        assert finding["points"] == -2.0
        handler = client_as("handler")
        assert (
            _appeal(handler, assessment, q.unit.pk, finding["item"], "matters.matter", q.finding.pk).status_code == 302
        )
        appeal = Appeal.objects.get()
        work = client_as("coordinator").get(reverse("site:workbench")).content.decode()
        assert "/oversight/assessment/appeals/" in work
        coordinator = client_as("coordinator")
        listed = coordinator.get("/oversight/assessment/appeals/").content.decode()
        assert "基建办" in listed and "已整改" in listed and q.finding.code in listed
        answer = coordinator.post(f"/oversight/assessment/appeals/{appeal.pk}/decide/",
                                  {"decision": "sustain", "reason": "系误报，已核实"})  # fmt: skip
        assert answer.status_code == 302
        page = handler.get(f"/oversight/assessment/{assessment.pk}/subjects/{q.unit.pk}/").content.decode()
    after = cell(assessment, q.unit.pk, FINDINGS)
    assert after["points"] == 0.0 and after["records"] == []
    assert after["removed"][0]["reason"] == "系误报，已核实" and "系误报，已核实" in page


def test_a_bad_rating_can_be_appealed_and_the_rate_is_recomputed_from_the_rest(
    client_as: Any, with_findings: None
) -> None:
    with at(AFTER_Q1):
        q, assessment = _setup()
        public = cell(assessment, q.unit.pk, "matters.public_satisfaction")
        assert (public["numerator"], public["denominator"]) == (3, 5)
        _appeal(client_as("handler"), assessment, q.unit.pk, public["item"], "matters.matter", q.rated.pk)
        client_as("coordinator").post(f"/oversight/assessment/appeals/{Appeal.objects.get().pk}/decide/",
                                      {"decision": "sustain", "reason": "恶意差评"})  # fmt: skip
    after = cell(assessment, q.unit.pk, "matters.public_satisfaction")
    assert (after["numerator"], after["denominator"], after["points"]) == (3, 3, 20.0)


def test_a_rejected_appeal_leaves_the_scores_as_they_were(client_as: Any, with_findings: None) -> None:
    with at(AFTER_Q1):
        q, assessment = _setup()
        finding = cell(assessment, q.unit.pk, FINDINGS)
        _appeal(client_as("handler"), assessment, q.unit.pk, finding["item"], "matters.matter", q.finding.pk)
        client_as("coordinator").post(f"/oversight/assessment/appeals/{Appeal.objects.get().pk}/decide/",
                                      {"decision": "reject", "reason": "问题属实"})  # fmt: skip
    assert cell(assessment, q.unit.pk, FINDINGS)["points"] == -2.0
    assert Appeal.objects.get().status == "rejected"


def test_an_appeal_after_the_deadline_is_refused_and_nothing_is_written(client_as: Any, with_findings: None) -> None:
    with at(AFTER_Q1):
        q, assessment = _setup()
        finding = cell(assessment, q.unit.pk, FINDINGS)
    with at("2031-04-09"), translation.override("en"):  # computed on 3 April with 5 days: the last day was the 8th
        handler = client_as("handler")
        handler.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the refusal is a message of the next page
        _appeal(handler, assessment, q.unit.pk, finding["item"], "matters.matter", q.finding.pk)
        page = handler.get(f"/oversight/assessment/{assessment.pk}/subjects/{q.unit.pk}/",
                           HTTP_ACCEPT_LANGUAGE="en").content.decode()  # fmt: skip
    assert "The appeal period ended on" in page
    assert not Appeal.objects.exists()


def test_only_the_unit_assessed_appeals_and_only_a_deduction_or_a_miss(client_as: Any, with_findings: None) -> None:
    with at(AFTER_Q1):
        q, assessment = _setup()
        finding = cell(assessment, q.unit.pk, FINDINGS)
        resolution = cell(assessment, q.unit.pk, "matters.resolution")
        hit = next(r for r in resolution["records"] if r[4])
        assert _appeal(client_as("cadre"), assessment, q.unit.pk, finding["item"], "matters.matter",
                       q.finding.pk).status_code == 404  # fmt: skip
        _appeal(client_as("handler"), assessment, q.unit.pk, resolution["item"], "matters.matter", hit[1])
        _appeal(client_as("handler"), assessment, q.unit.pk, finding["item"], "matters.matter", q.finding.pk, "")
        _appeal(client_as("handler"), assessment, q.unit.pk, finding["item"], "matters.matter", 999999)
        assert client_as("handler").post(f"/oversight/assessment/{assessment.pk}/subjects/{q.unit.pk}/appeal/",
                                         {"item": "x"}).status_code == 302  # fmt: skip
    assert not Appeal.objects.exists()
