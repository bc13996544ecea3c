"""A clue past its limit is chased once, the day after the limit on the working-day calendar: the supervision team
is told (but for a member the clue names), nothing of the clue's text goes into the message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings

from audit.models import AuditEvent
from core.jobs.queue import periodic_run
from core.roles import Role
from notifications.models import Notification
from org.models import Person
from oversight import tasks_clues
from oversight.models.clues import Clue
from oversight.services import clues as services
from oversight.tests.clues_world import TEXT, at

pytestmark = pytest.mark.usefixtures("demo")


def _disposed(disposal: str, on: str, **create):  # type: ignore[no-untyped-def]
    with at(on):
        clue = services.clue_create(actor=None, source="staff", text=TEXT, **create)
        return services.clue_dispose(actor=None, clue=clue, disposal=disposal, on=dt.date.fromisoformat(on))


def _chased(clue: Clue) -> list[str]:
    return list(
        Notification.objects.filter(subject_id=clue.pk, subject_type__model="clue")
        .order_by("recipient__username")
        .values_list("recipient__username", flat=True)
    )


def test_a_verification_is_chased_once_the_day_after_its_fifteen_working_days() -> None:
    clue = _disposed("verify", "2031-07-03")  # Thursday: due Thursday 24 July
    assert clue.due_on == dt.date(2031, 7, 24)
    with at("2031-07-24"):
        assert services.clues_chase() == 0
    with at("2031-07-25"):
        assert services.clues_chase() == 1
        assert services.clues_chase() == 0
    with at("2031-07-28"):
        assert services.clues_chase() == 0
    assert _chased(clue) == ["supervisor"]
    message = Notification.objects.get(subject_id=clue.pk, subject_type__model="clue")
    assert clue.code in message.title and TEXT not in message.title + message.body
    assert AuditEvent.objects.filter(action="clue.chase", target_id=str(clue.pk)).count() == 1


@override_settings(HOLIDAYS=["2031-07-07"], CLUE_CLOSE_WORKING_DAYS=2)
def test_the_limits_follow_the_settings_and_the_holidays_of_the_working_day_calendar() -> None:
    clue = _disposed("close", "2031-07-04")  # Friday; Monday 7th a holiday: 2 working days → Wednesday 9th
    assert clue.due_on == dt.date(2031, 7, 9)


def test_a_concluded_clue_is_not_chased_and_a_named_supervisor_is_not_told() -> None:
    me = Person.objects.get(user__username="supervisor")
    colleague = get_user_model().objects.create_user("supervisor2", password="a-Long-passphrase-2026")
    colleague.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    named = _disposed("shelve", "2031-03-03", persons=[me])  # due 90 days later: 1 June
    done = _disposed("verify", "2031-03-03")
    with at("2031-03-05"):
        services.clue_conclude(
            actor=None, clue=done, conclusion="unfounded", findings="查无实据", on=dt.date(2031, 3, 5)
        )
    with at("2031-07-03"):
        assert periodic_run("oversight.clues_chase", lambda now: f"{now:%Y-%m-%d}", tasks_clues.clues_chase.work)
    assert _chased(named) == ["supervisor2"]
    assert _chased(done) == []
