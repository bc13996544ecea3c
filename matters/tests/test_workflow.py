"""The whole transition matrix: every state × every action × every role, allowed or refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from conftest import PERSONAS
from core.exceptions import NotAllowed
from matters.models import Matter, Transition
from matters.services import InvalidTransition, matter_transition
from matters.tests.factories import assign_fields, matter_in
from matters.workflow import TRANSITIONS, Action, Capacity, Status

pytestmark = pytest.mark.usefixtures("demo")

# For the 基建办 matter led by 杨立新: in which capacities each persona may act.
CAPACITY = {
    "coordinator": {Capacity.COORDINATOR},
    "handler": {Capacity.HANDLER},  # a staff member of 基建办, the responsible unit
    "leader": {Capacity.LEAD},  # 杨立新, the lead
    "cadre": set(),  # a cadre of 长宇社区: not a responsible unit
    "assessor": set(),
    "supervisor": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditor": set(),
}


def _fields(action: Action) -> dict:
    return {
        Action.DECLINE: {"reason": "重复反映"},
        Action.RETURN: {"reason": "现场核查未完成"},
        Action.MERGE: {"into": "__other__"},
        Action.ASSIGN: assign_fields(),
        Action.PROGRESS: {"percent": 40, "text": "已完成路基"},
        Action.COMPLETE: {"effect": "道路已拓宽"},
        Action.CLOSE: {"satisfaction": "satisfied"},
    }.get(action, {})


@pytest.mark.parametrize(
    "status", [s for s in Status if s not in (Status.DECLINED, Status.MERGED)] + [Status.DECLINED, Status.MERGED]
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_action_is_allowed_exactly_where_the_table_says(status: Status, persona: str) -> None:
    user = get_user_model().objects.get(username=persona)
    for action in Action:
        matter = matter_in(status)
        fields = _fields(action)
        if fields.get("into") == "__other__":
            fields = {"into": matter_in(Status.REPORTED, problem="另一条重复的问题")}
        rule = TRANSITIONS[action]
        before = (matter.status, Transition.objects.filter(matter=matter).count(), AuditEvent.objects.count())
        allowed = status in rule.sources and bool(CAPACITY[persona] & rule.actors)
        if allowed:
            result = matter_transition(matter=matter, action=action, actor=user, **fields)
            assert result.status == rule.target, (status, action, persona)
            last = Transition.objects.filter(matter=matter).last()
            assert last is not None and last.action == action and last.actor_name == persona
            assert AuditEvent.objects.filter(action=f"matters.{action.value}", target_id=str(matter.pk)).exists()
        else:
            expected = InvalidTransition if status not in rule.sources else NotAllowed
            with pytest.raises(expected):
                matter_transition(matter=matter, action=action, actor=user, **fields)
            matter.refresh_from_db()
            after = (matter.status, Transition.objects.filter(matter=matter).count(), AuditEvent.objects.count())
            assert after == before, (status, action, persona)


@pytest.mark.parametrize("action", [Action.DECLINE, Action.RETURN])
def test_decline_and_return_need_a_reason(action: Action) -> None:
    matter = matter_in(Status.REPORTED if action == Action.DECLINE else Status.COMPLETED)
    with pytest.raises(ValidationError, match="reason"):
        matter_transition(matter=matter, action=action, actor=None, reason="  ")
    matter.refresh_from_db()
    assert matter.status in (Status.REPORTED, Status.COMPLETED)


def test_merging_links_the_duplicate_to_the_surviving_matter() -> None:
    survivor = matter_in(Status.ASSIGNED)
    duplicate = matter_in(Status.REPORTED, problem="赵罗路太窄了")
    matter_transition(matter=duplicate, action="merge", actor=None, into=survivor)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == survivor
    assert list(survivor.duplicates.all()) == [duplicate]
    assert survivor.code in duplicate.public_reply


def test_a_matter_cannot_be_merged_into_itself_or_a_declined_one() -> None:
    matter = matter_in(Status.REPORTED)
    declined = matter_in(Status.DECLINED, problem="无关问题")
    for target in (matter, declined):
        with pytest.raises(ValidationError):
            matter_transition(matter=matter, action="merge", actor=None, into=target)
    matter.refresh_from_db()
    assert matter.status == Status.REPORTED and matter.merged_into is None


def test_assign_needs_a_task_a_deadline_and_a_unit_but_not_a_lead() -> None:
    matter = matter_in(Status.ACCEPTED)
    for missing in ("task", "deadline", "units"):
        fields = assign_fields()
        fields[missing] = [] if missing == "units" else None
        with pytest.raises(ValidationError, match=missing):
            matter_transition(matter=matter, action="assign", actor=None, **fields)
    fields = assign_fields()
    fields["leads"] = []
    assigned = matter_transition(matter=matter, action="assign", actor=None, **fields)
    assert assigned.status == Status.ASSIGNED and not assigned.leads.exists()


def test_all_communities_makes_every_community_handler_responsible() -> None:
    matter = matter_in(Status.ACCEPTED)
    fields = assign_fields()
    fields.update(units=[], all_communities=True)
    matter_transition(matter=matter, action="assign", actor=None, **fields)
    cadre = get_user_model().objects.get(username="cadre")  # a cadre of 长宇社区
    started = matter_transition(matter=matter, action="start", actor=cadre)
    assert started.status == Status.IN_PROGRESS


def test_progress_outside_0_to_100_is_refused() -> None:
    matter = matter_in(Status.IN_PROGRESS)
    for percent in (-1, 101, "50"):
        with pytest.raises(ValidationError):
            matter_transition(matter=matter, action="progress", actor=None, percent=percent, text="x")
    assert not matter.reports.exists()


def test_a_stale_page_gets_a_conflict_and_changes_nothing() -> None:
    from matters.services import Conflict

    matter = matter_in(Status.REPORTED)
    matter_transition(matter=matter, action="accept", actor=None)
    with pytest.raises(Conflict):
        matter_transition(matter=matter, action="decline", actor=None, reason="x", expected_status=Status.REPORTED)
    assert Matter.objects.get(pk=matter.pk).status == Status.ACCEPTED


def test_return_after_close_reopens_the_matter_for_redo() -> None:
    matter = matter_in(Status.CLOSED)
    reopened = matter_transition(matter=matter, action="return", actor=None, reason="群众评价不满意，发回重办")
    assert reopened.status == Status.IN_PROGRESS
    assert reopened.closed_at is None and reopened.satisfaction == ""


def test_codes_are_unique_and_numbered_per_year() -> None:
    codes = [matter_in(Status.REPORTED, problem=f"问题{i}").code for i in range(3)]
    assert len(set(codes)) == 3
    assert all(code.startswith("MQ-") for code in codes)
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(numbers[0], numbers[0] + 3))
