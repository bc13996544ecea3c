"""Duty reminders: once per person and week, only to people short of a rule, from Friday noon."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from fieldwork.models import DutyReminder
from fieldwork.reminders import duty_reminders_send
from fieldwork.tests.test_duties import solved, visit
from notifications.models import Notification
from org.models import Person

pytestmark = pytest.mark.usefixtures("demo")

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY_NOON = dt.datetime(2022, 7, 1, 12, 30, tzinfo=SHANGHAI)  # 2022-W26
# The demo accounts whose persons have weekly duties (the administrators' persons are of category "other").
WITH_DUTIES = {"leader", "cadre", "handler", "coordinator", "assessor", "supervisor"}


def _person(ref: str) -> Person:
    return Person.objects.get(ref=ref)


def _reminded() -> set[str]:
    return set(
        Notification.objects.filter(link__startswith="/fieldwork/my-week/").values_list(
            "recipient__username", flat=True
        )
    )


def _notes(username: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient__username=username, link__startswith="/fieldwork/my-week/"))


@pytest.fixture
def english(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"


def test_everyone_short_with_an_account_is_reminded_once() -> None:
    with time_machine.travel(FRIDAY_NOON, tick=False):
        assert duty_reminders_send() == len(WITH_DUTIES)
    assert _reminded() == WITH_DUTIES
    assert DutyReminder.objects.filter(week="2022-W26").count() == len(WITH_DUTIES)


def test_people_who_met_every_rule_get_no_reminder() -> None:
    cadre, leader = _person("demo:person:cadre"), _person("seed:person:yanglixin")
    with time_machine.travel(FRIDAY_NOON, tick=False):
        visit(cadre, dt.date(2022, 6, 27), "household", hours="12")
        visit(cadre, dt.date(2022, 6, 28), "governance", hours="8")
        visit(leader, dt.date(2022, 6, 29), "enterprise")
        solved(leader, dt.datetime(2022, 6, 30, 9, 0, tzinfo=SHANGHAI))
        duty_reminders_send()
    assert _reminded() == WITH_DUTIES - {"cadre", "leader"}


def test_running_again_in_the_same_week_sends_nothing_more() -> None:
    with time_machine.travel(FRIDAY_NOON, tick=False):
        duty_reminders_send()
    with time_machine.travel(FRIDAY_NOON + dt.timedelta(days=1), tick=False):
        assert duty_reminders_send() == 0
    assert len(_notes("cadre")) == 1


def test_a_new_week_brings_a_new_reminder() -> None:
    with time_machine.travel(FRIDAY_NOON, tick=False):
        duty_reminders_send()
    with time_machine.travel(FRIDAY_NOON + dt.timedelta(days=7), tick=False):
        assert duty_reminders_send() == len(WITH_DUTIES)
    assert sorted(n.link for n in _notes("cadre")) == [
        "/fieldwork/my-week/?week=2022-W26",
        "/fieldwork/my-week/?week=2022-W27",
    ]


@pytest.mark.usefixtures("english")
def test_the_reminder_says_what_is_missing_and_links_to_my_week() -> None:
    cadre = _person("demo:person:cadre")
    with time_machine.travel(FRIDAY_NOON, tick=False):
        visit(cadre, dt.date(2022, 6, 27), "household", hours="15.5")
        duty_reminders_send()
    (note,) = _notes("cadre")
    assert "Week 26, 2022 (27 Jun – 3 Jul)" in note.title  # as people write it; the link keeps the code
    assert "4.5 more hours of grassroots work" in note.body
    assert "household" not in note.body.lower()
    assert note.link == "/fieldwork/my-week/?week=2022-W26"


def test_inactive_accounts_and_people_without_accounts_get_nothing() -> None:
    get_user_model().objects.filter(username="handler").update(is_active=False)
    with time_machine.travel(FRIDAY_NOON, tick=False):
        duty_reminders_send()
    assert "handler" not in _reminded()
    without_account = Person.objects.filter(user__isnull=True, category="leader")
    assert without_account.exists()
    assert not DutyReminder.objects.filter(person__in=without_account).exists()


def test_nothing_is_sent_while_no_campaign_runs() -> None:
    with time_machine.travel(dt.datetime(2023, 3, 3, 15, 0, tzinfo=SHANGHAI), tick=False):
        assert duty_reminders_send() == 0
    assert not DutyReminder.objects.exists()


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("duty_remind", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "moment",
    [dt.datetime(2022, 6, 30, 18, 0, tzinfo=SHANGHAI), dt.datetime(2022, 7, 1, 11, 59, tzinfo=SHANGHAI)],
)
def test_the_command_waits_for_friday_noon(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        assert "nothing sent" in _command()
    assert not DutyReminder.objects.exists()


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2022, 7, 1, 12, 0, tzinfo=SHANGHAI),
        dt.datetime(2022, 7, 2, 9, 0, tzinfo=SHANGHAI),
        dt.datetime(2022, 7, 3, 23, 0, tzinfo=SHANGHAI),
    ],
)
def test_the_command_sends_from_friday_noon_to_sunday(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        assert f"{len(WITH_DUTIES)} reminders sent" in _command()
        assert "0 reminders sent" in _command()


def test_the_command_sends_early_when_forced() -> None:
    with time_machine.travel(dt.datetime(2022, 6, 27, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert "2022-W26" in _command("--force")
    assert DutyReminder.objects.filter(week="2022-W26").count() == len(WITH_DUTIES)
