"""Overdue matters: working days, chases the day after the deadline, circulars five working days later."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from matters import services
from matters.deadlines import _record, add_working_days, circular_date, deadlines_tick, is_working_day
from matters.models import DeadlineEvent, DeadlineEventKind, Matter, Precision
from matters.selectors import overdue_q
from matters.tests.factories import while_it_could_be_set
from notifications.models import Notification
from org.models import Person, Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2022, 6, 1, 9, 0, tzinfo=SHANGHAI)  # a Wednesday in the seed's campaign
LAST_QUIET_DAY = dt.date(2022, 7, 31)  # the demo's first unfinished deadline (2022.7) runs out this day


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def make_matter(
    *,
    deadline: dt.date,
    precision: str = Precision.DAY,
    start: bool = True,
    units: list[Unit] | None = None,
    leads: list[Person] | None = None,
    all_communities: bool = False,
    problem: str = "小区路灯损坏，夜间出行不便",
) -> Matter:
    """A matter reported, accepted, assigned to 基建办 with 杨立新 as lead, and (by default) started; a deadline
    already past was set a week before it (a past deadline cannot be set)."""
    with while_it_could_be_set(deadline):
        matter, _created = services.matter_create(actor=None, problem=problem)
        services.matter_transition(matter=matter, action="accept", actor=None)
        services.matter_transition(
            matter=matter,
            action="assign",
            actor=None,
            task="修复路灯",
            deadline=deadline,
            deadline_precision=precision,
            leads=leads if leads is not None else [Person.objects.get(ref="seed:person:yanglixin")],
            units=units if units is not None else [Unit.objects.get(ref="seed:dept:jijian")],
            all_communities=all_communities,
        )
        if start:
            services.matter_transition(matter=matter, action="start", actor=None)
    return Matter.objects.get(pk=matter.pk)


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    """Time stands still at START until a test moves it; never today's date."""
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def world(frozen: Any, demo: None) -> Any:
    """The demo, frozen in time. Tests tick before August 2022, when no demo matter is overdue yet."""
    assert not Matter.objects.filter(overdue_q(LAST_QUIET_DAY)).exists(), "a demo matter is overdue: move the tests"
    return frozen


@pytest.fixture
def tick(world: Any) -> Callable[[str], str]:
    """`tick("2022-06-16T08:00")`: move the clock there and run `manage.py tick --now`; return its output."""

    def run(when: str) -> str:
        world.move_to(at(when), tick=False)
        out = io.StringIO()
        call_command("tick", now=when, stdout=out)
        return out.getvalue()

    return run


def events(matter: Matter, kind: str | None = None) -> list[tuple[str, dt.date]]:
    qs = DeadlineEvent.objects.filter(matter=matter)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("at", "kind").values_list("kind", "due_on"))


def usernames_notified_after(mark: int, matter: Matter) -> set[str]:
    rows = Notification.objects.about(matter).filter(pk__gt=mark).select_related("recipient")
    return {n.recipient.username for n in rows}


def last_notification_id() -> int:
    last = Notification.objects.order_by("-pk").first()
    return last.pk if last else 0


# Working days ------------------------------------------------------------------------------------


def test_weekends_and_configured_holidays_are_not_working_days(
    settings: Any, db: None
) -> None:  # the calendar reads its declared days
    settings.HOLIDAYS = ["2022-06-03"]
    assert is_working_day(dt.date(2022, 6, 2))  # Thursday
    assert not is_working_day(dt.date(2022, 6, 3))  # Friday, Dragon Boat Festival
    assert not is_working_day(dt.date(2022, 6, 4))  # Saturday
    assert not is_working_day(dt.date(2022, 6, 5))  # Sunday
    assert is_working_day(dt.date(2022, 6, 6))


def test_five_working_days_after_skip_the_weekend_and_holidays(
    settings: Any, db: None
) -> None:  # the calendar reads its declared days
    settings.HOLIDAYS = []
    assert add_working_days(dt.date(2022, 6, 15), 5) == dt.date(2022, 6, 22)  # Wed → next Wed
    assert circular_date(dt.date(2022, 5, 30)) == dt.date(2022, 6, 6)
    settings.HOLIDAYS = ["2022-06-03"]
    assert circular_date(dt.date(2022, 5, 30)) == dt.date(2022, 6, 7)
    # A due date on a weekend: the count starts on the Monday.
    assert circular_date(dt.date(2022, 7, 31)) == dt.date(2022, 8, 5)


