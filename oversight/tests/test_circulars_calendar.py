"""The working-day calendar's page: the coordination team lists a year's declared days, declares the State Council's
schedule, adds and removes a day; a weekday as a make-up working day is refused with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.models import CalendarDay
from matters.deadlines import is_working_day
from oversight.tests.circulars_world import client_en, july_2031

__all__ = ["client_en", "july_2031"]
URL = "/oversight/calendar/"


def test_the_coordinator_declares_the_2026_schedule_and_sees_the_year(
    client_en: Any, demo: None, july_2031: None
) -> None:
    client = client_en("coordinator")
    CalendarDay.objects.filter(date__year=2026).delete()  # whatever the demo declared
    assert "Declare the State Council" in client.get(f"{URL}?year=2026").content.decode()
    response = client.post(URL, {"official": "2026", "year": "2026"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2026")
    page = client.get(f"{URL}?year=2026").content.decode()
    assert "国庆节调休上班" in page and "2026-10-10" in page
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
    assert is_working_day(dt.date(2026, 10, 10)) and not is_working_day(dt.date(2026, 10, 8 - 1))


def test_a_day_is_declared_and_removed_on_the_page(client_en: Any, demo: None, july_2031: None) -> None:
    client = client_en("supervisor")
    response = client.post(URL, {"date": "2031-10-11", "kind": "workday", "name": "国庆节调休上班", "year": "2031"})
    assert response.status_code == 302
    assert is_working_day(dt.date(2031, 10, 11))  # a Saturday
    assert client.post(URL, {"remove": "2031-10-11", "year": "2031"}).status_code == 302
    assert not CalendarDay.objects.filter(date=dt.date(2031, 10, 11)).exists()


def test_a_weekday_make_up_day_and_a_bad_date_are_refused_and_nothing_is_written(
    client_en: Any, demo: None, july_2031: None
) -> None:
    client = client_en("coordinator")
    response = client.post(URL, {"date": "2031-10-08", "kind": "workday", "name": "错", "year": "2031"})
    assert response.status_code == 200
    assert "2031-10-08 is a weekday: a make-up working day is a Saturday or a Sunday." in response.content.decode()
    bad = client.post(URL, {"remove": "2031-13-01", "year": "2031"}, follow=True)
    assert "Give the date as YYYY-MM-DD." in bad.content.decode()
    assert not CalendarDay.objects.filter(date__year=2031).exists()
    assert client_en("handler").get(URL).status_code == 403
