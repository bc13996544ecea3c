"""The detectors on the matters and the duties, each on a planted case that fires and a clean one that must not:
overdue without progress (with the chases sent), returned repeatedly, closed with a 不满意 majority, a progress photo
repeating an earlier one, an effect copied from the task text, duties short two weeks running, a contact point never
visited. Time frozen in 2031."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone, translation

from campaigns import services as campaign_services
from core.uploads import clean_upload
from matters.models import DeadlineEvent, DeadlineEventKind, Matter
from matters.services import matter_create, matter_rating_counted, matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status
from org.models import ContactPoint, Person, Unit
from oversight.demo_signals import demo_photo
from oversight.models.signals import SignalKind
from oversight.signals import Window, detect
from oversight.tests.reviews_world import at
from oversight.tests.signals_world import CADRE, NOW, OTHER, WINDOW, visit

pytestmark = pytest.mark.usefixtures("demo")
K = SignalKind
TASK = "对长宇社区老旧小区楼道照明线路进行全面排查，更换损坏灯具，加装声控开关，确保夜间照明正常。"


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def _assigned(day: str, deadline: str, *, task: str = TASK, problem: str = "长宇社区楼道灯不亮（测试）") -> Matter:
    with at(day):
        matter, _c = matter_create(actor=None, problem=problem, channel="hotline")
        matter = matter_transition(matter=matter, action="accept", actor=None)
        return matter_transition(
            matter=matter, action="assign", actor=None, task=task, deadline=dt.date.fromisoformat(deadline),
            leads=[Person.objects.get(name="杨立新")], units=[Unit.objects.get(ref="seed:community:changyu")],
        )  # fmt: skip


def _step(matter: Matter, day: str, action: str, **fields: Any) -> Matter:
    with at(day):
        return matter_transition(matter=matter, action=action, actor=None, **fields)


def _found(kind: str, window: Window = WINDOW) -> list[Any]:
    with at(NOW):
        return detect(window, kinds=[kind])


def test_an_overdue_matter_quiet_for_five_working_days_fires_with_its_chases_and_a_fresh_one_does_not() -> None:
    stale = _assigned("2031-06-20", "2031-06-30")
    DeadlineEvent.objects.create(
        matter=stale, kind=DeadlineEventKind.CHASE, due_on=dt.date(2031, 6, 30),
        at=timezone.make_aware(dt.datetime(2031, 7, 1, 9)),
    )  # fmt: skip
    _assigned("2031-07-20", "2031-07-31")  # overdue since Friday: two working days
    found = _found(K.OVERDUE_STALE)
    assert [f.keys[0] for f in found] == [f"matter:{stale.pk}"]
    assert found[0].evidence["chases"] == [{"kind": "chase", "due_on": "2031-06-30", "on": "2031-07-01"}]
    assert found[0].unit_id == Unit.objects.get(ref="seed:community:changyu").pk


def test_an_overdue_matter_with_recent_progress_does_not_fire() -> None:
    matter = _assigned("2031-06-20", "2031-06-30")
    matter = _step(matter, "2031-07-28", "start")
    _step(matter, "2031-07-31", "progress", text="已更换灯具一半", percent=50)
    assert _found(K.OVERDUE_STALE) == []


def _completed(day: str, effect: str = "已全部完成整改，楼道照明恢复正常。") -> Matter:
    matter = _assigned(day, "2031-07-31")
    matter = _step(matter, day, "start")
    return _step(matter, day, "complete", effect=effect)


def test_a_matter_returned_twice_fires_and_one_returned_once_does_not() -> None:
    twice = _completed("2031-06-02")
    for day in ("2031-06-03", "2031-06-05"):
        twice = _step(twice, day, "return", reason="现场核查仍未整改到位")
        twice = _step(twice, day, "complete", effect="已再次整改，楼道照明恢复正常。")
    once = _step(_completed("2031-06-02"), "2031-06-03", "return", reason="未整改到位")
    assert once.status == Status.IN_PROGRESS
    found = _found(K.RETURNED)
    assert [(f.keys, f.evidence["compared"]["returns"]) for f in found] == [((f"matter:{twice.pk}",), 2)]


def test_a_closed_matter_with_a_dissatisfied_majority_fires_and_an_even_split_does_not() -> None:
    with at("2031-06-02"):
        bad, even = matter_in(Status.CLOSED), matter_in(Status.CLOSED, problem="另一件已关闭的事项（测试）")
    for value in ("dissatisfied", "dissatisfied", "dissatisfied", "satisfied"):
        matter_rating_counted(matter=bad, value=value)
    for value in ("dissatisfied", "dissatisfied", "satisfied", "basically"):
        matter_rating_counted(matter=even, value=value)
    found = _found(K.UNSATISFIED)
    assert [f.keys for f in found] == [(f"matter:{bad.pk}",)]
    assert found[0].evidence["compared"] == {"satisfied": 1, "basically": 0, "dissatisfied": 3}


def test_a_progress_report_repeating_an_earlier_reports_photo_fires_and_new_photos_do_not() -> None:
    one = _step(_assigned("2031-06-02", "2031-07-31"), "2031-06-02", "start")
    two = _step(_assigned("2031-06-02", "2031-07-31", problem="卫王社区路灯不亮（测试）"), "2031-06-02", "start")
    _step(one, "2031-06-05", "progress", text="已更换一半", percent=50, files=[clean_upload("a.jpg", demo_photo())])
    _step(one, "2031-06-12", "progress", text="新的现场", percent=70, files=[clean_upload("b.jpg", demo_photo(3))])
    again = demo_photo(size=(400, 300), quality=55)
    _step(two, "2031-06-19", "progress", text="已完成一半", percent=50, files=[clean_upload("c.jpg", again)])
    found = _found(K.REPORT_PHOTO_REUSED)
    assert len(found) == 1 and [r["id"] for r in found[0].evidence["records"]] == [one.pk, two.pk]


def test_an_effect_copied_from_the_task_text_fires_and_an_effect_in_its_own_words_does_not() -> None:
    copied = _completed("2031-06-02", effect=TASK.replace("确保", "保证"))
    _completed("2031-06-03", effect="更换灯具46盏、加装声控开关30个，居民回访满意，夜间照明已恢复。")
    found = _found(K.EFFECT_COPIED)
    assert [f.keys for f in found] == [(f"matter:{copied.pk}",)]


def _campaign_2031() -> None:
    campaign = campaign_services.campaign_create(
        actor=None, name="2031年活动（测试）", organiser=Unit.objects.get(ref="seed:park"),
        starts_on=dt.date(2031, 5, 1), ends_on=dt.date(2031, 12, 31),
    )  # fmt: skip
    campaign_services.duty_rule_create(
        actor=None, campaign=campaign, role="cadre", metric="grassroots_hours", threshold=Decimal(20)
    )


def test_duties_short_two_ended_weeks_running_fire_and_one_short_week_does_not() -> None:
    with at("2031-06-02"):
        _campaign_2031()
    with time_machine.travel(dt.datetime(2031, 6, 20, 20, tzinfo=dt.UTC), tick=False):
        for day in ("2031-06-02", "2031-06-09"):  # 2 hours a week: short both weeks
            visit(day, who=CADRE)
        for day in ("2031-06-09", "2031-06-10", "2031-06-11"):  # short the first week only
            visit(day, "08:00", "15:00", who=OTHER)
    window = Window(start=dt.date(2031, 6, 2), end=dt.date(2031, 6, 15), today=dt.date(2031, 6, 20))
    found = {f.person_id: f for f in _found(K.DUTY_SHORTFALL, window)}
    cadre, other = Person.objects.get(ref=CADRE), Person.objects.get(ref=OTHER)
    assert cadre.pk in found and other.pk not in found
    assert list(found[cadre.pk].evidence["compared"]) == ["2031-W23", "2031-W24"]


def test_a_contact_point_never_visited_in_the_period_fires_and_a_visited_one_does_not() -> None:
    points = list(ContactPoint.objects.filter(unit__isnull=False).select_related("leader").order_by("pk")[:2])
    assert len(points) == 2
    visited = points[0]
    with time_machine.travel(dt.datetime(2031, 6, 20, 12, tzinfo=dt.UTC), tick=False):
        visit("2031-06-10", who=visited.leader.ref)  # in 长宇社区: counts when it is the point's unit
        from fieldwork.models import Visit

        Visit.objects.filter(person=visited.leader, date=dt.date(2031, 6, 10)).update(
            unit=visited.unit, contact_point=visited
        )
    found = {f.keys[0] for f in _found(K.POINT_UNVISITED)}
    assert f"contact_point:{points[1].pk}" in found and f"contact_point:{visited.pk}" not in found
