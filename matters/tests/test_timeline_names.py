"""Back-office timelines name people (and 系统 for automatic steps), never account names; the public one names nobody."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from matters.services import matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status
from org.models import Person

pytestmark = pytest.mark.usefixtures("demo")
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_back_office_timeline_shows_the_persons_name_and_system_never_the_login(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.REPORTED, problem="路面有坑，需要修补")
    coordinator = get_user_model().objects.get(username="coordinator")
    matter_transition(matter=matter, action="accept", actor=coordinator)
    name = Person.objects.get(user=coordinator).display_name
    html = client_as("coordinator").get(f"/matters/{matter.pk}/", **ZH).content.decode()
    timeline = html.split("border-start ps-3", 1)[1].split("</ol>", 1)[0]
    assert name in timeline
    assert "系统" in timeline, "the report registered by no one is an automatic step"
    assert " · coordinator · " not in timeline and "system" not in timeline
    english = client_as("coordinator").get(f"/matters/{matter.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "System" in english.split("border-start ps-3", 1)[1].split("</ol>", 1)[0]


def test_a_step_by_an_account_without_a_person_shows_no_login(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.REPORTED)
    nobody = get_user_model().objects.create_user("ops-robot-7", password="x-unused-pass-2026")
    from django.contrib.auth.models import Group

    nobody.groups.add(Group.objects.get(name="coordinator"))
    matter_transition(matter=matter, action="accept", actor=nobody)
    html = client_as("coordinator").get(f"/matters/{matter.pk}/", **ZH).content.decode()
    assert "ops-robot-7" not in html
    assert "未登记姓名的工作人员" in html


def test_public_timeline_names_nobody(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.REPORTED)
    coordinator = get_user_model().objects.get(username="coordinator")
    matter_transition(matter=matter, action="accept", actor=coordinator)
    name = Person.objects.get(user=coordinator).name
    html = client_as(None).get(f"/m/{matter.code}/", **ZH).content.decode()
    assert "已受理" in html or "受理" in html
    assert name not in html and "coordinator" not in html and "系统" not in html
