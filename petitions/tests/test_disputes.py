"""Point 7: dispute screening — entries with private parties, colours with history, resolving and escalating,
rounds per community with 零报告 (half-monthly, weekly in sensitive periods) and the early-warning list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from matters.models import Matter
from org.models import Person, Unit
from petitions import disputes
from petitions.models import ColourChange, Dispute, FocusArea, PetitionCase, ScreeningRound, SensitivePeriod
from petitions.tests.personas import client, other_accounts

pytestmark = pytest.mark.usefixtures("demo")
TODAY = dt.date(2022, 6, 20)
PARTY, PARTY_PHONE, PARTY_ID = "孙某某（演示）", "13900000088", "11010519800101001X"


@pytest.fixture(autouse=True)
def _frozen(demo: None) -> Iterator[None]:
    with time_machine.travel(dt.datetime(2022, 6, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        other_accounts()
        yield


def _community() -> Unit:
    return Unit.objects.get(name="长宇社区")


def _dispute(**changes: object) -> Dispute:
    values: dict[str, object] = {
        "actor": None,
        "community": _community(),
        "kind": FocusArea.objects.get(code="neighbours"),
        "summary": f"{PARTY}（{PARTY_PHONE}）与邻居因漏水争执",
        "place": "长宇新城 3栋",
        "parties": [{"name": PARTY, "phone": PARTY_PHONE, "id_number": PARTY_ID}],
        "raised_on": TODAY,
    }
    values.update(changes)
    return disputes.dispute_create(**values)  # type: ignore[arg-type]


def test_a_cadre_of_the_community_records_a_dispute_and_sees_its_parties_the_view_audited() -> None:
    data = {
        "community": _community().pk,
        "kind": FocusArea.objects.get(code="wages").pk,
        "summary": "工地欠薪",
        "place": "长宇新城工地",
        "risk": "high",
        "colour": "orange",
        "raised_on": TODAY.isoformat(),
        "party_name": PARTY,
        "party_phone": PARTY_PHONE,
    }
    response = client("cadre").post("/petitions/disputes/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dispute = Dispute.objects.latest("pk")
    assert dispute.parties.get().name == PARTY and dispute.colour_changes.get().new == "orange"
    page = client("cadre").get(f"/petitions/disputes/{dispute.pk}/").content.decode()
    assert PARTY in page and PARTY_PHONE in page
    assert AuditEvent.objects.filter(action="petitions.view_parties", target_id=str(dispute.pk)).exists()


def test_a_dispute_outside_a_community_or_in_the_future_is_refused_and_nothing_is_written() -> None:
    before = Dispute.objects.count()
    with pytest.raises(ValidationError):
        _dispute(community=Unit.objects.get(name="基建办"))
    with pytest.raises(ValidationError):
        _dispute(raised_on=TODAY + dt.timedelta(days=1))
    assert Dispute.objects.count() == before


@pytest.mark.parametrize(("username", "status"), [("other_leader", 200), ("assessor", 200), ("other_handler", 404)])
def test_others_see_the_dispute_without_its_parties_or_not_at_all(username: str, status: int) -> None:
    dispute = _dispute()
    response = client(username).get(f"/petitions/disputes/{dispute.pk}/")
    assert response.status_code == status
    text = response.content.decode()
    assert PARTY not in text and PARTY_PHONE not in text and PARTY_ID not in text


def test_the_colour_changes_are_kept_as_history_and_a_leader_may_not_change_them() -> None:
    dispute = _dispute()
    assert (
        client("leader")
        .post(f"/petitions/disputes/{dispute.pk}/colour/", {"c-colour": "red", "c-reason": "x"})
        .status_code
        == 403
    )
    response = client("cadre").post(
        f"/petitions/disputes/{dispute.pk}/colour/", {"c-colour": "red", "c-reason": "涉及多部门"}
    )
    assert response.status_code == 302
    disputes.dispute_recolour(actor=None, dispute=Dispute.objects.get(pk=dispute.pk), colour="orange", reason="已缓和")
    history = list(ColourChange.objects.filter(dispute=dispute).values_list("old", "new"))
    assert history == [("", "yellow"), ("yellow", "red"), ("red", "orange")]


def test_a_dispute_resolved_on_the_spot_is_closed_and_cannot_be_escalated_after() -> None:
    dispute = disputes.dispute_resolve(actor=None, dispute=_dispute(), resolution="调解成功")
    assert dispute.status == "resolved"
    with pytest.raises(ValidationError):
        disputes.dispute_escalate(actor=None, dispute=dispute, to="matter")


def test_escalating_to_a_matter_keeps_the_parties_out_of_its_text() -> None:
    dispute = disputes.dispute_escalate(actor=None, dispute=_dispute(), to="matter")
    matter = Matter.objects.get(pk=dispute.matter_id or 0)
    assert not matter.is_public and PARTY not in matter.problem and PARTY_PHONE not in matter.problem


def test_escalating_to_a_petition_case_needs_an_owner_and_makes_the_parties_its_petitioners() -> None:
    dispute = _dispute()
    before = PetitionCase.objects.count()
    with pytest.raises(ValidationError):
        disputes.dispute_escalate(actor=None, dispute=dispute, to="petition", owners=[])
    assert PetitionCase.objects.count() == before and Dispute.objects.get(pk=dispute.pk).status == "open"
    done = disputes.dispute_escalate(
        actor=None,
        dispute=Dispute.objects.get(pk=dispute.pk),
        to="petition",
        owners=[Person.objects.get(name="杨立新")],
    )
    case = PetitionCase.objects.get(pk=done.case_id or 0)
    assert case.petitioners.get().id_number == PARTY_ID and case.handling_units.get() == _community()


def test_rounds_are_half_monthly_weekly_in_a_sensitive_period_and_a_zero_report_needs_nothing_found() -> None:
    assert disputes.round_period(dt.date(2022, 6, 3)) == (dt.date(2022, 6, 1), dt.date(2022, 6, 15))
    assert disputes.round_period(dt.date(2022, 6, 20)) == (dt.date(2022, 6, 16), dt.date(2022, 6, 30))
    SensitivePeriod.objects.create(label="端午", starts_on=dt.date(2022, 6, 1), ends_on=dt.date(2022, 6, 5))
    assert disputes.round_period(dt.date(2022, 6, 3)) == (dt.date(2022, 5, 30), dt.date(2022, 6, 5))
    weiwang = Unit.objects.get(name="卫王社区")
    zero = disputes.round_record(actor=None, community=weiwang, day=dt.date(2022, 6, 10), zero_report=True)
    assert zero.zero_report and zero.period_start == dt.date(2022, 6, 1)
    with pytest.raises(ValidationError):
        disputes.round_record(actor=None, community=weiwang, day=dt.date(2022, 6, 9), zero_report=True)
    _dispute(raised_on=dt.date(2022, 6, 18))
    with pytest.raises(ValidationError) as refused:
        disputes.round_record(actor=None, community=_community(), day=TODAY, zero_report=True)
    assert "zero_report" in refused.value.message_dict
    disputes.round_record(actor=None, community=_community(), day=TODAY, zero_report=False)
    report = disputes.month_report(_community(), 2022, 6)
    assert (report.rounds, report.zero_reports, report.raised) == (1, 0, 1)
    assert ScreeningRound.objects.filter(community=weiwang, zero_report=True).count() == 1


def test_the_screening_page_records_a_zero_report_and_shows_the_months_report() -> None:
    response = client("cadre").post(
        "/petitions/disputes/rounds/", {"s-community": _community().pk, "s-day": "2022-06-03", "s-zero_report": "on"}
    )
    assert response.status_code == 302
    page = client("coordinator").get("/petitions/disputes/rounds/", {"month": "2022-06"})
    report = next(r for r in page.context["reports"] if r.community == _community())
    assert (report.rounds, report.zero_reports) == (1, 1)
    assert client("leader").post("/petitions/disputes/rounds/", {}).status_code == 403


def test_the_early_warning_list_names_unowned_high_risks_stale_ones_and_recurring_parties_and_places() -> None:
    high = _dispute(risk="high", colour="red", parties=[], place="卫王社区 正信花园")
    stale = _dispute(raised_on=TODAY - dt.timedelta(days=8), parties=[], place="长宇新城 5栋", measures="已劝解")
    first = _dispute(place="长宇新城 3栋", measures="已劝解")
    again = _dispute(place="长宇新城  3栋", measures="已劝解")  # the same party and the same place
    calm = _dispute(parties=[], place="长宇新城 9栋", measures="已劝解")
    warnings = {w.dispute.pk: w.reasons for w in disputes.early_warnings(None, TODAY)}
    assert any("stabilisation" in r or "稳控" in r for r in warnings[high.pk])
    assert any("responsible" in r or "责任人" in r for r in warnings[high.pk])
    assert any("7" in r for r in warnings[stale.pk])
    assert len(warnings[first.pk]) == 2 and len(warnings[again.pk]) == 2
    assert calm.pk not in warnings
    page = client("coordinator").get("/petitions/disputes/").content.decode()
    assert PARTY not in page


def test_the_disputes_api_lists_masked_for_others_creates_and_escalates() -> None:
    import json

    from petitions.tests.personas import api

    dispute = _dispute()
    other = api("other_leader").get("/api/v1/disputes/")
    assert (
        other.status_code == 200 and PARTY not in other.content.decode() and PARTY_PHONE not in other.content.decode()
    )
    mine = api("cadre").get("/api/v1/disputes/").json()["results"]
    assert next(row for row in mine if row["id"] == dispute.pk)["parties"][0]["name"] == PARTY
    body = {"community": _community().pk, "kind": "family", "summary": "家庭纠纷", "place": "长宇新城 1栋"}
    created = api("cadre").post("/api/v1/disputes/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    refused = api("leader").post(
        f"/api/v1/disputes/{dispute.pk}/escalate/", {"to": "matter"}, content_type="application/json"
    )
    assert refused.status_code == 403
    escalated = api("cadre").post(
        f"/api/v1/disputes/{dispute.pk}/escalate/", {"to": "matter"}, content_type="application/json"
    )
    assert escalated.status_code == 200, escalated.content
    assert escalated.json()["status"] == "matter" and escalated.json()["matter"]


def test_a_dispute_found_on_a_visit_is_recorded_from_the_visit_form_in_the_same_step() -> None:
    data = {
        "date": TODAY.isoformat(),
        "hours": "1",
        "kind": "household",
        "place_kind": "household",
        "place_detail": "长宇新城 7栋",
        "participants": "1",
        "notes": "",
        "petitions.dispute-found": "on",
        "petitions.dispute-community": _community().pk,
        "petitions.dispute-kind": FocusArea.objects.get(code="family").pk,
        "petitions.dispute-summary": "夫妻因赡养老人争吵",
        "petitions.dispute-risk": "low",
    }
    missing = client("cadre").post("/fieldwork/visits/new/", {**data, "petitions.dispute-summary": ""})
    assert missing.status_code in (200, 400) and not Dispute.objects.exists()
    response = client("cadre").post("/fieldwork/visits/new/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    dispute = Dispute.objects.get()
    assert dispute.visit is not None and dispute.place == "长宇新城 7栋" and dispute.raised_on == TODAY
    plain = client("cadre").post(
        "/fieldwork/visits/new/", {**data, "petitions.dispute-found": "", "date": "2022-06-19"}
    )
    assert plain.status_code == 302 and Dispute.objects.count() == 1
