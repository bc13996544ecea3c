"""Care's figures: households by category and community, the cadence kept, wishes by state and the average days to
fulfil, against a count by hand; the same tables as .xlsx; no household's name anywhere."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from care import figures, services
from care.models import Household, Wish
from care.tests.conftest import NAME, NOW

pytestmark = pytest.mark.usefixtures("demo")


def test_the_figures_count_households_pairings_and_wishes_per_community_and_the_days_to_fulfil(
    household: Household, open_wish: Wish
) -> None:
    cadre = get_user_model().objects.get(username="cadre")
    second = services.wish_publish(
        actor=None, wish=services.wish_create(actor=None, household=household, text="一把椅子", value=Decimal("50"))
    )
    services.wish_claim(actor=cadre, wish=second)
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        services.wish_confirm(actor=None, wish=second, household_confirmed=True)
    _categories, lines = figures.by_community(NOW.date())
    changyu = next(line for line in lines if line.name == "长宇社区")
    expected_households = Household.objects.filter(community__name="长宇社区").count()
    assert changyu.households == expected_households
    assert (
        changyu.by_category["dibao"]
        == Household.objects.filter(community__name="长宇社区", categories__code="dibao").count()
    )
    assert changyu.wishes["published"] >= 1 and changyu.wishes["fulfilled"] >= 1
    assert changyu.average_days is not None and 3 in changyu.days_to_fulfil
    units = figures.by_claiming_unit()
    assert any(unit.name == "长宇社区" and unit.wishes.get("fulfilled") for unit in units)  # the demo cadre's unit


def test_the_page_shows_charts_with_tables_and_downloads_the_xlsx_without_any_name(
    household: Household, open_wish: Wish, login: Callable[[object], Client]
) -> None:
    page = login("coordinator").get("/care/figures/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="care-chart-data"' in html and "<table" in html and NAME not in html
    sheet = login("coordinator").get("/care/figures/", {"format": "xlsx"})
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert any(row[0] == "长宇社区" for row in rows)
    assert NAME not in str(rows)
    assert login("cadre").get("/care/figures/").status_code == 403
