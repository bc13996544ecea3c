"""Each kind of circular drafted from planted records, its figures equal to the records; the assessment's indicator
`circulars.received` counts the critical circulars issued that name a unit or a person, each one a record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from campaigns import services as campaign_services
from core.exceptions import DomainError
from core.indicators import compute, registered
from fieldwork.services import visit_create
from matters.services import matter_transition
from matters.tests.factories import matter_in
from org.models import Person, Unit
from oversight.models.circulars import Circular
from oversight.selectors.circulars import clue_measures, draft_for
from oversight.services import circulars as services
from oversight.tests.circulars_world import JUNE, codes, draft, issued, july_2031, overdue_june
from oversight.tests.reviews_world import at, campaign

__all__ = ["campaign", "july_2031", "overdue_june"]


def test_the_overdue_circular_counts_each_units_overdue_matters_at_the_periods_end(overdue_june: dict) -> None:
    made = draft_for("overdue", *JUNE)
    late, changyu = overdue_june["late"], overdue_june["late_changyu"]
    assert made.rows == [
        ["1", "基建办", "2", codes(*late), "20"],  # due 10 June: 20 days overdue on 30 June
        ["2", "长宇社区", "1", changyu.code, "18"],
    ]
    assert made.unit_ids == [overdue_june["jijian"].pk, overdue_june["changyu"].pk]
    assert "3 matters" in made.lead and "2 responsible units" in made.lead
    assert overdue_june["on_the_day"].code not in made.body and overdue_june["not_due"].code not in made.body


def test_a_matter_completed_late_still_counts_and_one_completed_in_time_does_not(overdue_june: dict) -> None:
    first, second = overdue_june["late"]
    with at("2031-07-01"):  # completed after the period: overdue at its end
        matter_transition(matter=first, action="complete", actor=None, effect="路灯已修复")
    with at("2031-06-29"):  # its due date was 20 June: completed late, but before the period's end
        matter_transition(matter=second, action="complete", actor=None, effect="路灯已修复")
    rows = draft_for("overdue", *JUNE).rows
    assert rows[0][1:4] == ["基建办", "1", first.code]


@pytest.fixture
def household_duty(campaign: Any, july_2031: None) -> dict[str, Any]:
    """The 2031 campaign asks every cadre for a household visit a week; the demo cadre visits in the first week of
    June only."""
    campaign_services.duty_rule_create(
        actor=None, campaign=campaign, role="cadre", metric="household_visits", threshold=Decimal(1)
    )
    cadre = Person.objects.get(ref="demo:person:cadre")
    with at("2031-06-03"):
        visit_create(
            actor=None, person=cadre, date=dt.date(2031, 6, 3), kind="household", hours=Decimal(2),
            place_kind="household", place_detail="杨亦主小区3栋",
        )  # fmt: skip
    return {"cadre": cadre, "period": (dt.date(2031, 6, 2), dt.date(2031, 6, 15))}


def test_the_duties_circular_names_each_cadre_short_in_a_week_with_the_weeks_counted(household_duty: dict) -> None:
    from fieldwork.duties import CATEGORY_ROLES

    made = draft_for("duties", *household_duty["period"])
    cadre = household_duty["cadre"]
    cadres = Person.objects.filter(category="cadre")
    assert "cadre" in CATEGORY_ROLES and len(made.rows) == cadres.count()
    by_name = {row[2]: row for row in made.rows}
    assert by_name[cadre.display_name][1:5] == [cadre.unit.name, cadre.display_name, "1", "2"]
    others = [row for row in made.rows if row[2] != cadre.display_name]
    assert others and all(row[3:5] == ["2", "2"] for row in others)
    assert set(made.person_ids) == set(cadres.values_list("pk", flat=True))
    assert set(made.unit_ids) == set(cadres.values_list("unit_id", flat=True))


def test_the_good_examples_circular_commends_units_that_completed_on_time(demo: None, july_2031: None) -> None:
    with at("2031-06-05"):
        done = [matter_in("completed") for _i in range(3)]  # 基建办, deadline today: on time
    made = draft_for("good", *JUNE)
    assert made.rows == [["1", "基建办", "3", "100.0%", "—"]]
    assert made.unit_ids == [Unit.objects.get(name="基建办").pk]
    assert len(done) == 3


def test_the_founded_clues_circular_lists_the_measures_or_says_they_are_not_recorded_yet(
    demo: None, july_2031: None
) -> None:
    if clue_measures(*JUNE) is None:  # the clues area's conclusions and measures are not merged here yet
        with pytest.raises(DomainError, match="not recorded yet"):
            services.circular_draft(actor=None, kind="clues", start=JUNE[0], end=JUNE[1])
        assert not Circular.objects.exists()
    else:
        made = draft_for("clues", *JUNE)
        assert len(made.rows) == len(clue_measures(*JUNE) or [])


def test_circulars_received_is_a_deduction_per_critical_circular_naming_the_unit(overdue_june: dict) -> None:
    indicator = registered()["circulars.received"]
    assert indicator.kind == "deduction" and set(indicator.subjects) == {"unit", "person"}
    first, second = issued(), issued()
    praise = services.circular_issue(actor=None, circular=services.circular_update(
        actor=None, circular=draft("good"), title="表扬", units=[overdue_june["jijian"]]
    ))  # fmt: skip
    july = (dt.date(2031, 7, 1), dt.date(2031, 7, 31))
    figures = compute("circulars.received", subject="unit", start=july[0], end=july[1])
    jijian = figures[overdue_june["jijian"].pk]
    assert jijian.value == 2 and [r.pk for r in jijian.records] == [first.pk, second.pk]
    assert all(r.model == "oversight.circular" for r in jijian.records) and praise.pk not in {
        r.pk for r in jijian.records
    }
    assert compute("circulars.received", subject="unit", start=JUNE[0], end=JUNE[1]) == {}  # issued in July
    only = compute("circulars.received", subject="unit", start=july[0], end=july[1], ids=[overdue_june["changyu"].pk])
    assert list(only) == [overdue_june["changyu"].pk]


def test_circulars_received_counts_the_persons_named(household_duty: dict) -> None:
    circular = services.circular_issue(actor=None, circular=draft("duties", household_duty["period"]))
    cadre = household_duty["cadre"]
    figures = compute("circulars.received", subject="person", start=dt.date(2031, 7, 1), end=dt.date(2031, 7, 31))
    assert figures[cadre.pk].value == 1 and figures[cadre.pk].records[0].pk == circular.pk
