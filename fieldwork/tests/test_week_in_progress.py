"""Weeks in progress are not failures, and weeks are written as people write them (issue 14, point 4)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from fieldwork.duties import DutyState, duty_week, rows_state, week_ended, week_label, week_title
from fieldwork.tests.test_duty_pages import visit
from org.models import Person

pytestmark = pytest.mark.usefixtures("demo")
THURSDAY = dt.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # in 2026-W49


@pytest.mark.parametrize(
    ("language", "year", "week", "title"),
    [
        ("zh-hans", 2025, 49, "2025年第49周（12.1—12.7）"),
        ("en", 2025, 49, "Week 49, 2025 (1–7 Dec)"),
        ("zh-hans", 2026, 1, "2026年第1周（12.29—1.4）"),
        ("en", 2026, 1, "Week 1, 2026 (29 Dec – 4 Jan)"),
    ],
)
def test_a_week_is_written_as_people_write_it(language: str, year: int, week: int, title: str) -> None:
    with translation.override(language):
        assert week_title(year, week) == title
        assert week_label(year, week) == f"{year}-W{week:02d}"  # the machine's code is unchanged


@time_machine.travel(THURSDAY, tick=False)
def test_the_current_week_unmet_is_in_progress_and_the_last_one_unmet_is_short() -> None:
    cadre = Person.objects.get(ref="demo:person:cadre")
    assert not week_ended(2026, 49) and week_ended(2026, 48)
    this_week = duty_week(cadre, 2026, 49)
    last_week = duty_week(cadre, 2026, 48)
    assert this_week and rows_state(this_week) == DutyState.IN_PROGRESS
    assert {row.state for row in this_week} == {DutyState.IN_PROGRESS}
    assert rows_state(last_week) == DutyState.SHORT


@time_machine.travel(THURSDAY, tick=False)
def test_my_week_shows_the_current_week_in_progress_with_what_is_missing(client_as) -> None:  # type: ignore[no-untyped-def]
    cadre = Person.objects.get(ref="demo:person:cadre")
    visit(cadre, dt.date(2026, 12, 1), "household", hours="12")
    html = client_as("cadre").get("/fieldwork/my-week/").content.decode()
    assert "2026年第49周（11.30—12.6）" in html
    note = html.split('id="mq-week-in-progress"')[1].split("</div>")[0]
    assert "本周进行中" in note and "8" in note  # 8 more hours of grassroots work
    assert "未达标" not in html.split("<tbody>")[1].split("</tbody>")[0]
    last = client_as("cadre").get("/fieldwork/my-week/", {"week": "2026-W48"}).content.decode()
    assert "未达标" in last


@time_machine.travel(THURSDAY, tick=False)
def test_the_duty_report_marks_the_week_in_progress_and_counts_only_the_weeks_decided() -> None:
    from fieldwork import duty_report
    from fieldwork.duties import campaign_for_week

    cadre = Person.objects.get(ref="demo:person:cadre")
    with translation.override("en"):
        section = duty_report._week_section(
            cadre, dt.date(2026, 11, 23), dt.date(2026, 12, 3), campaign_for_week(2026, 49)
        )
    assert section.table is not None
    rows = list(section.table.rows)
    last, before = rows[-1], rows[-2]
    assert all(cell.endswith(duty_report.IN_PROGRESS) for cell in last[2:])
    assert all(cell.endswith(duty_report.SHORT) for cell in before[2:])
    assert section.lines[0].startswith("Duties met in 0 of 1 weeks.")  # the week in progress is not counted
