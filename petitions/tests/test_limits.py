"""Point 2, 4 and 5: the regulation's time limits on the case, chased like deadlines (frozen time at and around each
day); completion needs an evidenced disposition; closing by 息诉罢访 or 终结; a new petition reopens the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.uploads import clean_upload
from matters.models import Matter
from matters.services import matter_transition
from matters.workflow import Action, Status
from notifications.models import Notification
from org.models import Person, Unit
from petitions import services
from petitions.limits import limit_extend, limits_tick, review_step
from petitions.models import CaseLimit, Closing, LimitEvent, PetitionCase
from petitions.tests.personas import api, case_data, client, other_accounts, planted_case

pytestmark = pytest.mark.usefixtures("demo")
TZ = ZoneInfo("Asia/Shanghai")
RECEIVED = dt.date(2022, 5, 10)  # a Tuesday
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@contextmanager
def on(day: dt.date, hour: int = 10) -> Iterator[None]:
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=TZ), tick=False):
        yield


def days(n: int, start: dt.date = RECEIVED) -> dt.date:
    return start + dt.timedelta(days=n)


@pytest.fixture
def case(demo: None) -> PetitionCase:
    with on(days(1)):
        other_accounts()
        return planted_case(received_on=RECEIVED.isoformat())


def _limit(case: PetitionCase, code: str) -> CaseLimit:
    return case.limits.select_related("rule").filter(rule__code=code).latest("starts_on")


def _at_work(case: PetitionCase, accepted: dt.date) -> None:
    with on(accepted):
        matter_transition(matter=case.matter, action=Action.ACCEPT, actor=None)
        matter_transition(
            matter=case.matter,
            action=Action.ASSIGN,
            actor=None,
            task="化解",
            deadline=days(120),
            leads=[Person.objects.get(name="杨立新")],
            units=[Unit.objects.get(name="基建办")],
        )
        matter_transition(matter=case.matter, action=Action.START, actor=None)


def _evidenced(case: PetitionCase, day: dt.date) -> None:
    with on(day):
        services.disposition_add(
            actor=None, case=case, term="solved", done="已解决", done_on=day, evidence=[clean_upload("e.pdf", PDF)]
        )


def _completed(case: PetitionCase, day: dt.date) -> None:
    _evidenced(case, day)
    with on(day):
        matter_transition(matter=case.matter, action=Action.COMPLETE, actor=None, effect="已解决")


# --- point 2: the limits --------------------------------------------------------------------------------------


def test_a_received_case_must_be_decided_within_15_days_and_acceptance_starts_60_days_of_handling(
    case: PetitionCase,
) -> None:
    accept = _limit(case, "accept")
    assert (accept.starts_on, accept.due_on, accept.met_on) == (RECEIVED, days(15), None)
    _at_work(case, days(15))
    accept.refresh_from_db()
    assert accept.met_on == days(15)
    handle = _limit(case, "handle")
    assert (handle.starts_on, handle.due_on) == (days(15), days(75))


def test_the_accept_limit_is_chased_the_day_after_it_runs_out_once_and_escalated_five_working_days_later(
    case: PetitionCase,
) -> None:
    due = days(15)  # 2022-05-25, a Wednesday
    with on(due, 23):
        assert limits_tick() == (0, 0)
    with on(days(1, due)):
        assert limits_tick() == (1, 0)
        assert limits_tick() == (0, 0)
    owner = Person.objects.get(name="杨立新").user
    assert Notification.objects.filter(recipient=owner, title__contains=case.case_number).count() == 1
    with on(days(6, due)):  # four working days after: not yet
        assert limits_tick() == (0, 0)
    with on(days(7, due)):  # Wed + 5 working days = the next Wednesday
        assert limits_tick() == (0, 1)
    assert LimitEvent.objects.filter(limit__case=case).count() == 2


def test_a_limit_met_in_time_is_never_chased(case: PetitionCase) -> None:
    _at_work(case, days(14))
    with on(days(30)):
        assert limits_tick() == (0, 0)


def test_the_handling_limit_extends_once_by_at_most_30_days_asked_before_it_runs_out(case: PetitionCase) -> None:
    _at_work(case, days(5))
    handle = _limit(case, "handle")
    assert handle.due_on == days(65)
    with on(days(65)):
        for bad, message in ((31, "30"), (0, "30")):
            with pytest.raises(ValidationError) as refused:
                limit_extend(actor=None, case=case, days=bad, reason="情况复杂")
            assert message in str(refused.value)
        with pytest.raises(ValidationError):
            limit_extend(actor=None, case=case, days=10, reason="")
        handle.refresh_from_db()
        assert (handle.due_on, handle.extended_days) == (days(65), 0)
        limit_extend(actor=None, case=case, days=30, reason="情况复杂，需多部门会商")
        handle.refresh_from_db()
        assert (handle.due_on, handle.extended_days) == (days(95), 30)
        with pytest.raises(ValidationError) as twice:
            limit_extend(actor=None, case=case, days=5, reason="再次延期")
        assert "once" in str(twice.value) or "一次" in str(twice.value)


def test_an_extension_asked_after_the_60_days_have_run_out_is_refused_over_http(case: PetitionCase) -> None:
    _at_work(case, days(5))
    with on(days(66)):
        response = client("leader").post(f"/petitions/{case.pk}/extend/", {"x-days": "10", "x-reason": "补充调查"})
    assert response.status_code == 400
    assert _limit(case, "handle").due_on == days(65)


def test_a_review_is_requested_within_30_days_of_the_opinion_and_answered_within_30(case: PetitionCase) -> None:
    _at_work(case, days(5))
    _completed(case, days(40))
    window = _limit(case, "review_ask")
    assert (window.starts_on, window.due_on) == (days(40), days(70))
    with on(days(80)):
        with pytest.raises(ValidationError) as late:
            review_step(actor=None, case=case, step="review_asked", on=days(71))
        assert days(70).isoformat() in str(late.value)
        review_step(actor=None, case=case, step="review_asked", on=days(70))
    assert _limit(case, "review").due_on == days(100)
    with on(days(101)):
        assert limits_tick() == (1, 0)  # the review is answered late: chased
        review_step(actor=None, case=case, step="review_answered", on=days(101))
        review_step(actor=None, case=case, step="reexam_asked", on=days(101))
    with on(days(120)):
        review_step(actor=None, case=case, step="reexam_answered", on=days(120))
    case.refresh_from_db()
    assert case.reexamined_on == days(120)


def test_a_review_step_in_the_future_is_refused_and_nothing_is_written(case: PetitionCase) -> None:
    _at_work(case, days(5))
    _completed(case, days(40))
    with on(days(41)), pytest.raises(ValidationError):
        review_step(actor=None, case=case, step="review_asked", on=days(45))
    assert not case.limits.filter(rule__code="review").exists()


# --- point 4: 三到位一处理 --------------------------------------------------------------------------------------


def test_a_case_is_completed_only_with_a_disposition_that_has_evidence(case: PetitionCase) -> None:
    _at_work(case, days(5))
    handler = api("handler")
    url = f"/api/v1/matters/{case.matter.pk}/transitions/"
    with on(days(30)):
        refused = handler.post(url, {"action": "complete", "effect": "已解决"}, content_type="application/json")
        assert refused.status_code == 400 and "dispositions" in refused.json()
        services.disposition_add(actor=None, case=case, term="educated", done="思想教育", done_on=days(30))
        again = handler.post(url, {"action": "complete", "effect": "已解决"}, content_type="application/json")
        assert again.status_code == 400
    assert Matter.objects.get(pk=case.matter.pk).status == Status.IN_PROGRESS
    _evidenced(case, days(31))
    with on(days(31)):
        done = handler.post(url, {"action": "complete", "effect": "已解决"}, content_type="application/json")
    assert done.status_code == 200, done.content
    assert _limit(case, "handle").met_on == days(31)


def test_the_owner_records_a_disposition_from_a_phone_with_a_photo_and_a_future_date_is_refused(
    case: PetitionCase,
) -> None:
    import io

    from PIL import Image

    photo = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(photo, format="JPEG")
    photo.seek(0)
    photo.name = "photo.jpg"
    with on(days(20)):
        future = client("leader").post(
            f"/petitions/{case.pk}/dispositions/",
            {"d-term": "relieved", "d-done": "发放临时救助", "d-done_on": days(21).isoformat()},
        )
        assert future.status_code == 400 and not case.dispositions.exists()
        response = client("leader").post(
            f"/petitions/{case.pk}/dispositions/",
            {"d-term": "relieved", "d-done": "发放临时救助", "d-done_on": days(20).isoformat(), "d-evidence": photo},
        )
    assert response.status_code == 302
    disposition = case.dispositions.get()
    assert disposition.evidence.count() == 1 and disposition.recorded_by.username == "leader"  # type: ignore[union-attr]


# --- point 5: closing and reopening ---------------------------------------------------------------------------


def _verified(case: PetitionCase) -> None:
    _at_work(case, days(5))
    _completed(case, days(40))
    with on(days(41)):
        matter_transition(matter=case.matter, action=Action.VERIFY, actor=None)


def test_closing_needs_a_basis_and_termination_needs_the_concluded_re_examination(case: PetitionCase) -> None:
    _verified(case)
    with on(days(42)):
        with pytest.raises(ValidationError):
            services.case_close(actor=None, case=case, way="accepted", basis=" ")
        with pytest.raises(ValidationError) as early:
            services.case_close(actor=None, case=case, way="terminated", basis="第三十五条")
        assert "way" in early.value.message_dict
        refused = api("coordinator").post(
            f"/api/v1/matters/{case.matter.pk}/transitions/", {"action": "close"}, content_type="application/json"
        )
        assert refused.status_code == 400
    assert not Closing.objects.filter(case=case).exists()
    assert Matter.objects.get(pk=case.matter.pk).status == Status.VERIFIED


def test_the_petitioner_accepts_the_case_closes_and_a_new_petition_reopens_it_counted(case: PetitionCase) -> None:
    _verified(case)
    with on(days(42)):
        response = client("leader").post(
            f"/petitions/{case.pk}/close/", {"c-way": "accepted", "c-basis": "信访人签字承诺息诉罢访"}
        )
    assert response.status_code == 302
    assert Matter.objects.get(pk=case.matter.pk).status == Status.CLOSED
    count = case.petition_count
    with on(days(90)):
        response = client("leader").post(f"/petitions/{case.pk}/petitioned-again/", {"a-on": days(90).isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.reopened, case.petition_count) == (1, count + 1)
    assert case.matter.status == Status.IN_PROGRESS
    assert case.closings.get().reopened_on == days(90)
    assert PetitionCase.objects.filter(pk=case.pk).count() == 1


def test_a_case_is_terminated_after_its_re_examination_with_the_legal_basis(case: PetitionCase) -> None:
    _verified(case)
    with on(days(60)):
        for step in ("review_asked", "review_answered", "reexam_asked", "reexam_answered"):
            review_step(actor=None, case=case, step=step, on=days(60))
        services.case_close(actor=None, case=case, way="terminated", basis="《信访工作条例》第三十六条")
    assert Matter.objects.get(pk=case.matter.pk).status == Status.CLOSED


def test_a_refusal_is_served_with_its_ground_and_meets_the_accept_limit(case: PetitionCase) -> None:
    with on(days(10)):
        generic = api("coordinator").post(
            f"/api/v1/matters/{case.matter.pk}/transitions/",
            {"action": "decline", "reason": "不予受理"},
            content_type="application/json",
        )
        assert generic.status_code == 400
        response = client("coordinator").post(
            f"/petitions/{case.pk}/refuse/", {"n-ground": "proceedings", "n-reason": "已进入行政复议程序"}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.refusal_ground == "proceedings" and case.matter.status == Status.DECLINED
    assert _limit(case, "accept").met_on == days(10)


def test_a_case_without_owners_is_refused_on_the_matters_api_too() -> None:
    with on(days(1)):
        body = {"problem": "信访", "kind": "petition", "kind_data": {**case_data(), "owners": []}}
        response = api("coordinator").post("/api/v1/matters/", body, content_type="application/json")
    assert response.status_code == 400 and "kind_data.owners" in response.json()
