"""The enterprise service board: its tables as charts and .xlsx, from the line's own records."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from enterprises import services
from enterprises.models import EnterpriseProfile, Policy
from fieldwork.models import Visit
from org.models import Person

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_board_counts_who_served_which_enterprises_and_lists_those_nobody_visited() -> None:
    person = Person.objects.get(ref="seed:person:yanglixin")
    profile = EnterpriseProfile.objects.get(unit__ref="demo:enterprise:tongye")
    Visit.objects.create(
        person=person, date=dt.date(2022, 6, 14), hours=2, kind="enterprise", place_kind="enterprise",
        unit=profile.unit, entered_at=NOW,
    )  # fmt: skip
    services.demand_create(actor=None, problem="用工缺口（演示）", enterprise=profile, demand_type="labour")
    page = _client("leader").get("/enterprises/board/")
    assert page.status_code == 200
    tables = {t.key: t for t in page.context["tables"]}
    assert ["杨立新", "1", "1"] in tables["served"].rows
    assert profile.unit.name not in {row[0] for row in tables["not_visited"].rows}
    assert len(tables["not_visited"].rows) == 11
    assert tables["demands"].rows[0][:2] == ["Labour", "1"] or tables["demands"].rows[0][:2] == ["用工", "1"]
    assert 'id="chart-demands"' in page.content.decode()


def test_each_table_downloads_as_xlsx_with_the_same_rows() -> None:
    policy = Policy.objects.get(ref="demo:policy:copper-chain")
    services.delivery_create(
        actor=None, policy=policy, enterprise=EnterpriseProfile.objects.get(unit__ref="demo:enterprise:tongye"),
        person=Person.objects.get(ref="seed:person:yanglixin"), delivered_on=dt.date(2022, 6, 15), way="visit",
        outcome="granted",
    )  # fmt: skip
    response = _client("coordinator").get("/enterprises/board/?table=policies&format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row for row in values if row[0] == policy.title] == [[policy.title, "1", "1", "1", "50.00"]], values


def test_an_unknown_table_is_not_found_and_the_board_is_for_staff_only() -> None:
    assert _client("coordinator").get("/enterprises/board/?table=nothing&format=xlsx").status_code == 404
    assert _client("auditor").get("/enterprises/board/").status_code == 403
