"""Weekly duties: each rule at and around its threshold, counted over the ISO week, from the campaign's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from campaigns.models import Campaign, DutyMetric, DutyRole, DutyRule
from fieldwork.duties import DutyRow, duty_grid, duty_rules_for, duty_week
from fieldwork.models import Visit
from fieldwork.services import visit_create
from fieldwork.tests.entry import on_the_day
from matters.models import Matter
from matters.tests.factories import matter_in
from org.models import Person, PersonCategory, Unit, UnitKind

pytestmark = pytest.mark.usefixtures("demo")

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Sunday evening of 2022-W26 (27 June – 3 July), a week across a month boundary, inside the seed's campaign.
NOW = dt.datetime(2022, 7, 3, 21, 0, tzinfo=SHANGHAI)
W26 = (2022, 26)
MON, THU, SUN = dt.date(2022, 6, 27), dt.date(2022, 6, 30), dt.date(2022, 7, 3)


@pytest.fixture(autouse=True)
def frozen_day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


def leader() -> Person:
    return Person.objects.get(ref="seed:person:yanglixin")


def cadre() -> Person:
    return Person.objects.get(ref="demo:person:cadre")


def enterprise(name: str) -> Unit:
    park = Unit.objects.get(ref="seed:park")
    return Unit.objects.get_or_create(name=name, parent=park, defaults={"kind": UnitKind.ENTERPRISE})[0]


def visit(person: Person, day: dt.date, kind: str = "site_visit", *, hours: str = "2", **place: Any) -> Visit:
    """A visit logged through the service; the place follows the kind unless given."""
    if not place:
        if kind == "enterprise":
            place = {"place_kind": "enterprise", "unit": enterprise("华中精密制造有限公司")}
        elif kind == "household":
            place = {"place_kind": "household", "place_detail": "杨亦主小区3栋"}
        else:
            place = {"place_kind": "community", "unit": Unit.objects.get(ref="seed:community:changyu")}
    return visit_create(
        actor=None, person=person, date=day, kind=kind, hours=Decimal(hours), now=on_the_day(day), **place
    )


def solved(person: Person, at: dt.datetime) -> Matter:
    """A matter the person leads, completed at `at`."""
    matter = matter_in("completed")
    matter.leads.set([person])
    matter.completed_at = at
    matter.save(update_fields=["completed_at"])
    return matter


def rows_by_metric(person: Person, week: tuple[int, int] = W26) -> dict[str, DutyRow]:
    return {row.metric: row for row in duty_week(person, *week)}


# --- Which rules apply -----------------------------------------------------------------------------------


def test_a_leader_has_the_three_leader_rules_of_the_seed_in_display_order() -> None:
    rules = duty_rules_for(leader())
    assert [(r.metric, r.threshold) for r in rules] == [
        ("field_days", Decimal(1)),
        ("matters_solved", Decimal(1)),
        ("enterprises_served", Decimal(1)),
    ]


def test_a_cadre_has_twenty_hours_and_household_visits() -> None:
    assert [(r.metric, r.threshold) for r in duty_rules_for(cadre())] == [
        ("grassroots_hours", Decimal(20)),
        ("household_visits", Decimal(1)),
    ]


def test_a_person_of_category_other_has_no_rules_and_owes_nothing() -> None:
    admin = Person.objects.get(ref="demo:person:sysadmin")
    assert admin.category == PersonCategory.OTHER
    assert duty_rules_for(admin) == []
    assert duty_week(admin, *W26) == []


def test_the_committees_monthly_review_meeting_is_not_a_personal_rule() -> None:
    assert DutyRule.objects.filter(role=DutyRole.COMMITTEE).exists()
    metrics = {row.metric for p in Person.objects.all() for row in duty_week(p, *W26)}
    assert DutyMetric.REVIEW_MEETINGS not in metrics


def test_changing_a_threshold_in_the_campaign_changes_the_result() -> None:
    visit(cadre(), MON, "household", hours="19.5")
    assert rows_by_metric(cadre())["grassroots_hours"].met is False
    DutyRule.objects.filter(role=DutyRole.CADRE, metric=DutyMetric.GRASSROOTS_HOURS).update(threshold=Decimal(16))
    row = rows_by_metric(cadre())["grassroots_hours"]
    assert (row.threshold, row.met) == (Decimal(16), True)


def test_a_rule_removed_from_the_campaign_is_no_longer_evaluated() -> None:
    DutyRule.objects.filter(role=DutyRole.LEADER, metric=DutyMetric.ENTERPRISES_SERVED).delete()
    assert set(rows_by_metric(leader())) == {"field_days", "matters_solved"}


def test_a_monthly_rule_for_leaders_is_not_counted_per_week() -> None:
    campaign = Campaign.objects.get(ref="seed:campaign:2022")
    DutyRule.objects.create(
        campaign=campaign, role=DutyRole.LEADER, metric=DutyMetric.FIELD_DAYS, threshold=Decimal(4), period="month"
    )
    assert [r.threshold for r in duty_rules_for(leader()) if r.metric == "field_days"] == [Decimal(1)]


def test_rules_of_another_campaign_apply_in_its_own_weeks() -> None:
    seed = Campaign.objects.get(ref="seed:campaign:2022")
    later = Campaign.objects.create(
        name="2023 活动", organiser=seed.organiser, starts_on=dt.date(2023, 3, 1), ends_on=dt.date(2023, 6, 30)
    )
    DutyRule.objects.create(campaign=later, role=DutyRole.CADRE, metric=DutyMetric.GRASSROOTS_HOURS, threshold=8)
    assert [r.threshold for r in duty_week(cadre(), 2023, 12)] == [Decimal(8)]
    assert [r.threshold for r in duty_week(cadre(), *W26)] == [Decimal(20), Decimal(1)]


# --- Cadres: hours and household visits ------------------------------------------------------------------


def test_nineteen_and_a_half_hours_fall_short_of_twenty() -> None:
    visit(cadre(), MON, "party_building", hours="8")
    visit(cadre(), THU, "governance", hours="6.5")
    visit(cadre(), SUN, "household", hours="5")
    row = rows_by_metric(cadre())["grassroots_hours"]
    assert (row.value, row.threshold, row.met) == (Decimal("19.5"), Decimal(20), False)
    assert row.missing_text == "0.5 more hours of grassroots work"


def test_twenty_hours_meet_the_rule_exactly() -> None:
    visit(cadre(), MON, "party_building", hours="8")
    visit(cadre(), THU, "emergency", hours="12")
    row = rows_by_metric(cadre())["grassroots_hours"]
    assert (row.value, row.met, row.missing_text) == (Decimal(20), True, "")


def test_hours_of_every_kind_of_visit_count_but_only_inside_the_week() -> None:
    visit(cadre(), MON - dt.timedelta(days=1), "governance", hours="10")  # Sunday of W25
    visit(cadre(), MON, "policy_talk", hours="3")
    visit(cadre(), SUN, "petitioner", hours="4")
    assert rows_by_metric(cadre())["grassroots_hours"].value == Decimal(7)
    assert rows_by_metric(cadre(), (2022, 25))["grassroots_hours"].value == Decimal(10)


def test_one_household_visit_meets_the_household_rule_and_none_does_not() -> None:
    visit(cadre(), MON, "governance", hours="4")
    row = rows_by_metric(cadre())["household_visits"]
    assert (row.value, row.met, row.missing_text) == (Decimal(0), False, "1 more household visit")
    visit(cadre(), THU, "household", hours="1")
    assert rows_by_metric(cadre())["household_visits"].met is True


def test_two_household_visits_count_twice() -> None:
    visit(cadre(), MON, "household", hours="1")
    visit(cadre(), MON, "household", hours="1", place_kind="household", place_detail="长宇新城5栋")
    assert rows_by_metric(cadre())["household_visits"].value == Decimal(2)


# --- Leaders: field days, matters solved, enterprises served -----------------------------------------------


def test_a_field_day_spanning_two_visits_on_one_date_counts_once() -> None:
    visit(leader(), THU, "site_visit", hours="2")
    visit(leader(), THU, "survey_meeting", hours="3")
    row = rows_by_metric(leader())["field_days"]
    assert (row.value, row.met) == (Decimal(1), True)


def test_field_days_on_two_dates_count_twice() -> None:
    visit(leader(), MON, "site_visit")
    visit(leader(), SUN, "household")
    assert rows_by_metric(leader())["field_days"].value == Decimal(2)


def test_work_that_is_not_a_field_visit_makes_no_field_day() -> None:
    visit(leader(), MON, "party_building", hours="6")
    visit(leader(), THU, "policy_talk", hours="2")
    row = rows_by_metric(leader())["field_days"]
    assert (row.value, row.met, row.missing_text) == (Decimal(0), False, "1 more field day")


def test_no_enterprise_visit_falls_short_and_one_meets_the_rule() -> None:
    assert rows_by_metric(leader())["enterprises_served"].met is False
    visit(leader(), THU, "enterprise")
    row = rows_by_metric(leader())["enterprises_served"]
    assert (row.value, row.met) == (Decimal(1), True)


def test_the_same_enterprise_twice_is_one_enterprise_served() -> None:
    visit(leader(), MON, "enterprise")
    visit(leader(), THU, "enterprise")
    visit(leader(), THU, "site_visit", place_kind="enterprise", unit=enterprise("长江汽配有限公司"))
    assert rows_by_metric(leader())["enterprises_served"].value == Decimal(1)
    visit(leader(), SUN, "enterprise", place_kind="enterprise", unit=enterprise("长江汽配有限公司"))
    assert rows_by_metric(leader())["enterprises_served"].value == Decimal(2)


def test_enterprise_visits_without_a_unit_count_once_each() -> None:
    visit(leader(), MON, "enterprise", place_kind="other", place_detail="园区外一家小微企业")
    visit(leader(), THU, "enterprise", place_kind="other", place_detail="另一家个体商户")
    assert rows_by_metric(leader())["enterprises_served"].value == Decimal(2)


def test_a_matter_completed_in_the_week_counts_as_solved_by_its_lead() -> None:
    row = rows_by_metric(leader())["matters_solved"]
    assert (row.value, row.met, row.missing_text) == (Decimal(0), False, "1 more matter solved as lead")
    solved(leader(), dt.datetime(2022, 6, 29, 16, 0, tzinfo=SHANGHAI))
    assert rows_by_metric(leader())["matters_solved"].met is True


def test_matters_solved_are_counted_by_local_completion_time_in_the_week() -> None:
    # Sunday 23:30 in Shanghai is still W26; Monday 00:10 is W27 even though it is Sunday in UTC.
    solved(leader(), dt.datetime(2022, 7, 3, 23, 30, tzinfo=SHANGHAI))
    solved(leader(), dt.datetime(2022, 7, 4, 0, 10, tzinfo=SHANGHAI))
    solved(leader(), dt.datetime(2022, 6, 26, 23, 59, tzinfo=SHANGHAI))
    assert rows_by_metric(leader())["matters_solved"].value == Decimal(1)
    assert rows_by_metric(leader(), (2022, 27))["matters_solved"].value == Decimal(1)
    assert rows_by_metric(leader(), (2022, 25))["matters_solved"].value == Decimal(1)


def test_a_matter_completed_then_returned_for_redo_is_not_solved() -> None:
    matter = solved(leader(), dt.datetime(2022, 6, 29, 16, 0, tzinfo=SHANGHAI))
    Matter.objects.filter(pk=matter.pk).update(status="in_progress")
    assert rows_by_metric(leader())["matters_solved"].value == Decimal(0)


def test_a_matter_counts_only_for_its_leads() -> None:
    other = Person.objects.get(ref="seed:person:lvxiangyang")
    solved(other, dt.datetime(2022, 6, 29, 16, 0, tzinfo=SHANGHAI))
    assert rows_by_metric(leader())["matters_solved"].value == Decimal(0)
    assert rows_by_metric(other)["matters_solved"].value == Decimal(1)


def test_a_leader_meeting_all_three_rules() -> None:
    visit(leader(), THU, "enterprise")
    solved(leader(), dt.datetime(2022, 7, 1, 9, 0, tzinfo=SHANGHAI))
    rows = duty_week(leader(), *W26)
    assert [(r.metric, r.value, r.met) for r in rows] == [
        ("field_days", Decimal(1), True),
        ("matters_solved", Decimal(1), True),
        ("enterprises_served", Decimal(1), True),
    ]
    assert " · ".join(r.short_text for r in rows) == "1/1 d · 1/1 m · 1/1 e"


def test_visits_of_one_person_do_not_count_for_another() -> None:
    visit(cadre(), MON, "household", hours="20")
    other = Person.objects.get(ref="demo:person:handler")
    assert rows_by_metric(other)["grassroots_hours"].value == Decimal(0)


# --- The grid ------------------------------------------------------------------------------------------


def test_the_grid_gives_the_same_rows_as_each_week_alone() -> None:
    visit(cadre(), MON, "household", hours="20")
    visit(leader(), dt.date(2022, 6, 22), "site_visit")
    people = [leader(), cadre()]
    weeks = [(2022, 25), (2022, 26)]
    grid = duty_grid(people, weeks)
    for person in people:
        for week in weeks:
            assert grid[(person.pk, week)] == duty_week(person, *week)


def test_the_grid_takes_a_constant_number_of_queries() -> None:
    people = list(Person.objects.filter(category__in=["leader", "cadre"]))
    for index, person in enumerate(people[:6]):
        visit(person, MON + dt.timedelta(days=index), "household", hours="3")
    with CaptureQueriesContext(connection) as small:
        duty_grid(people[:1], [W26])
    with CaptureQueriesContext(connection) as large:
        duty_grid(people, [(2022, w) for w in range(1, 27)])
    assert len(large.captured_queries) == len(small.captured_queries) <= 4
