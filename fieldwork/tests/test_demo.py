"""The demo visits: five weeks up to the campaign's current week, some duties met and some short, loaded once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from campaigns.models import DutyMetric
from fieldwork import demo
from fieldwork.duties import duty_week
from fieldwork.models import PlaceKind, Visit
from org.models import Person, Unit, UnitKind

pytestmark = pytest.mark.usefixtures("demo")

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = dt.datetime(2022, 7, 15, 10, 0, tzinfo=TZ)  # ISO week 2022-W28: the demo covers W24 to W28


def values(person: Person, week: int) -> dict[str, tuple[Decimal, bool]]:
    return {row.metric: (row.value, row.met) for row in duty_week(person, 2022, week)}


@time_machine.travel(FRIDAY, tick=False)
def test_loading_the_demo_twice_adds_nothing_the_second_time() -> None:
    first = demo.load()
    assert first["visits"] > 50
    count = Visit.objects.count()
    assert demo.load() == {"visits": 0, "enterprises": 0}
    assert Visit.objects.count() == count
    # Its own three (the enterprise line's demo adds more under refs of the same kind).
    assert Unit.objects.filter(kind=UnitKind.ENTERPRISE, ref__in=[ref for ref, _name in demo.ENTERPRISES]).count() == 3


@time_machine.travel(FRIDAY, tick=False)
def test_the_demo_has_weeks_met_and_weeks_short() -> None:
    demo.load()
    cadre = Person.objects.get(ref="demo:person:cadre")
    assert values(cadre, 24)[DutyMetric.GRASSROOTS_HOURS] == (Decimal("20"), True)
    assert values(cadre, 24)[DutyMetric.HOUSEHOLD_VISITS] == (Decimal("1"), True)
    assert values(cadre, 25)[DutyMetric.GRASSROOTS_HOURS] == (Decimal("19.5"), False)
    lulu = Person.objects.get(ref="seed:person:lulu")
    assert values(lulu, 26)[DutyMetric.HOUSEHOLD_VISITS] == (Decimal("0"), False)
    yang = Person.objects.get(ref="seed:person:yanglixin")
    assert values(yang, 24)[DutyMetric.ENTERPRISES_SERVED] == (Decimal("1"), True)
    assert values(yang, 26)[DutyMetric.ENTERPRISES_SERVED] == (Decimal("0"), False)
    assert values(yang, 26)[DutyMetric.FIELD_DAYS][1] is True
    zou = Person.objects.get(ref="seed:person:zouguozhu")
    assert values(zou, 25)[DutyMetric.FIELD_DAYS] == (Decimal("0"), False)
    # The last week is the current one: the leaders' visits go to their contact points.
    assert Visit.objects.filter(person=yang, date__gte=dt.date(2022, 7, 11), place_kind=PlaceKind.CONTACT_POINT)


@time_machine.travel(dt.datetime(2022, 7, 13, 10, 0, tzinfo=TZ), tick=False)
def test_the_demo_never_records_a_visit_after_today() -> None:
    demo.load()
    summer = Visit.objects.filter(import_key__startswith="demo:visit:", date__lt=dt.date(2022, 8, 1))
    dates = summer.values_list("date", flat=True)
    assert max(dates) == dt.date(2022, 7, 13)
    assert min(dates) == dt.date(2022, 6, 13)  # the Monday four weeks before


@time_machine.travel(FRIDAY, tick=False)
def test_demo_household_visits_name_no_family() -> None:
    demo.load()
    households = Visit.objects.filter(place_kind=PlaceKind.HOUSEHOLD, import_key__startswith="demo:visit:")
    assert households.exists()
    assert {v.place_detail for v in households} <= {demo.CHANGYU_HOUSEHOLD, demo.WEIWANG_HOUSEHOLD}


def test_a_shifted_demo_ends_in_the_shifted_campaigns_current_week() -> None:
    today = dt.date(2026, 3, 10)
    assert demo.campaign_week_end(shift_months=0, today=today) == dt.date(2022, 12, 31)  # after the campaign: its end
    assert demo.campaign_week_end(shift_months=44, today=today) == today  # shifted to run today
