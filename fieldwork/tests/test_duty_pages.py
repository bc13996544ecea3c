"""The duty pages as each persona sees them: one's own week, and the grid of everyone's weeks."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from fieldwork.tests.test_duties import enterprise, solved, visit
from org.models import Person, PersonCategory, Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Friday of 2022-W26 (27 June – 3 July); the grid's default four weeks are W23 to W26.
NOW = dt.datetime(2022, 7, 1, 15, 0, tzinfo=SHANGHAI)
MY_WEEK = "/fieldwork/my-week/"
GRID = "/fieldwork/duties/"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}

Make = Callable[[str | None], Client]


@pytest.fixture(autouse=True)
def frozen_day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _person(ref: str) -> Person:
    return Person.objects.get(ref=ref)


def _page(client: Client, path: str, **params: str) -> str:
    response = client.get(path, params, **EN)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- My week -------------------------------------------------------------------------------------------


def test_a_cadre_sees_hours_and_household_visits_with_what_is_missing(client_as: Make) -> None:
    cadre = _person("demo:person:cadre")
    visit(cadre, dt.date(2022, 6, 27), "governance", hours="15.5")
    html = _page(client_as("cadre"), MY_WEEK)
    assert "2022-W26" in html
    assert "Grassroots hours" in html and "Household visits" in html
    assert "4.5 more hours of grassroots work" in html
    assert "1 more household visit" in html
    assert "Field days" not in html


def test_a_leader_sees_the_three_leader_duties(client_as: Make) -> None:
    leader = _person("seed:person:yanglixin")
    visit(leader, dt.date(2022, 6, 28), "site_visit")
    visit(leader, dt.date(2022, 6, 28), "survey_meeting")
    html = _page(client_as("leader"), MY_WEEK)
    assert "Field days" in html and "Matters solved as lead" in html and "Enterprises served" in html
    assert "1 more field day" not in html
    assert "1 more matter solved as lead" in html
    assert "1 more enterprise served" in html


def test_a_week_with_every_duty_met_says_so(client_as: Make) -> None:
    leader = _person("seed:person:yanglixin")
    visit(leader, dt.date(2022, 6, 28), "enterprise")
    solved(leader, dt.datetime(2022, 6, 29, 10, 0, tzinfo=SHANGHAI))
    html = _page(client_as("leader"), MY_WEEK)
    assert "All weekly duties are met." in html
    assert "more" not in html.split("Weekly duties")[-1].split("Visits this week")[0]


@pytest.mark.parametrize("username", ["cadre", "handler", "leader", "coordinator", "assessor", "supervisor"])
def test_every_working_persona_sees_their_own_week(client_as: Make, username: str) -> None:
    html = _page(client_as(username), MY_WEEK)
    assert "My week" in html
    assert "/fieldwork/visits/new/" in html


def test_the_page_links_to_the_previous_and_next_week_and_to_logging_a_visit(client_as: Make) -> None:
    html = _page(client_as("cadre"), MY_WEEK, week="2022-W01")
    assert "Week 1, 2022 (3–9 Jan)" in html
    assert "?week=2021-W52" in html and "?week=2022-W02" in html
    assert 'href="/fieldwork/visits/new/"' in html


def test_a_chosen_week_counts_only_its_own_visits(client_as: Make) -> None:
    cadre = _person("demo:person:cadre")
    visit(cadre, dt.date(2022, 6, 26), "household", hours="20")  # Sunday of W25
    assert "This week is in progress. Still to do:" in _page(client_as("cadre"), MY_WEEK)
    assert "All weekly duties are met." in _page(client_as("cadre"), MY_WEEK, week="2022-W25")


@pytest.mark.parametrize("bad", ["2022-W60", "2021-W53", "last week", "2022-06-27"])
def test_a_bad_week_is_explained_and_the_current_week_shown(client_as: Make, bad: str) -> None:
    html = _page(client_as("cadre"), MY_WEEK, week=bad)
    assert "alert-danger" in html
    assert "2022-W26" in html


def test_an_account_without_a_person_is_told_so_rather_than_failing(client_as: Make) -> None:
    user = get_user_model().objects.create_user("nobody-cadre", password="x-pass-2026-long")
    user.groups.add(Group.objects.get(name="cadre"))
    client = Client()
    client.force_login(user)
    html = _page(client, MY_WEEK)
    assert "not linked to a person" in html


def test_the_system_administrator_has_no_week_to_log(client_as: Make) -> None:
    assert client_as("sysadmin").get(MY_WEEK).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client_as: Make) -> None:
    response = client_as(None).get(MY_WEEK)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_person_of_category_other_is_told_no_duties_apply(client_as: Make) -> None:
    Person.objects.filter(ref="seed:person:liyongjin").update(category=PersonCategory.OTHER)
    html = _page(client_as("coordinator"), MY_WEEK)
    assert "No weekly duty rules apply to you." in html


# --- The grid ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["coordinator", "assessor", "supervisor"])
def test_the_coordination_assessment_and_supervision_teams_see_the_grid(client_as: Make, username: str) -> None:
    html = _page(client_as(username), GRID)
    for week in ("Week 23, 2022 (6–12 Jun)", "Week 24, 2022", "Week 25, 2022", "Week 26, 2022 (27 Jun – 3 Jul)"):
        assert week in html
    assert "Week 22, 2022" not in html and "Week 27, 2022" not in html
    assert 'value="2022-W23"' in html and 'value="2022-W26"' in html  # the ISO codes stay where machines read
    assert "杨立新" in html and "长宇社区党员干部（演示）" in html


@pytest.mark.parametrize("username", ["cadre", "handler", "leader", "sysadmin"])
def test_others_may_not_see_the_grid(client_as: Make, username: str) -> None:
    assert client_as(username).get(GRID).status_code == 403


def test_each_cell_shows_met_or_short_with_the_numbers_in_text(client_as: Make) -> None:
    leader, cadre = _person("seed:person:yanglixin"), _person("demo:person:cadre")
    visit(leader, dt.date(2022, 6, 28), "enterprise")
    visit(cadre, dt.date(2022, 6, 27), "household", hours="12")
    visit(cadre, dt.date(2022, 6, 28), "governance", hours="7.5")
    visit(cadre, dt.date(2022, 6, 13), "household", hours="20")  # W24: all met
    html = _page(client_as("coordinator"), GRID)
    assert "1/1 d · 0/1 m · 1/1 e" in html
    assert "19.5/20 h · 1/1 hh" in html
    assert "20/20 h · 1/1 hh" in html
    assert "✓" in html and "✗" in html
    assert 'visually-hidden">met' in html and 'visually-hidden">short' in html
    cadre_row = html.split("长宇社区党员干部（演示）")[1].split("</tr>")[0]
    assert ">1/3<" in cadre_row  # weeks met of the weeks ended: the week in progress is not a failure
    assert 'data-state="in_progress"' in cadre_row and "✗" not in cadre_row.split("</td>")[-3]


def test_people_without_rules_are_left_out_of_the_grid(client_as: Make) -> None:
    html = _page(client_as("coordinator"), GRID)
    assert "系统管理员（演示）" not in html


def test_the_grid_filters_by_category_and_unit(client_as: Make) -> None:
    leaders = _page(client_as("coordinator"), GRID, category="leader")
    assert "杨立新" in leaders and "长宇社区党员干部（演示）" not in leaders
    changyu = Unit.objects.get(ref="seed:community:changyu")
    by_unit = _page(client_as("coordinator"), GRID, unit=str(changyu.pk))
    assert "长宇社区党员干部（演示）" in by_unit and "杨立新" not in by_unit


def test_the_grid_shows_the_chosen_weeks_and_at_most_26(client_as: Make) -> None:
    html = _page(client_as("assessor"), GRID, **{"from": "2022-W20", "to": "2022-W22"})
    assert "2022-W20" in html and "2022-W22" in html and "2022-W23" not in html
    html = _page(client_as("assessor"), GRID, **{"from": "2021-W40", "to": "2022-W26"})
    assert "at most 26 weeks" in html
    assert "2022-W01" in html and "2021-W52" not in html


def test_a_bad_week_in_the_grid_is_explained_and_the_default_shown(client_as: Make) -> None:
    html = _page(client_as("coordinator"), GRID, **{"from": "2022-W99"})
    assert "alert-danger" in html and "2022-W23" in html


def test_the_grid_downloads_as_a_workbook_with_a_number_column_per_metric_and_a_met_column(client_as: Make) -> None:
    from openpyxl import load_workbook

    visit(_person("demo:person:cadre"), dt.date(2022, 6, 27), "household", hours="19.5")
    enterprise("演示企业")
    response = client_as("coordinator").get(GRID, {"format": "xlsx", "category": "cadre"}, **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Weekly duties Week 23, 2022 (6–12 Jun) to Week 26, 2022 (27 Jun – 3 Jul)"
    assert "A1:" in str(sheet.merged_cells)  # the title across the table
    header = rows[1]
    assert header[:6] == ["No.", "Name", "Unit", "Duty category", "Week", "Dates"]
    assert header[-3:] == ["Met", "Weeks met", "Weeks counted"]
    cadre = [r for r in rows[2:] if r[1] == "长宇社区党员干部（演示）"]
    assert [r[4] for r in cadre] == ["2022-W23", "2022-W24", "2022-W25", "2022-W26"]
    week_26 = dict(zip(header, cadre[3], strict=True))
    hours = next(h for h in header if str(h).endswith(": done") and "hour" in str(h).lower())
    assert week_26[hours] == 19.5 and isinstance(week_26[hours], float)  # a number Excel can sum
    assert week_26[hours.replace(": done", ": required")] == 20
    assert week_26["Met"] == "in progress"  # 1 July: week 26 runs to 3 July
    assert cadre[0][-2] == 0 and cadre[1][-2] is None  # weeks met: a number, on the person's first row
    assert cadre[0][-1] == 3  # the week still running and not met is not counted yet
    assert all(r[3] != "Leader" for r in rows[2:])
    assert sheet.print_title_rows == "$2:$2"  # the header on every printed page
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


@time_machine.travel(dt.datetime(2022, 6, 29, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_week_still_running_and_not_yet_met_is_in_progress_in_the_workbook(client_as: Make) -> None:
    from openpyxl import load_workbook

    response = client_as("coordinator").get(GRID, {"format": "xlsx", "category": "cadre", "to": "2022-W26"}, **EN)
    rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    states = {r[4]: r[rows[1].index("Met")] for r in rows[2:] if r[1] == "长宇社区党员干部（演示）"}
    assert states["2022-W26"] == "in progress"  # 29 June: week 26 runs to 3 July
    assert states["2022-W25"] == "short"
