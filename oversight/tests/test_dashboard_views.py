"""The dashboard page, its .xlsx downloads and GET /api/v1/figures/: what each role sees in its scope, the period
filter and its messages, and downloads equal to the charts' tables."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from matters.services import matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status
from org.models import Person, Unit
from oversight import charts

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 7, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
JULY = "?period=month&month=2022-07"
BAD_PERIODS = [
    ("period=month&month=2022-13", "请按 2022-07 的格式填写月份。"),
    ("period=quarter&quarter=2022-Q5", "请按 2022-Q3 的格式填写季度。"),
    ("from=2022-07-31&to=2022-07-01", "结束日期早于开始日期"),
    ("from=2022-02-30&to=2022-07-01", "开始日期“2022-02-30”不是有效日期"),
    ("from=2022-07-01&to=tomorrow", "结束日期“tomorrow”不是有效日期"),
    ("from=2022-07-01", "请同时填写开始日期和结束日期。"),
    ("from=2020-01-01&to=2022-07-01", "自定义时段最长 400 天"),
    ("from=1900-01-01&to=1900-02-01", "日期须在 2000 年至 2100 年之间。"),
    ("period=decade", "请选择按月、按季度、整个实践活动或自定义起止日期。"),
]


@pytest.fixture(autouse=True)
def _frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def two_units() -> None:
    """Two matters of 基建办 (one completed) and one of 长宇社区, reported in July 2022."""
    matter_in(Status.COMPLETED, problem="基建办办结的事项")
    matter_in(Status.ASSIGNED, problem="基建办在办的事项")
    other = matter_transition(matter=matter_in(Status.REPORTED, problem="长宇社区的事项"), action="accept", actor=None)
    matter_transition(
        matter=other,
        action="assign",
        actor=None,
        task="修复",
        deadline=dt.date(2022, 7, 31),
        leads=[Person.objects.get(name="杨立新")],
        units=[Unit.objects.get(ref="seed:community:changyu")],
    )


def _data(response) -> dict:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    block = page.split('<script id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    return {chart["key"]: chart for chart in json.loads(block)}


def test_the_dashboard_shows_the_headline_every_chart_with_its_table_and_downloads(client_as, two_units) -> None:  # type: ignore[no-untyped-def]
    response = client_as("leader").get("/oversight/dashboard/" + JULY)
    assert response.status_code == 200
    page = response.content.decode()
    assert "全园区" in page and "数据看板" in page
    data = _data(response)
    assert list(data)[: len(charts.KEYS)] == list(charts.KEYS)
    assert {"petition_closed", "wishes_fulfilled", "policies_delivered"} <= set(data)
    for key in ("raised_solved_weekly", "by_unit", "rates_monthly"):
        assert f'id="chart-{key}"' in page and f"/oversight/dashboard/{key}.xlsx?period=month&amp;month=2022-07" in page
    assert page.count("<caption>") >= 8 and 'data-chart="rates_monthly"' in page
    assert 'id="figure-reported"' in page and "群众满意率" in page
    assert data["by_unit"]["series"][0]["values"] == [2]


def test_the_menu_offers_the_dashboard_to_working_roles(client_as) -> None:  # type: ignore[no-untyped-def]
    assert "/oversight/dashboard/" in client_as("handler").get("/").content.decode()
    assert client_as("resident").get("/oversight/dashboard/").status_code in {302, 403}


def test_a_handlers_dashboard_holds_only_its_units_numbers(client_as, two_units) -> None:  # type: ignore[no-untyped-def]
    response = client_as("handler").get("/oversight/dashboard/" + JULY)
    page = response.content.decode()
    assert response.status_code == 200 and "基建办 ·" in page and "全园区" not in page
    data = _data(response)
    assert sum(data["raised_solved_monthly"]["series"][0]["values"]) == 2  # not the community's third matter
    assert data["by_unit"]["labels"] == ["基建办"] and data["by_community"]["labels"] == []
    assert "长宇社区" not in json.dumps(data, ensure_ascii=False)
    headline = {row["key"]: row for row in response.context["headline"]}
    assert headline["reported"]["value"] == 2 and headline["completed"]["value"] == 1
    cadre = _data(client_as("cadre").get("/oversight/dashboard/" + JULY))  # a cadre of 长宇社区: its matter only
    assert sum(cadre["raised_solved_monthly"]["series"][0]["values"]) == 1


@pytest.mark.parametrize(("query", "message"), BAD_PERIODS)
def test_a_bad_period_is_a_clear_message_not_an_error(client_as, query, message) -> None:  # type: ignore[no-untyped-def]
    response = client_as("coordinator").get("/oversight/dashboard/?" + query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="dashboard-data"' not in response.content.decode()


def test_each_period_kind_chooses_its_dates(client_as) -> None:  # type: ignore[no-untyped-def]
    def period(query: str) -> tuple[dt.date, dt.date]:
        found = client_as("coordinator").get("/oversight/dashboard/?" + query).context["period"]
        return found.start, found.end

    assert period("period=month&month=2022-02") == (dt.date(2022, 2, 1), dt.date(2022, 2, 28))
    assert period("period=quarter&quarter=2022-Q3") == (dt.date(2022, 7, 1), dt.date(2022, 9, 30))
    campaign = period("period=campaign")
    assert campaign[0].year == 2022 and campaign[0] <= NOW.date() <= campaign[1]
    assert period("") == campaign  # the campaign running today, by default
    assert period("from=2022-06-03&to=2022-06-09") == (dt.date(2022, 6, 3), dt.date(2022, 6, 9))


def test_a_charts_xlsx_opens_and_equals_its_table(client_as, two_units) -> None:  # type: ignore[no-untyped-def]
    response = client_as("leader").get("/oversight/dashboard/raised_solved_weekly.xlsx" + JULY)
    assert response.status_code == 200
    assert "dashboard-raised_solved_weekly-20220701-20220731.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    spec = charts.raised_solved_weekly(dt.date(2022, 7, 1), dt.date(2022, 7, 31), None)
    columns, table = spec.table()
    assert rows[0][0] == "每周提出与解决" and rows[1][0].startswith("全园区，2022年7月1日至2022年7月31日")
    assert rows[2] == ["项目", *columns[1:]]
    assert rows[3:] == table
    rates = load_workbook(io.BytesIO(client_as("leader").get("/oversight/dashboard/rates_monthly.xlsx" + JULY).content))
    assert [row[0] for row in rates.active.iter_rows(min_row=4, values_only=True)][-1] == "2022年7月"


def test_a_handlers_xlsx_is_its_units_and_a_bad_request_says_why(client_as, two_units) -> None:  # type: ignore[no-untyped-def]
    sheet = load_workbook(io.BytesIO(client_as("handler").get("/oversight/dashboard/by_unit.xlsx" + JULY).content))
    assert [row[0] for row in sheet.active.iter_rows(min_row=4, values_only=True)] == ["基建办"]
    assert client_as("leader").get("/oversight/dashboard/no_such_chart.xlsx" + JULY).status_code == 404
    bad = client_as("leader").get("/oversight/dashboard/by_unit.xlsx?period=month&month=2022-13")
    assert bad.status_code == 400 and "请按 2022-07 的格式填写月份。" in bad.content.decode()


def test_the_api_gives_the_headline_and_every_chart_of_the_period(client_as, two_units) -> None:  # type: ignore[no-untyped-def]
    body = client_as("coordinator").get("/api/v1/figures/?from=2022-07-01&to=2022-07-31").json()
    assert (body["from"], body["to"], body["scope"]) == ("2022-07-01", "2022-07-31", None)
    assert {row["key"] for row in body["headline"]} >= {"reported", "public_satisfaction", "response", "on_time"}
    assert all(set(row) == {"key", "label", "value", "unit", "note"} for row in body["headline"])
    keys = [chart["key"] for chart in body["charts"]]
    assert keys[: len(charts.KEYS)] == list(charts.KEYS) and "petition_closed" in keys
    for chart in body["charts"]:
        assert set(chart) == {"key", "title", "kind", "labels", "series", "unit"}
        assert all(len(s["values"]) == len(chart["labels"]) for s in chart["series"])
    page = client_as("coordinator").get("/oversight/dashboard/?from=2022-07-01&to=2022-07-31")
    assert body["charts"] == list(_data(page).values())
    mine = client_as("handler").get("/api/v1/figures/?from=2022-07-01&to=2022-07-31").json()
    assert mine["scope"]["unit"] == "基建办"
    assert next(row for row in mine["headline"] if row["key"] == "reported")["value"] == 2


@pytest.mark.parametrize(("query", "message"), BAD_PERIODS)
def test_the_api_answers_a_bad_period_with_400_and_its_message(client_as, query, message) -> None:  # type: ignore[no-untyped-def]
    response = client_as("leader").get("/api/v1/figures/?" + query)
    assert response.status_code == 400
    assert any(message in text for text in response.json()["detail"])


def test_the_api_refuses_roles_without_the_dashboard(client_as) -> None:  # type: ignore[no-untyped-def]
    assert client_as("sysadmin").get("/api/v1/figures/").status_code == 403
    assert client_as(None).get("/api/v1/figures/").status_code in {401, 403}


def test_a_handler_without_a_unit_is_refused_rather_than_shown_the_park(client_as) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from accounts.services import account_create, account_set_roles

    user = account_create(actor=None, username="unitless", password="unitless-pass-2026", person=None)
    account_set_roles(actor=None, user=user, roles=["handler"])
    client = Client()
    client.force_login(user)
    assert client.get("/oversight/dashboard/").status_code == 403
    assert client.get("/api/v1/figures/").status_code == 403
    assert client_as("supervisor").get("/oversight/dashboard/").context["scope"] is None
