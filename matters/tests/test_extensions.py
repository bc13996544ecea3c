"""Extensions: asked before the deadline by a handler of a responsible unit, decided by a lead."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from audit.models import AuditEvent
from core.exceptions import NotAllowed
from matters import services
from matters.models import DeadlineEvent, Extension, ExtensionStatus, Matter, Precision, Transition
from matters.services import InvalidTransition
from matters.tests.test_deadlines import START, at, make_matter
from notifications.models import Notification


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


DEADLINE = dt.date(2022, 6, 15)


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


@pytest.fixture
def world(time_machine: Any, demo: None) -> Any:
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def matter(world: Any) -> Matter:
    """In progress at 基建办 with 杨立新 as lead, due 2022-06-15."""
    return make_matter(deadline=DEADLINE)


def ask(
    matter: Matter, username: str = "handler", new: dt.date = dt.date(2022, 6, 30), reason: str = "材料未到"
) -> Extension:
    return services.extension_request(matter=matter, actor=user(username), new_deadline=new, reason=reason)


def tick(world: Any, when: str) -> None:
    world.move_to(at(when), tick=False)
    call_command("tick", now=when, stdout=io.StringIO())


# Asking ------------------------------------------------------------------------------------------


def test_a_handler_of_a_responsible_unit_asks_before_the_deadline_and_the_leads_are_told(matter: Matter) -> None:
    extension = ask(matter)
    assert extension.status == ExtensionStatus.PENDING
    assert extension.old_deadline == DEADLINE
    assert extension.new_deadline == dt.date(2022, 6, 30)
    assert extension.requested_by == user("handler")
    assert AuditEvent.objects.filter(action="matters.extension_request", target_id=str(matter.pk)).count() == 1
    told = Notification.objects.about(matter).filter(title__contains="more time").values_list(
        "recipient__username", flat=True
    )
    assert set(told) == {"leader"}


def test_asking_on_the_last_day_is_still_in_time(matter: Matter, world: Any) -> None:
    world.move_to(at("2022-06-15T23:30"), tick=False)
    assert ask(matter).status == ExtensionStatus.PENDING


def test_asking_after_the_deadline_is_refused(matter: Matter, world: Any) -> None:
    world.move_to(at("2022-06-16T00:01"), tick=False)
    with pytest.raises(InvalidTransition, match="before"):
        ask(matter)
    assert not Extension.objects.exists()


def test_a_month_deadline_may_be_extended_until_the_end_of_its_month(world: Any) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 1), precision=Precision.MONTH)
    world.move_to(at("2022-06-20T10:00"), tick=False)
    extension = ask(matter, new=dt.date(2022, 7, 15))
    assert extension.old_deadline == dt.date(2022, 6, 30)
    with pytest.raises(ValidationError):
        ask(make_matter(deadline=dt.date(2022, 6, 1), precision=Precision.MONTH), new=dt.date(2022, 6, 30))


@pytest.mark.parametrize("new", [DEADLINE, DEADLINE - dt.timedelta(days=1)])
def test_a_new_deadline_that_is_not_later_is_refused(matter: Matter, new: dt.date) -> None:
    with pytest.raises(ValidationError) as caught:
        ask(matter, new=new)
    assert "new_deadline" in caught.value.message_dict


def test_a_reason_is_required(matter: Matter) -> None:
    with pytest.raises(ValidationError) as caught:
        ask(matter, reason="   ")
    assert "reason" in caught.value.message_dict


def test_only_one_request_may_wait_at_a_time(matter: Matter) -> None:
    ask(matter)
    with pytest.raises(InvalidTransition, match="already waiting"):
        ask(matter, new=dt.date(2022, 7, 10))
    assert Extension.objects.filter(matter=matter).count() == 1


def test_after_a_refusal_the_handler_may_ask_again(matter: Matter) -> None:
    services.extension_decide(extension=ask(matter), actor=user("leader"), approve=False)
    assert ask(matter, new=dt.date(2022, 6, 20)).status == ExtensionStatus.PENDING


@pytest.mark.parametrize("username", ["leader", "supervisor", "assessor", "cadre"])
def test_people_who_are_not_handlers_of_a_responsible_unit_may_not_ask(matter: Matter, username: str) -> None:
    # The demo cadre works in 长宇社区, which is not responsible for this matter.
    with pytest.raises(NotAllowed):
        ask(matter, username=username)


def test_matters_that_are_not_assigned_cannot_be_extended(world: Any) -> None:
    matter = make_matter(deadline=DEADLINE)
    services.matter_transition(matter=matter, action="complete", actor=None, effect="已完成")
    with pytest.raises(InvalidTransition):
        ask(matter)


# Deciding ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["handler", "coordinator", "supervisor", "assessor"])
def test_only_a_lead_of_the_matter_decides(matter: Matter, username: str) -> None:
    extension = ask(matter)
    with pytest.raises(NotAllowed):
        services.extension_decide(extension=extension, actor=user(username), approve=True)
    assert Extension.objects.get(pk=extension.pk).status == ExtensionStatus.PENDING


def test_approval_moves_the_deadline_and_is_recorded(matter: Matter, world: Any) -> None:
    extension = ask(matter)
    world.move_to(at("2022-06-10T11:00"), tick=False)
    decided = services.extension_decide(extension=extension, actor=user("leader"), approve=True)
    assert decided.status == ExtensionStatus.APPROVED
    assert decided.decided_by == user("leader")
    assert decided.decided_at == at("2022-06-10T11:00")
    matter.refresh_from_db()
    assert matter.deadline == dt.date(2022, 6, 30)
    assert matter.deadline_precision == Precision.DAY
    assert Transition.objects.filter(matter=matter, data__extension="2022-06-30").exists()
    assert AuditEvent.objects.filter(action="matters.extension_approve", target_id=str(matter.pk)).count() == 1


def test_refusal_keeps_the_deadline(matter: Matter) -> None:
    decided = services.extension_decide(extension=ask(matter), actor=user("leader"), approve=False)
    assert decided.status == ExtensionStatus.REJECTED
    matter.refresh_from_db()
    assert matter.deadline == DEADLINE
    assert AuditEvent.objects.filter(action="matters.extension_reject", target_id=str(matter.pk)).count() == 1


def test_a_request_is_decided_only_once(matter: Matter) -> None:
    extension = ask(matter)
    services.extension_decide(extension=extension, actor=user("leader"), approve=False)
    with pytest.raises(InvalidTransition, match="already decided"):
        services.extension_decide(extension=extension, actor=user("leader"), approve=True)
    matter.refresh_from_db()
    assert matter.deadline == DEADLINE


def test_a_month_deadline_extended_becomes_a_day_deadline(world: Any) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 1), precision=Precision.MONTH)
    services.extension_decide(extension=ask(matter, new=dt.date(2022, 7, 10)), actor=user("leader"), approve=True)
    matter.refresh_from_db()
    assert (matter.deadline, matter.deadline_precision, matter.due_on) == (
        dt.date(2022, 7, 10),
        Precision.DAY,
        dt.date(2022, 7, 10),
    )


# The tick follows the new deadline ---------------------------------------------------------------


def test_after_approval_the_tick_chases_the_new_deadline_only(matter: Matter, world: Any) -> None:
    services.extension_decide(extension=ask(matter), actor=user("leader"), approve=True)
    tick(world, "2022-06-16T08:00")
    tick(world, "2022-06-22T08:00")  # five working days after the old deadline
    assert not DeadlineEvent.objects.filter(matter=matter).exists()
    tick(world, "2022-06-30T20:00")
    assert not DeadlineEvent.objects.filter(matter=matter).exists()
    tick(world, "2022-07-01T08:00")
    assert list(DeadlineEvent.objects.filter(matter=matter).values_list("kind", "due_on")) == [
        ("chase", dt.date(2022, 6, 30))
    ]


def test_a_pending_request_does_not_stop_the_chase(matter: Matter, world: Any) -> None:
    ask(matter)
    tick(world, "2022-06-16T08:00")
    assert list(DeadlineEvent.objects.filter(matter=matter).values_list("kind", flat=True)) == ["chase"]
    # Approved late (the request was made in time): the new deadline starts afresh.
    services.extension_decide(extension=Extension.objects.get(matter=matter), actor=user("leader"), approve=True)
    tick(world, "2022-06-22T08:00")
    assert list(DeadlineEvent.objects.filter(matter=matter).values_list("kind", flat=True)) == ["chase"]


def test_the_coordination_team_may_not_ask_for_an_extension(matter: Matter) -> None:
    with pytest.raises(NotAllowed):
        ask(matter, username="coordinator")


def test_approving_a_request_made_for_a_deadline_that_was_since_changed_is_refused(world: Any) -> None:
    matter = make_matter(deadline=DEADLINE, start=False)  # assigned: the coordination team may still re-assign
    extension = ask(matter, new=dt.date(2022, 6, 30))
    services.matter_transition(
        matter=matter,
        action="assign",
        actor=user("coordinator"),
        task=matter.task,
        deadline=dt.date(2022, 7, 31),
        leads=list(matter.leads.all()),
        units=list(matter.units.all()),
    )
    with pytest.raises((InvalidTransition, ValidationError)):
        services.extension_decide(extension=extension, actor=user("leader"), approve=True)
    matter.refresh_from_db()
    assert matter.deadline == dt.date(2022, 7, 31)  # today the approval moves it back to 2022-06-30
