"""Scores come from the records: each indicator's figure equals the figures page's, every item's points follow the
scheme's rule, and a recomputation from the records, indicator by indicator, gives the same scores."""

from __future__ import annotations

import datetime as dt

import pytest

from core.indicators import registered
from matters.figures import period_matters, rates_by_unit
from oversight.models.assessment import ItemKind
from oversight.selectors import assessment as selectors
from oversight.selectors.assessment import FORBIDDEN_WORDS, score
from oversight.services import assessment as services
from oversight.tests.assessment_world import (
    AFTER_Q1,
    FINDINGS,
    Q1,
    at,
    cell,
    computed,
    person_scheme,
    quarter,
    row,
    unit_scheme,
    with_findings,
)

__all__ = ["with_findings"]
Q1_END = dt.date(2031, 3, 31)


def test_no_registered_indicator_is_one_the_rules_forbid(demo: None) -> None:
    found = registered()
    assert {"matters.on_time", "matters.public_satisfaction", "fieldwork.duties_met", "care.wishes_fulfilled",
            "petitions.closed_of_owned", "enterprises.served", "compounds.linkage_meetings"} <= set(found)  # fmt: skip
    for indicator in found.values():
        text = f"{indicator.key} {indicator.label}".lower()
        assert not any(word in text for word in FORBIDDEN_WORDS), indicator.key


def test_a_units_rates_equal_the_figures_page_of_the_same_period(demo: None) -> None:
    q = quarter()
    with at(AFTER_Q1):
        page = dict(rates_by_unit(period_matters(Q1, Q1_END)))[q.unit]
        for key, expected in [("matters.resolution", page.resolution), ("matters.on_time", page.on_time),
                              ("matters.public_satisfaction", page.public_satisfaction),
                              ("matters.response", page.response)]:  # fmt: skip
            figure = registered()[key].compute(subject="unit", start=Q1, end=Q1_END, ids=[q.unit.pk])[q.unit.pk]
            assert round(100 * figure.value, 1) == expected, key
            assert figure.denominator == len(figure.records)
    public = registered()["matters.public_satisfaction"].compute(subject="unit", start=Q1, end=Q1_END)[q.unit.pk]
    assert (public.numerator, public.denominator) == (3, 5)  # one record a rating, the 不满意 ones are misses
    assert [r.hit for r in public.records if r.pk == q.rated.pk].count(False) == 2


def test_a_persons_figures_count_the_matters_they_lead_and_the_visits_they_made(demo: None) -> None:
    q = quarter()
    with at(AFTER_Q1):
        led = registered()["matters.resolution"].compute(subject="person", start=Q1, end=Q1_END)[q.lead.pk]
        visits = registered()["fieldwork.household_visits"].compute(subject="person", start=Q1, end=Q1_END)
    assert (led.numerator, led.denominator) == (2, 4)  # closed and completed of the four taken on
    assert visits[q.cadre.pk].value == 3 and all(
        r.url.startswith("/fieldwork/visits/") for r in visits[q.cadre.pk].records
    )


def test_scores_equal_a_recomputation_from_the_records_indicator_by_indicator(demo: None, with_findings: None) -> None:
    q = quarter()
    with at(AFTER_Q1):
        scheme = unit_scheme(deduction=True)
        assessment = computed(scheme)
        manual = scheme.items.get(kind=ItemKind.MANUAL)
        services.manual_score_set(actor=None, assessment=assessment, item=manual, subject_id=q.unit.pk, score="25",
                                  reason="作风扎实（测试）")  # fmt: skip
        mine = row(assessment, q.unit.pk)
        expected = 0.0
        for item in scheme.items.order_by("order"):
            got = cell(assessment, q.unit.pk, item.indicator) if item.indicator else mine["cells"][3]
            if item.kind == ItemKind.MANUAL:
                points = 25.0
            else:
                figure = selectors.registered()[item.indicator].compute(
                    subject="unit", start=Q1, end=Q1_END, ids=[q.unit.pk]
                )
                value = figure[q.unit.pk].value
                if item.kind == ItemKind.RATE:
                    points = round(value * float(item.weight), 2)
                else:  # the deduction: one finding, 2 points each, capped at 5
                    points = -min(float(item.cap or 0), float(item.points or 0) * value)
                assert got["value"] == value and len(got["records"]) == len(figure[q.unit.pk].records)
            assert got["points"] == points, item.label
            expected += points
    # resolution 2/4 × 30, on time 2/2 × 20, public 3/5 × 20, manual 25, one finding −2
    assert mine["total"] == round(expected, 2) == 15 + 20 + 12 + 25 - 2
    assert mine["grade"] == "fair" and mine["rank"] == 1


def test_a_count_scores_its_share_of_the_target_and_no_more_than_its_weight(demo: None) -> None:
    q = quarter()
    with at(AFTER_Q1):
        assessment = computed(person_scheme())
    visits = cell(assessment, q.cadre.pk, "fieldwork.household_visits")
    assert visits["value"] == 3 and visits["points"] == 30.0  # 3 of the target 4, × 40
    lead = row(assessment, q.lead.pk)
    assert lead["total"] == 30.0  # no visits: 0; resolution 2/4 × 60


def test_ties_share_a_rank_and_grades_follow_the_schemes_thresholds(demo: None) -> None:
    quarter()
    with at(AFTER_Q1):
        assessment = computed(unit_scheme())
    result = score(assessment)
    totals = [r["total"] for r in result["rows"]]
    assert totals == sorted(totals, reverse=True)
    for first, second in zip(result["rows"], result["rows"][1:], strict=False):
        assert (first["rank"] == second["rank"]) == (first["total"] == second["total"])
    nothing = [r for r in result["rows"] if r["total"] == 0]
    assert nothing and all(r["grade"] == "poor" and r["rank"] == nothing[0]["rank"] for r in nothing)


def test_a_deduction_is_capped(demo: None, with_findings: None) -> None:
    q = quarter()
    with at("2031-02-12"):
        from matters.tests.factories import matter_in
        from matters.workflow import Status

        for n in range(3):
            matter_in(Status.ASSIGNED, problem=f"作风问题：走过场 {n}（测试）")
    with at(AFTER_Q1):
        assessment = computed(unit_scheme(deduction=True))
    got = cell(assessment, q.unit.pk, FINDINGS)
    assert got["value"] == 4 and got["points"] == -5.0  # four findings × 2 points, capped at 5


@pytest.mark.parametrize("kind", ["unit", "person"])
def test_every_scored_subject_has_a_cell_per_item(demo: None, kind: str) -> None:
    quarter()
    with at(AFTER_Q1):
        assessment = computed(unit_scheme() if kind == "unit" else person_scheme())
    assert assessment.result["rows"]
    assert {len(r["cells"]) for r in assessment.result["rows"]} == {len(assessment.result["items"])}