def test_a_malformed_holiday_setting_fails_loudly(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.HOLIDAYS = ["2022-13-01"]
    with pytest.raises(ImproperlyConfigured, match="2022-13-01"):
        is_working_day(dt.date(2022, 6, 1))


# Chases ------------------------------------------------------------------------------------------


def test_overdue_matter_is_chased_the_day_after_its_deadline_and_not_on_it(tick: Callable[[str], str]) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15))
    assert "0 chases" in tick("2022-06-15T23:59")
    assert events(matter) == []

    assert "1 chases" in tick("2022-06-16T00:05")
    assert events(matter) == [("chase", dt.date(2022, 6, 15))]
    audit = AuditEvent.objects.filter(action="matters.chase", target_id=str(matter.pk)).get()
    assert audit.actor_id is None
    assert audit.actor_name == "system"
    assert (audit.after or {})["due_on"] == "2022-06-15"


def test_month_deadline_is_chased_on_the_first_day_of_the_next_month(tick: Callable[[str], str]) -> None:
    # The seed writes "2022.6": by the end of June 2022.
    matter = make_matter(deadline=dt.date(2022, 6, 1), precision=Precision.MONTH)
    tick("2022-06-02T08:00")
    tick("2022-06-30T23:00")
    assert events(matter) == []
    tick("2022-07-01T08:00")
    assert events(matter) == [("chase", dt.date(2022, 6, 30))]


def test_ticking_twice_at_the_same_moment_creates_nothing_the_second_time(tick: Callable[[str], str]) -> None:
    make_matter(deadline=dt.date(2022, 6, 15))
    make_matter(deadline=dt.date(2022, 6, 1), precision=Precision.MONTH)
    first = tick("2022-07-01T08:00")
    assert first.strip() == "tick 2022-07-01 08:00: 2 chases, 1 circulars, 0 deliveries sent, 0 failed"
    counts = (DeadlineEvent.objects.count(), Notification.objects.count(), AuditEvent.objects.count())

    second = tick("2022-07-01T08:00")
    assert second.strip() == "tick 2022-07-01 08:00: 0 chases, 0 circulars, 0 deliveries sent, 0 failed"
    assert (DeadlineEvent.objects.count(), Notification.objects.count(), AuditEvent.objects.count()) == counts

    tick("2022-07-02T08:00")  # a later tick does not chase the same deadline again
    assert (DeadlineEvent.objects.count(), Notification.objects.count(), AuditEvent.objects.count()) == counts


def test_an_event_recorded_meanwhile_by_another_tick_is_not_recorded_again(world: Any) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15))
    now = at("2022-06-16T08:00")
    world.move_to(now, tick=False)
    assert _record(pk=matter.pk, kind=DeadlineEventKind.CHASE, due_on=dt.date(2022, 6, 15), now=now) is True
    audits = AuditEvent.objects.count()
    assert _record(pk=matter.pk, kind=DeadlineEventKind.CHASE, due_on=dt.date(2022, 6, 15), now=now) is False
    assert AuditEvent.objects.count() == audits
    # A deadline that is no longer the matter's (moved meanwhile) records nothing either.
    assert _record(pk=matter.pk, kind=DeadlineEventKind.CHASE, due_on=dt.date(2022, 6, 10), now=now) is False


def test_completed_and_unassigned_matters_are_never_chased(tick: Callable[[str], str]) -> None:
    done = make_matter(deadline=dt.date(2022, 6, 15))
    services.matter_transition(matter=done, action="complete", actor=None, effect="路灯已修复")
    late = make_matter(deadline=dt.date(2022, 6, 15))
    reported, _created = services.matter_create(actor=None, problem="尚未受理的问题")
    tick("2022-06-16T08:00")
    # Completed after its deadline but before the tick saw it: not chased either.
    services.matter_transition(matter=late, action="complete", actor=None, effect="路灯已修复")
    tick("2022-06-17T08:00")
    tick("2022-06-30T08:00")
    assert events(done) == []
    assert events(reported) == []
    assert events(late) == [("chase", dt.date(2022, 6, 15))]  # chased while it was overdue, not escalated after


def test_assigned_but_not_started_matters_are_chased(tick: Callable[[str], str]) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15), start=False)
    tick("2022-06-16T08:00")
    assert events(matter) == [("chase", dt.date(2022, 6, 15))]


# Circulars ---------------------------------------------------------------------------------------


def test_circular_comes_exactly_five_working_days_after_the_deadline_across_a_weekend(
    settings: Any, tick: Callable[[str], str]
) -> None:
    settings.HOLIDAYS = []
    matter = make_matter(deadline=dt.date(2022, 6, 15))  # Wednesday
    tick("2022-06-16T08:00")
    tick("2022-06-21T23:59")  # Tuesday: the fourth working day after
    assert events(matter, "circular") == []
    assert "1 circulars" in tick("2022-06-22T00:01")  # Wednesday: the fifth
    assert events(matter) == [("chase", dt.date(2022, 6, 15)), ("circular", dt.date(2022, 6, 15))]
    assert AuditEvent.objects.filter(action="matters.circular", target_id=str(matter.pk), actor_id=None).count() == 1


