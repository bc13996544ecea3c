"""Residents are told by text message when their report is accepted or declined and when it is done (with the link
to rate it): one message per step, at most one a day per matter, none if they opted out or left no mobile."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from matters.models import Category, Matter
from matters.services import matter_transition
from matters.tests.factories import assign_fields
from portal import sms
from portal.models import ResidentMessage
from portal.services.messages import resident_messages_send

pytestmark = pytest.mark.usefixtures("demo")

PHONE = "13900000123"
DAY = "2022-07-15 09:00:00+08:00"


@pytest.fixture(autouse=True)
def _frozen_and_empty_outbox() -> Iterator[None]:
    sms.outbox.clear()
    with time_machine.travel(DAY, tick=False):
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Matter]:
    """Take a step and run what waits for its commit (the step listeners), as a real request would."""

    def step(matter: Matter, action: str, **fields: Any) -> Matter:
        with django_capture_on_commit_callbacks(execute=True):
            return matter_transition(matter=matter, action=action, actor=None, **fields)

    return step


def _raised(phone: str = PHONE, **form: str) -> Matter:
    data = {
        "category": Category.objects.get(code="roads").pk,
        "description": "赵罗路路面破损严重，下雨天积水。",
        "place": "赵罗路与长乐路交叉口",
        "phone": phone,
        "consent": "on",
        "is_public": "on",
        "token": uuid.uuid4().hex,
        **form,
    }
    assert Client().post("/report/", data).status_code == 302
    return Matter.objects.latest("pk")


def _texts() -> list[str]:
    return [text for to, text in sms.outbox if to == PHONE]


def _to_completed(matter: Matter, step: Callable[..., Matter]) -> Matter:
    matter = step(matter, "assign", **assign_fields())
    matter = step(matter, "start")
    return step(matter, "complete", effect="已修复路面")


def test_the_reporter_is_told_of_acceptance_and_of_completion_with_the_rating_link_one_a_day(committed) -> None:  # type: ignore[no-untyped-def]
    matter = _raised()
    assert sms.outbox == []  # nothing on receipt: the tracking page says it all
    matter = committed(matter, "accept")
    [accepted] = _texts()
    assert matter.code in accepted and f"/track/{matter.tracking_code}/" in accepted
    matter = _to_completed(matter, committed)
    assert len(_texts()) == 1  # the same day: the completion waits
    assert ResidentMessage.objects.filter(matter=matter, sent_at__isnull=True).count() == 1
    assert resident_messages_send() == 0  # still the same day
    with time_machine.travel("2022-07-16 09:00:00+08:00", tick=False):
        assert resident_messages_send() == 1
    done = _texts()[1]
    assert matter.code in done and f"/m/{matter.code}/rate/" in done
    assert resident_messages_send() == 0 and len(_texts()) == 2


def test_a_declined_report_is_told_once_and_a_redone_completion_is_not_told_twice(committed) -> None:  # type: ignore[no-untyped-def]
    declined = committed(_raised(), "decline", reason="不属于园区管辖范围")
    [text] = _texts()
    assert declined.code in text and "未予受理" in text  # in the site's language (LANGUAGE_CODE)
    sms.outbox.clear()
    matter = committed(_raised(), "accept")
    with time_machine.travel("2022-07-16 09:00:00+08:00", tick=False):
        matter = _to_completed(matter, committed)
        matter = committed(matter, "return", reason="路面仍有坑洼")
        committed(matter, "complete", effect="已重新修复")
    with time_machine.travel("2022-07-18 09:00:00+08:00", tick=False):
        resident_messages_send()
    assert len(_texts()) == 2  # accepted, completed: one message per step
    assert ResidentMessage.objects.filter(matter=matter).count() == 2


@pytest.mark.parametrize(("phone", "form"), [(PHONE, {"no_sms": "on"}), ("0714-8812345", {}), ("", {})])
def test_no_message_to_a_reporter_who_opted_out_or_left_no_mobile(committed, phone: str, form: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    matter = _raised(phone=phone, **form)
    assert matter.reporter_no_sms == bool(form)
    _to_completed(committed(matter, "accept"), committed)
    with time_machine.travel("2022-07-20 09:00:00+08:00", tick=False):
        resident_messages_send()
    assert sms.outbox == [] and not ResidentMessage.objects.exists()


def test_a_step_rolled_back_tells_nobody(django_capture_on_commit_callbacks: Any) -> None:
    matter = _raised()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        matter_transition(matter=matter, action="accept", actor=None)
        raise RuntimeError("the request failed after the step")
    assert sms.outbox == [] and Matter.objects.get(pk=matter.pk).status == "reported"


def test_a_gateway_failure_keeps_the_step_and_the_message_is_sent_later(committed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def down(self: Any, phone: str, text: str) -> None:
        raise sms.SmsError("gateway down")

    monkeypatch.setattr(sms.LocmemBackend, "send", down)
    matter = committed(_raised(), "accept")
    assert matter.status == "accepted" and sms.outbox == []
    monkeypatch.undo()
    assert resident_messages_send() == 1 and len(_texts()) == 1


def test_track_offers_the_rating_on_a_completed_matter_and_the_code_page_by_get_goes_back_to_the_form(
    committed,  # type: ignore[no-untyped-def]
) -> None:
    matter = _to_completed(committed(_raised(), "accept"), committed)
    client = Client()
    page = client.get(f"/track/{matter.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/m/{matter.code}/rate/"' in page and "Rate the work" in page
    restored = client.get(f"/m/{matter.code}/rate/code/")
    assert restored.status_code == 302 and restored["Location"] == f"/m/{matter.code}/rate/"
    assert client.get(restored["Location"]).status_code == 200


def test_track_does_not_offer_the_rating_before_the_work_is_done(committed) -> None:  # type: ignore[no-untyped-def]
    matter = committed(_raised(), "accept")
    page = Client().get(f"/track/{matter.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rate the work" not in page
    assert dt.date(2022, 7, 15) == ResidentMessage.objects.get(matter=matter).sent_on
