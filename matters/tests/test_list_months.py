"""The monthly lists are the month the committee reviews (issue 14, point 3): a month's problem list is what was
raised in it, its task list every task in hand during it, its effect list what was completed in it; the same on
the portal, the back office, the exports and `manage.py export_list --month`."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from matters.models import Matter
from matters.selectors import MatterFilter, list_queryset
from matters.services import matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status

pytestmark = pytest.mark.usefixtures("demo")


def _at(day: str) -> time_machine.travel:
    return time_machine.travel(dt.datetime.fromisoformat(day + "T02:00:00+00:00"), tick=False)


@pytest.fixture
def autumn() -> dict[str, Matter]:
    """Raised and assigned in October 2031; one completed in mid-November, one still in hand; one raised in
    December; one assigned in December."""
    with _at("2031-10-10"):
        done = matter_in(Status.IN_PROGRESS, problem="十月反映、十一月办结的问题")
        open_one = matter_in(Status.IN_PROGRESS, problem="十月反映、仍在办理的问题")
    with _at("2031-11-15"):
        done = matter_transition(matter=done, action="complete", actor=None, effect="已完成整治")
    with _at("2031-12-02"):
        new = matter_in(Status.REPORTED, problem="十二月新反映的问题")
        december_task = matter_in(Status.ASSIGNED, problem="十二月交办的任务")
    return {"done": done, "open": open_one, "new": new, "december": december_task}


def _codes(list_kind: str, month: str, ours: dict[str, str]) -> set[str]:
    """The codes of our matters on the list of `month` (the demo's own matters are of other months)."""
    qs = list_queryset(list_kind, MatterFilter(month=dt.date.fromisoformat(month + "-01")))
    return set(qs.filter(code__in=ours.values()).values_list("code", flat=True))


@pytest.fixture
def ours(autumn: dict[str, Matter]) -> dict[str, str]:
    return {k: m.code for k, m in autumn.items()}


def test_the_problem_list_of_a_month_is_what_was_raised_in_it(ours: dict[str, str]) -> None:
    assert _codes("problems", "2031-10", ours) == {ours["done"], ours["open"]}
    assert _codes("problems", "2031-12", ours) == {ours["new"], ours["december"]}


def test_the_task_list_of_a_month_is_every_task_in_hand_during_it(ours: dict[str, str]) -> None:
    assert _codes("tasks", "2031-10", ours) == {ours["done"], ours["open"]}
    assert _codes("tasks", "2031-11", ours) == {ours["done"], ours["open"]}  # completed in November: in hand until then
    assert _codes("tasks", "2031-12", ours) == {ours["open"], ours["december"]}
    assert _codes("tasks", "2031-09", ours) == set()


def test_the_effect_list_of_a_month_is_what_was_completed_in_it(ours: dict[str, str]) -> None:
    assert _codes("effects", "2031-10", ours) == set()
    assert _codes("effects", "2031-11", ours) == {ours["done"]}


def test_the_portal_lists_take_the_month_as_the_list_means_it(ours: dict[str, str]) -> None:
    client = Client()
    december = {m.code for m in client.get("/lists/tasks/?month=2031-12").context["page"]}
    assert december == {ours["open"], ours["december"]}
    november = {m.code for m in client.get("/lists/effects/?month=2031-11").context["page"]}
    assert november == {ours["done"]}


def test_the_back_office_list_page_takes_the_month_as_the_list_means_it(ours: dict[str, str], client_as) -> None:  # type: ignore[no-untyped-def]
    page = client_as("coordinator").get("/matters/lists/?list=tasks&month=2031-12").content.decode()
    assert "十月反映、仍在办理的问题" in page and "十二月交办的任务" in page
    assert "十月反映、十一月办结的问题" not in page


def test_export_list_month_writes_the_tasks_in_hand_that_month(ours: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "tasks.csv"
    call_command("export_list", "--list", "tasks", "--month", "2031-12", "-o", str(target), stdout=io.StringIO())
    text = target.read_text(encoding="utf-8-sig")
    assert "十月反映、仍在办理的问题" in text and "十二月交办的任务" in text
    assert "十月反映、十一月办结的问题" not in text