def test_circular_skips_a_holiday_from_the_settings(settings: Any, tick: Callable[[str], str]) -> None:
    settings.HOLIDAYS = ["2022-06-03"]  # Dragon Boat Festival, a Friday
    matter = make_matter(deadline=dt.date(2022, 5, 30))  # Monday
    tick("2022-06-06T12:00")  # would be the fifth working day without the holiday
    assert events(matter, "circular") == []
    tick("2022-06-07T08:00")
    assert events(matter, "circular") == [("circular", dt.date(2022, 5, 30))]


def test_a_late_first_tick_records_the_chase_and_the_circular_together(tick: Callable[[str], str]) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15))
    out = tick("2022-06-30T08:00")
    assert "1 chases, 1 circulars" in out
    assert [kind for kind, _due in events(matter)] == ["chase", "circular"]


# Who is told -------------------------------------------------------------------------------------


def test_a_chase_tells_the_handlers_of_the_responsible_units_and_the_leads(tick: Callable[[str], str]) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15))
    mark = last_notification_id()
    tick("2022-06-16T08:00")
    assert usernames_notified_after(mark, matter) == {"handler", "leader"}
    note = Notification.objects.filter(pk__gt=mark, recipient__username="handler").get()
    assert matter.code in note.title
    assert note.link == f"/matters/{matter.pk}/"
    assert "2022-06-15" in note.body


def test_a_circular_also_tells_every_coordinator_and_supervisor(tick: Callable[[str], str]) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15))
    tick("2022-06-16T08:00")
    mark = last_notification_id()
    tick("2022-06-22T08:00")
    assert usernames_notified_after(mark, matter) == {"handler", "leader", "coordinator", "supervisor"}


def test_all_communities_matters_chase_the_community_cadres(tick: Callable[[str], str]) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15), units=[], all_communities=True)
    mark = last_notification_id()
    tick("2022-06-16T08:00")
    assert "cadre" in usernames_notified_after(mark, matter)  # the demo cadre works in 长宇社区


def test_inactive_accounts_are_not_notified(tick: Callable[[str], str]) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15))
    get_user_model().objects.filter(username="leader").update(is_active=False)
    mark = last_notification_id()
    tick("2022-06-16T08:00")
    assert usernames_notified_after(mark, matter) == {"handler"}


# Moved deadlines ---------------------------------------------------------------------------------


def test_a_reassigned_later_deadline_is_chased_only_when_it_passes(tick: Callable[[str], str], world: Any) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15), start=False)
    tick("2022-06-16T08:00")
    services.matter_transition(
        matter=matter,
        action="assign",
        actor=None,
        task="修复路灯（调整时限）",
        deadline=dt.date(2022, 6, 30),
        leads=[Person.objects.get(ref="seed:person:yanglixin")],
        units=[Unit.objects.get(ref="seed:dept:jijian")],
    )
    tick("2022-06-30T08:00")  # five working days after the 15th, but the deadline is now the 30th
    assert events(matter) == [("chase", dt.date(2022, 6, 15))]
    tick("2022-07-01T08:00")
    assert events(matter) == [("chase", dt.date(2022, 6, 15)), ("chase", dt.date(2022, 6, 30))]


# The command -------------------------------------------------------------------------------------


def test_tick_rejects_a_malformed_now(world: Any) -> None:
    with pytest.raises(CommandError, match="not an ISO date"):
        call_command("tick", now="yesterday", stdout=io.StringIO())


def test_tick_accepts_a_date_or_a_zoned_time(tick: Callable[[str], str], world: Any) -> None:
    make_matter(deadline=dt.date(2022, 6, 15))
    out = io.StringIO()
    call_command("tick", now="2022-06-16", stdout=out)
    assert out.getvalue().startswith("tick 2022-06-16 00:00: 1 chases")
    out = io.StringIO()
    call_command("tick", now="2022-06-16T01:00:00+00:00", stdout=out)  # 09:00 in Shanghai
    assert out.getvalue().startswith("tick 2022-06-16 09:00: 0 chases")


def test_deadlines_tick_defaults_to_the_current_time(world: Any) -> None:
    matter = make_matter(deadline=dt.date(2022, 6, 15))
    world.move_to(at("2022-06-16T10:00"), tick=False)
    result = deadlines_tick()
    assert (result.chases, result.circulars) == (1, 0)
    assert DeadlineEvent.objects.get(matter=matter).at == at("2022-06-16T10:00")
