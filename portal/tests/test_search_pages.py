"""Searching the public lists: newest matches first, a count that stops at the limit, pages of ids."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from matters.tests.factories import matter_in
from portal import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(demo: None):  # type: ignore[no-untyped-def]
    with time_machine.travel("2022-07-15 10:00:00+08:00", tick=False):
        yield


def test_a_search_lists_the_newest_matches_first_and_counts_them() -> None:
    older = matter_in("accepted", problem="幸福路路灯不亮已经三天")
    newer = matter_in("accepted", problem="和平路路灯不亮很久了")
    matter_in("accepted", problem="小区电梯故障，与照明无关")
    response = Client().get("/lists/problems/", {"q": "路灯不亮"})
    assert [m.pk for m in response.context["page"]] == [newer.pk, older.pk]
    paginator = response.context["page"].paginator
    assert paginator.count == 2 and not paginator.capped


def test_a_search_matching_more_than_the_limit_says_so_and_pages_within_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 3)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    made = [matter_in("accepted", problem=f"第{i}处下水道堵塞，污水外溢") for i in range(5)]
    first = Client().get("/lists/problems/", {"q": "下水道"})
    paginator = first.context["page"].paginator
    assert paginator.capped and paginator.count == 3 and paginator.num_pages == 2
    assert [m.pk for m in first.context["page"]] == [made[4].pk, made[3].pk]
    second = Client().get("/lists/problems/", {"q": "下水道", "page": "2"})
    assert [m.pk for m in second.context["page"]] == [made[2].pk]
    assert "3" in first.content.decode().split('role="status"')[1][:200]


def test_a_page_of_a_filtered_list_holds_only_rows_that_pass_the_filter() -> None:
    kept = matter_in("in_progress", problem="人民路井盖破损需要更换")
    matter_in("closed", problem="人民路井盖破损已经更换")
    page = Client().get("/lists/tasks/", {"q": "井盖", "status": "in_progress"}).context["page"]
    assert [m.pk for m in page] == [kept.pk]
