"""The visit list sorts by its columns, the order kept in the URL; unknown keys keep the default order."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fieldwork.tests.test_duties import visit
from org.models import Person

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 7, 1, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def visits(demo: None) -> None:
    cadre = Person.objects.get(user__username="cadre")
    for day, hours in ((27, "3"), (28, "1"), (29, "5")):
        visit(cadre, dt.date(2022, 6, day), hours=hours)


@time_machine.travel(NOW, tick=False)
@pytest.mark.usefixtures("visits")
def test_visit_list_sorts_by_hours_and_date_both_ways(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("supervisor")
    by_hours = [v.hours for v in client.get("/fieldwork/visits/?sort=hours").context["page"]]
    assert by_hours == sorted(by_hours) and len(by_hours) >= 3
    by_date = [v.date for v in client.get("/fieldwork/visits/?sort=date").context["page"]]
    assert by_date == sorted(by_date)
    html = client.get("/fieldwork/visits/?sort=-hours").content.decode()
    assert 'aria-sort="descending"' in html and "sort=hours" in html


@time_machine.travel(NOW, tick=False)
@pytest.mark.usefixtures("visits")
@pytest.mark.parametrize("bad", ["secret_field", "-", "hours;", "person__phone"])
def test_visit_list_ignores_unknown_sort_keys(client_as, bad: str) -> None:  # type: ignore[no-untyped-def]
    client = client_as("supervisor")
    default = [v.pk for v in client.get("/fieldwork/visits/").context["page"]]
    response = client.get("/fieldwork/visits/", {"sort": bad})
    assert response.status_code == 200 and [v.pk for v in response.context["page"]] == default
