"""The working-day calendar with make-up working days (调休): declared holidays are off, declared weekend days are
worked, and the deadlines (response windows, chases, circulars) count them. Dates from the State Council's 2026
schedule: 国庆节 1–7 October, Sunday 20 September and Saturday 10 October worked."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from audit.models import AuditEvent
from core.exceptions import DomainError
from core.models import CalendarDay
from matters.deadlines import (
    add_working_days,
    calendar_day_declare,
    calendar_day_remove,
    circular_date,
    holidays,
    is_working_day,
    response_due,
)
from matters.models import DeadlineEvent
from matters.tests.test_deadlines import make_matter

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def official_2026(settings: Any) -> None:
    """The 2026 schedule declared through the command, as the coordination team would; no days in the settings."""
    settings.HOLIDAYS, settings.WORKDAYS = [], []
    call_command("calendar_days", "import", official=2026, stdout=io.StringIO(), stderr=io.StringIO())


def test_a_make_up_saturday_is_a_working_day_and_the_national_day_holidays_are_not(official_2026: None) -> None:
    assert is_working_day(dt.date(2026, 10, 10))  # Saturday, 国庆节调休上班
    assert is_working_day(dt.date(2026, 9, 20))  # Sunday, 国庆节调休上班
    assert not is_working_day(dt.date(2026, 10, 1))  # Thursday, 国庆节
    assert not is_working_day(dt.date(2026, 10, 11))  # an ordinary Sunday
    assert is_working_day(dt.date(2026, 10, 8))  # Thursday after the holiday


def test_a_deadline_counted_across_national_day_counts_the_make_up_saturday(official_2026: None) -> None:
    # Wed 30 Sep + 5 working days: 8 Oct (Thu), 9 (Fri), 10 (Sat, worked), 12 (Mon), 13 (Tue).
    assert add_working_days(dt.date(2026, 9, 30), 5) == dt.date(2026, 10, 13)
    off = holidays()  # one read of the calendar for a chain of counts
    assert circular_date(dt.date(2026, 9, 28), off=off) == dt.date(2026, 10, 10)
    # A bare set of holidays (the former `off=`) still works: no make-up days then.
    assert add_working_days(dt.date(2026, 9, 30), 5, off=off.holidays) == dt.date(2026, 10, 14)


def test_a_matter_reported_on_the_friday_before_a_make_up_saturday_must_be_answered_that_saturday(
    official_2026: None,
) -> None:
    friday = _at("2026-10-09T10:00")
    assert response_due(friday, None) == _at("2026-10-10T10:00")


def test_the_tick_chases_and_circulates_on_a_make_up_saturday(
    official_2026: None, demo: None, time_machine: Any
) -> None:
    time_machine.move_to(_at("2026-09-14T09:00"), tick=False)
    before_holiday = make_matter(deadline=dt.date(2026, 9, 28))  # Monday
    friday = make_matter(deadline=dt.date(2026, 10, 9))
    out = io.StringIO()
    time_machine.move_to(_at("2026-10-09T23:00"), tick=False)
    call_command("tick", now="2026-10-09T23:00", stdout=out)
    assert not DeadlineEvent.objects.filter(matter=before_holiday, kind="circular").exists()
    time_machine.move_to(_at("2026-10-10T08:00"), tick=False)
    call_command("tick", now="2026-10-10T08:00", stdout=out)  # Saturday, worked: the fifth working day
    assert DeadlineEvent.objects.filter(matter=before_holiday, kind="circular", due_on="2026-09-28").exists()
    assert DeadlineEvent.objects.filter(matter=friday, kind="chase", due_on="2026-10-09").exists()


def test_the_settings_give_defaults_and_a_declared_day_overrides_them(settings: Any) -> None:
    settings.HOLIDAYS, settings.WORKDAYS = ["2031-10-01"], ["2031-10-11"]
    assert not is_working_day(dt.date(2031, 10, 1)) and is_working_day(dt.date(2031, 10, 11))
    calendar_day_declare(actor=None, date=dt.date(2031, 10, 11), kind="holiday", name="调整")
    assert not is_working_day(dt.date(2031, 10, 11))
    calendar_day_remove(actor=None, date=dt.date(2031, 10, 11))
    assert is_working_day(dt.date(2031, 10, 11))
    actions = AuditEvent.objects.filter(action__startswith="core.calendar_day_").values_list("action", flat=True)
    assert list(actions.order_by("seq")) == ["core.calendar_day_declare", "core.calendar_day_remove"]


def test_a_weekday_cannot_be_declared_a_make_up_working_day_and_nothing_is_written() -> None:
    with translation.override("en"), pytest.raises(DomainError, match="a make-up working day is a Saturday"):
        calendar_day_declare(actor=None, date=dt.date(2031, 10, 8), kind="workday", name="错")
    assert not CalendarDay.objects.filter(date=dt.date(2031, 10, 8)).exists()


def test_the_command_imports_a_file_and_lists_the_year(tmp_path: Any) -> None:
    path = tmp_path / "2031.csv"
    path.write_text("date,kind,name\n2031-10-01,holiday,国庆节\n# 调休\n2031-10-11,workday,国庆节调休上班\n", "utf-8")
    call_command("calendar_days", "import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("calendar_days", "list", year=2031, stdout=out)
    assert out.getvalue().splitlines() == ["2031-10-01\tholiday\t国庆节", "2031-10-11\tworkday\t国庆节调休上班"]


def test_a_bad_line_in_an_imported_file_names_the_line_and_writes_nothing(tmp_path: Any) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("2031-10-01,holiday,国庆节\n2031-10-32,holiday,错\n", "utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("calendar_days", "import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    weekday = tmp_path / "weekday.csv"
    weekday.write_text("2031-10-01,holiday,国庆节\n2031-10-08,workday,错\n", "utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="Saturday or a Sunday"):
        call_command("calendar_days", "import", str(weekday), stdout=io.StringIO(), stderr=io.StringIO())
    assert not CalendarDay.objects.filter(date__year=2031).exists()
