"""The reviews' services: each does what it says, and each refusal is a clear message with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from core.exceptions import DomainError
from matters.models import Matter
from matters.tests.factories import matter_in
from matters.workflow import Status
from notifications.models import Notification
from org.models import Person, Unit
from oversight.models.reviews import Decision, DecisionKind, Review, ReviewStatus
from oversight.services import reviews as services
from oversight.tests.reviews_world import JUNE, MAY, campaign, chair, coordinator, july_2031, review_in

__all__ = ["campaign", "chair", "coordinator", "july_2031"]
pytestmark = pytest.mark.usefixtures("july_2031")


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_a_review_is_created_for_the_first_day_of_its_month_with_an_audit_event(campaign, coordinator, chair) -> None:
    review = services.review_create(actor=coordinator, campaign=campaign, month=dt.date(2031, 6, 17), chair=chair)
    assert review.month == JUNE and review.status == ReviewStatus.DRAFT
    assert AuditEvent.objects.filter(action="oversight.review_create", target_id=str(review.pk)).exists()


def test_a_second_review_of_the_same_month_is_refused_and_nothing_is_written(campaign, coordinator) -> None:
    services.review_create(actor=coordinator, campaign=campaign, month=JUNE)
    events = _events("oversight.review_create")
    with pytest.raises(ValidationError) as refused:
        services.review_create(actor=coordinator, campaign=campaign, month=dt.date(2031, 6, 30))
    assert "already has a review of 2031-06" in str(refused.value)
    assert Review.objects.filter(campaign=campaign).count() == 1 and _events("oversight.review_create") == events


def test_a_cancelled_review_lets_the_month_be_reviewed_again(campaign, coordinator) -> None:
    first = services.review_create(actor=coordinator, campaign=campaign, month=JUNE)
    services.review_cancel(actor=coordinator, review=first, reason="会期调整")
    second = services.review_create(actor=coordinator, campaign=campaign, month=JUNE)
    assert second.pk != first.pk


def test_a_month_outside_the_campaign_is_refused(campaign, coordinator) -> None:
    with pytest.raises(ValidationError, match="outside the campaign"):
        services.review_create(actor=coordinator, campaign=campaign, month=dt.date(2032, 1, 1))
    assert not Review.objects.filter(campaign=campaign).exists()


def test_a_meeting_without_a_chair_cannot_be_held_and_stays_prepared(campaign, coordinator) -> None:
    review = services.review_create(actor=coordinator, campaign=campaign, month=JUNE)
    review = services.review_prepared(actor=coordinator, review=review, data={"lists": {}})
    events = _events("oversight.review_hold")
    with pytest.raises(ValidationError, match="without a chair cannot be held"):
        services.review_hold(actor=coordinator, review=review, held_on=dt.date(2031, 7, 2))
    review.refresh_from_db()
    assert review.status == ReviewStatus.PREPARED and review.held_on is None
    assert _events("oversight.review_hold") == events


def test_a_review_not_prepared_cannot_be_held(campaign, coordinator, chair) -> None:
    review = review_in("draft", campaign)
    with pytest.raises(DomainError, match="Prepare the review"):
        services.review_hold(actor=coordinator, review=review, held_on=dt.date(2031, 7, 2))


def test_holding_a_review_drafts_its_minutes_from_the_records(campaign, coordinator, chair) -> None:
    review = review_in("prepared", campaign)
    review = services.review_hold(actor=coordinator, review=review, held_on=dt.date(2031, 7, 2))
    assert review.status == ReviewStatus.HELD and review.chair == chair
    assert (
        "2031-07-02" in review.minutes and chair.display_name in review.minutes and "研究六月三张清单" in review.minutes
    )


def test_a_decision_assigns_an_accepted_matter_through_the_matters_workflow(campaign, coordinator) -> None:
    review = review_in("held", campaign)
    matter = matter_in(Status.ACCEPTED)
    unit, lead = Unit.objects.get(name="基建办"), Person.objects.get(name="杨立新")
    decision = services.decision_add(
        actor=coordinator, review=review, kind=DecisionKind.ASSIGN, matter=matter, text="交基建办限期整治",
        deadline=dt.date(2031, 8, 31), units=[unit], leads=[lead],
    )  # fmt: skip
    matter.refresh_from_db()
    assert matter.status == Status.ASSIGNED and list(matter.units.all()) == [unit]
    step = matter.transitions.get(action="assign")
    assert decision.effect["transition"] == step.pk and "2031-06" in step.reason
    assert decision.order == 1 and decision.review == review


def test_a_decision_assigning_a_closed_matter_is_refused_and_nothing_is_written(campaign, coordinator) -> None:
    review = review_in("held", campaign)
    matter = matter_in(Status.CLOSED)
    steps, events = matter.transitions.count(), _events("oversight.decision_add")
    with pytest.raises(DomainError) as refused:
        services.decision_add(
            actor=coordinator, review=review, kind=DecisionKind.ASSIGN, matter=matter, text="重新交办",
            deadline=dt.date(2031, 8, 31), units=list(Unit.objects.filter(name="基建办")),
        )  # fmt: skip
    assert matter.code in refused.value.message and "can no longer act on it" in refused.value.message
    assert not Decision.objects.filter(review=review).exists()
    assert Matter.objects.get(pk=matter.pk).status == Status.CLOSED and matter.transitions.count() == steps
    assert _events("oversight.decision_add") == events


def test_a_decision_reassigns_an_assigned_matter_to_another_unit(campaign, coordinator) -> None:
    review = review_in("held", campaign)
    matter = matter_in(Status.ASSIGNED)
    other = Unit.objects.filter(kind="department").exclude(name="基建办").order_by("pk")[0]
    services.decision_add(
        actor=coordinator, review=review, kind=DecisionKind.REASSIGN, matter=matter, text="改派", units=[other]
    )
    matter.refresh_from_db()
    assert list(matter.units.all()) == [other] and matter.status == Status.ASSIGNED


def test_a_decision_sets_a_new_deadline_keeping_units_and_leads(campaign, coordinator) -> None:
    review = review_in("held", campaign)
    matter = matter_in(Status.ASSIGNED)
    units = list(matter.units.all())
    decision = services.decision_add(
        actor=coordinator, review=review, kind=DecisionKind.DEADLINE, matter=matter, text="延至九月底",
        deadline=dt.date(2031, 9, 30),
    )  # fmt: skip
    matter.refresh_from_db()
    assert matter.due_on == dt.date(2031, 9, 30) and list(matter.units.all()) == units
    assert "2031-09-30" in decision.effect["label"]


def test_a_decision_without_its_deadline_is_refused(campaign, coordinator) -> None:
    review = review_in("held", campaign)
    matter = matter_in(Status.ASSIGNED)
    with pytest.raises(ValidationError, match="new deadline"):
        services.decision_add(actor=coordinator, review=review, kind=DecisionKind.DEADLINE, matter=matter, text="延期")
    assert not Decision.objects.exists() or not Decision.objects.filter(review=review).exists()


def test_a_chase_decision_tells_the_handlers_and_leads_and_is_audited(campaign, coordinator) -> None:
    review = review_in("held", campaign)
    matter = matter_in(Status.IN_PROGRESS)
    before = Notification.objects.count()
    decision = services.decision_add(
        actor=coordinator, review=review, kind=DecisionKind.CHASE, matter=matter, text="限一周内完成"
    )
    assert (
        Notification.objects.count() > before and decision.effect["notified"] == Notification.objects.count() - before
    )
    assert AuditEvent.objects.filter(action="matters.chase", target_id=str(matter.pk)).exists()


def test_a_circular_is_recorded_as_a_decision_without_a_matter(campaign, coordinator) -> None:
    review = review_in("held", campaign)
    decision = services.decision_add(actor=coordinator, review=review, kind=DecisionKind.CIRCULAR, text="通报逾期单位")
    assert decision.kind == DecisionKind.CIRCULAR and decision.matter is None and decision.effect["label"]


def test_decisions_are_refused_before_the_meeting_is_held(campaign, coordinator) -> None:
    review = review_in("prepared", campaign)
    with pytest.raises(DomainError, match="held meeting"):
        services.decision_add(actor=coordinator, review=review, kind=DecisionKind.OTHER, text="公布三张清单")
    assert not Decision.objects.filter(review=review).exists()


def test_closing_needs_the_minutes_and_then_keeps_the_review_as_it_is(campaign, coordinator) -> None:
    review = review_in("held", campaign)
    review = services.review_minutes_set(actor=coordinator, review=review, minutes="")
    with pytest.raises(ValidationError, match="Write the minutes"):
        services.review_close(actor=coordinator, review=review)
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.HELD
    closed = services.review_close(actor=coordinator, review=review, minutes="纪要正文")
    assert closed.status == ReviewStatus.CLOSED and closed.closed_at is not None
    with pytest.raises(DomainError):
        services.review_update(actor=coordinator, review=closed, agenda="改")
    with pytest.raises(DomainError):
        services.review_minutes_set(actor=coordinator, review=closed, minutes="改")


def test_a_held_review_cannot_be_prepared_again(campaign, coordinator) -> None:
    review = review_in("held", campaign)
    with pytest.raises(DomainError, match="frozen"):
        services.review_prepare(actor=coordinator, review=review)


def test_the_update_changes_chair_attendees_and_agenda(campaign, coordinator) -> None:
    review = review_in("draft", campaign, month=MAY)
    people = list(Person.objects.filter(ref__in=["seed:person:ke", "seed:person:chen"]))
    review = services.review_update(
        actor=coordinator, review=review, agenda="新议程", chair=people[0], attendees=people
    )
    assert review.agenda == "新议程" and review.chair == people[0] and set(review.attendees.all()) == set(people)
