"""发回重办: enough "dissatisfied" ratings since the last completion flag a matter; the coordinators' RETURN clears it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEvent
from matters.models import Matter
from matters.services import matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status
from notifications.models import Notification
from portal import sms

START = dt.datetime(2022, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def redo_rule(settings: Any, time_machine: Any) -> None:
    """The default rule, stated: at least 3 ratings, more than 50% dissatisfied."""
    settings.RATING_REDO_MIN = 3
    settings.RATING_REDO_PERCENT = 50
    time_machine.move_to(START, tick=False)
    sms.outbox.clear()


@pytest.fixture
def rate(time_machine: Any) -> Callable[..., None]:
    """Rate `matter` with `values`, each from a new phone, two minutes apart, through the pages."""
    clock = {"at": START}
    phones = iter(f"1380000{n:04d}" for n in range(1000))

    def do(matter: Matter, *values: str) -> None:
        for value in values:
            clock["at"] += dt.timedelta(minutes=2)
            time_machine.move_to(clock["at"], tick=False)
            phone = next(phones)
            browser = Client(headers={"accept-language": "en"})
            browser.post(f"/m/{matter.code}/rate/code/", {"ask-phone": phone})
            found = re.search(r"\b(\d{6})\b", sms.outbox[-1][1])
            assert found is not None
            response = browser.post(
                f"/m/{matter.code}/rate/",
                {"rate-phone": phone, "rate-code": found.group(1), "rate-value": value},
            )
            assert response.status_code == 302, response.content.decode()

    return do


def flagged(matter: Matter) -> bool:
    matter.refresh_from_db()
    return matter.redo_flagged_at is not None


def test_two_of_three_dissatisfied_flag_the_matter_and_tell_the_coordinators(demo: None, rate: Any) -> None:
    matter = matter_in(Status.COMPLETED)
    rate(matter, "dissatisfied", "satisfied", "dissatisfied")
    assert flagged(matter)
    notes = Notification.objects.about(matter).filter(
        recipient__username="coordinator", link=f"/matters/{matter.pk}/", created_at__gt=START
    )
    assert notes.count() == 1
    assert matter.code in notes.get().title
    event = AuditEvent.objects.get(action="portal.redo_flag")
    assert event.after == {"dissatisfied": 2, "ratings": 3, "percent": 50}
    assert not Notification.objects.filter(recipient__username="handler", created_at__gt=START).exists()


def test_one_of_three_dissatisfied_does_not_flag(demo: None, rate: Any) -> None:
    matter = matter_in(Status.VERIFIED)
    rate(matter, "dissatisfied", "satisfied", "basically")
    assert not flagged(matter)
    assert not AuditEvent.objects.filter(action="portal.redo_flag").exists()


def test_fewer_ratings_than_the_minimum_do_not_flag_however_bad(demo: None, rate: Any) -> None:
    matter = matter_in(Status.CLOSED)
    rate(matter, "dissatisfied", "dissatisfied")
    assert not flagged(matter)
    rate(matter, "satisfied")  # now 2 of 3: above half
    assert flagged(matter)


def test_exactly_the_threshold_share_does_not_flag(demo: None, rate: Any) -> None:
    matter = matter_in(Status.COMPLETED)
    rate(matter, "dissatisfied", "satisfied", "basically", "dissatisfied")  # 1 of 3, then 2 of 4 = 50%: not above
    assert not flagged(matter)


def test_the_flag_is_raised_and_announced_once(demo: None, rate: Any) -> None:
    matter = matter_in(Status.COMPLETED)
    rate(matter, "dissatisfied", "dissatisfied", "dissatisfied")
    first = Matter.objects.get(pk=matter.pk).redo_flagged_at
    rate(matter, "dissatisfied")
    assert Matter.objects.get(pk=matter.pk).redo_flagged_at == first
    assert AuditEvent.objects.filter(action="portal.redo_flag").count() == 1
    assert (
        Notification.objects.about(matter).filter(recipient__username="coordinator", created_at__gt=START).count() == 1
    )


def test_return_for_redo_clears_the_flag_and_only_later_ratings_count(demo: None, rate: Any, client_as: Any) -> None:
    matter = matter_in(Status.COMPLETED)
    rate(matter, "dissatisfied", "dissatisfied", "satisfied")
    assert flagged(matter)
    response = client_as("coordinator").post(
        f"/matters/{matter.pk}/act/return/",
        {"return-reason": "群众评价不满意，发回重办", "return-expected_status": "completed"},
    )
    assert response.status_code == 302
    assert not flagged(matter)
    assert matter.status == Status.IN_PROGRESS
    matter_transition(matter=matter, action="complete", actor=None, effect="已重新整治")
    rate(matter, "dissatisfied", "satisfied")  # 3 of 5 dissatisfied overall, but 1 of 2 since the new completion
    assert not flagged(matter)


def test_coordinators_see_the_flagged_matter_in_their_work_and_on_its_page(
    demo: None, rate: Any, client_as: Any
) -> None:
    matter = matter_in(Status.COMPLETED)
    other = matter_in(Status.COMPLETED, problem="另一件")
    rate(matter, "dissatisfied", "dissatisfied", "dissatisfied")
    coordinator = client_as("coordinator")
    coordinator.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    work = coordinator.get("/workbench/")
    items = {item.url: item.count for item in work.context["work"]}
    assert items["/matters/?tab=all&redo=1"] == 1
    listed = [m.pk for m in coordinator.get("/matters/?tab=all&redo=1").context["page"]]
    assert listed == [matter.pk] and other.pk not in listed
    page = coordinator.get(f"/matters/{matter.pk}/").content.decode()
    assert "Flagged for redo by public ratings" in page
    assert "Public ratings: 0 satisfied, 0 basically satisfied, 3 dissatisfied." in page
    assert "Flagged for redo" not in coordinator.get(f"/matters/{other.pk}/").content.decode()
