"""Civilized compound creation: items scored by hand in range, derived from the records (matters solved on time,
linkage meetings held, residents' ratings, the property company's rating; never endorsements), the ranking
against an item-by-item recomputation, titles with their date."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from compounds import selectors, services
from compounds.models import (
    Assessment,
    Checklist,
    CompoundProfile,
    DerivedSource,
    ItemScore,
    ScoringMethod,
    Title,
    TitleAward,
)
from matters.models import Matter
from matters.services import matter_create
from matters.workflow import Status

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 7, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
Q2 = "2022Q2"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _profile(name: str = "长宇新城") -> CompoundProfile:
    return CompoundProfile.objects.get(compound__name=name)


@pytest.fixture
def checklist() -> Checklist:
    sheet = Checklist.objects.create(name="测评表")
    rows = [
        ("机制健全", "10", ScoringMethod.YES_NO, 1, ""),
        ("环境整洁", "20", ScoringMethod.SCALE, 5, ""),
        ("按期办结", "30", ScoringMethod.DERIVED, 1, DerivedSource.ON_TIME),
        ("联动会议", "15", ScoringMethod.DERIVED, 3, DerivedSource.MEETINGS),
        ("事项评价", "15", ScoringMethod.DERIVED, 1, DerivedSource.RATINGS),
        ("物业评价", "10", ScoringMethod.DERIVED, 1, DerivedSource.PROPERTY),
    ]
    for order, (name, weight, method, top, source) in enumerate(rows):
        sheet.items.create(order=order, name=name, weight=Decimal(weight), method=method, top=top, source=source)
    return sheet


def _items(sheet: Checklist) -> list[Any]:
    return list(sheet.items.all())


def _matter(problem: str, *, due: dt.date, done: dt.date | None, ratings: tuple[int, int, int] = (0, 0, 0)) -> Matter:
    matter, _created = matter_create(actor=None, problem=problem, location="长宇新城")
    matter.deadline = due
    matter.accepted_at = matter.assigned_at = matter.reported_at
    if done is not None:
        matter.status = Status.COMPLETED
        matter.completed_at = dt.datetime.combine(done, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    else:
        matter.status = Status.IN_PROGRESS
    matter.rated_satisfied, matter.rated_basically, matter.rated_dissatisfied = ratings
    matter.endorsement_count = 999
    matter.save()
    return matter


def test_the_derived_items_come_from_the_records_and_the_total_is_the_weighted_sum(checklist: Checklist) -> None:
    profile = _profile()
    _matter("长宇新城3栋楼道灯不亮", due=dt.date(2022, 6, 10), done=dt.date(2022, 6, 8), ratings=(3, 1, 0))
    _matter("长宇新城路面破损", due=dt.date(2022, 6, 20), done=dt.date(2022, 6, 25))
    _matter("长宇新城充电桩不足", due=dt.date(2022, 6, 30), done=None)
    sides = {"party_attendees": "甲", "committee_attendees": "乙", "property_attendees": "丙"}
    services.meeting_create(actor=None, profile=profile, held_on=dt.date(2022, 5, 10), **sides)
    services.meeting_create(actor=None, profile=profile, held_on=dt.date(2022, 6, 10), party_attendees="甲")
    for score in (5, 4, 3):
        services.property_rating_add(actor=None, profile=profile, rated_on=dt.date(2022, 6, 1), score=score)
    yes, scale, *_derived = _items(checklist)
    assessment = services.assessment_record(
        actor=None, checklist=checklist, profile=profile, period=Q2, scores={yes.pk: "1", scale.pk: "4"}
    )
    values = {s.item.name: s.value for s in assessment.scores.select_related("item")}
    assert values["按期办结"] == Decimal("0.3333")  # one of three due in the quarter finished by its deadline
    assert values["联动会议"] == Decimal("0.3333")  # one meeting with all three sides, of three for full marks
    assert values["事项评价"] == Decimal("0.8750")  # (3 + 1/2) / 4 ratings; the 999 endorsements count for nothing
    assert values["物业评价"] == Decimal("0.7500")  # average 4 on 1–5
    # 10 + 20·4/5 + 30·0.3333 + 15·0.3333 + 15·0.875 + 10·0.75
    assert assessment.total == Decimal("10") + Decimal("16") + Decimal("10.00") + Decimal("5.00") + Decimal(
        "13.13"
    ) + Decimal("7.50")


@pytest.mark.parametrize(("item", "value"), [(0, "2"), (1, "6"), (1, "-1"), (1, "2.5"), (1, "abc"), (1, "NaN")])
def test_a_score_outside_the_items_range_is_refused_and_nothing_written(
    checklist: Checklist, item: int, value: str
) -> None:
    yes, scale = _items(checklist)[:2]
    scores = {yes.pk: "1", scale.pk: "3"}
    scores[[yes, scale][item].pk] = value
    with pytest.raises(ValidationError):
        services.assessment_record(actor=None, checklist=checklist, profile=_profile(), period=Q2, scores=scores)
    assert not Assessment.objects.exists() and not ItemScore.objects.exists()


def test_the_assessor_scores_over_http_and_an_out_of_range_score_is_a_form_error(
    client_as: Any, checklist: Checklist
) -> None:
    yes, scale = _items(checklist)[:2]
    url = f"/compounds/{_profile().pk}/assess/{checklist.pk}/"
    client = client_as("assessor")
    refused = client.post(url, {"period": Q2, f"item_{yes.pk}": "1", f"item_{scale.pk}": "9"})
    assert refused.status_code == 200 and refused.context["form"].errors[f"item_{scale.pk}"]
    assert not Assessment.objects.exists()
    done = client.post(url, {"period": Q2, f"item_{yes.pk}": "1", f"item_{scale.pk}": "5"})
    assert done.status_code == 302
    scored_by = Assessment.objects.get().scored_by
    assert scored_by is not None and scored_by.username == "assessor"
    assert client_as("cadre").post(url, {"period": Q2}).status_code == 403


def test_a_quarter_not_yet_begun_is_refused(checklist: Checklist) -> None:
    yes, scale = _items(checklist)[:2]
    with pytest.raises(ValidationError, match="not begun"):
        services.assessment_record(
            actor=None, checklist=checklist, profile=_profile(), period="2022Q4", scores={yes.pk: 1, scale.pk: 1}
        )


def test_the_ranking_agrees_with_an_item_by_item_recomputation(client_as: Any, checklist: Checklist) -> None:
    rng = random.Random(17)
    items = _items(checklist)
    profiles = list(CompoundProfile.objects.all())
    for profile in profiles:
        for _ in range(rng.randint(0, 4) if profile.has_property_company else 0):
            services.property_rating_add(
                actor=None, profile=profile, rated_on=dt.date(2022, 5, rng.randint(1, 28)), score=rng.randint(1, 5)
            )
        services.assessment_record(
            actor=None,
            checklist=checklist,
            profile=profile,
            period=Q2,
            scores={items[0].pk: rng.randint(0, 1), items[1].pk: rng.randint(0, 5)},
        )
    ranked = selectors.ranking(period=Q2)
    assert len(ranked) == len(profiles)
    recomputed = {}
    for row in ranked:
        total = Decimal(0)
        for score in row.assessment.scores.select_related("item"):
            top = score.item.top if score.item.method == ScoringMethod.SCALE else 1
            total += (score.item.weight * score.value / top).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert total == row.assessment.total == sum(points for _name, _value, points in row.breakdown)
        recomputed[row.assessment.compound_id] = total
    totals = [row.assessment.total for row in ranked]
    assert totals == sorted(recomputed.values(), reverse=True)
    for row in ranked:  # equal totals share the rank of the first of them
        assert row.rank == 1 + sum(1 for t in totals if t > row.assessment.total)
    page = client_as("leader").get("/compounds/ranking/", {"period": Q2}).content.decode()
    assert all(row.assessment.compound.compound.name in page for row in ranked)


def test_a_title_is_awarded_with_its_date_only_after_an_assessment_and_not_in_the_future(checklist: Checklist) -> None:
    profile = _profile()
    with pytest.raises(ValidationError):
        services.title_award(
            actor=None, profile=profile, checklist=checklist, title=Title.MODEL, awarded_on=dt.date(2022, 7, 1)
        )
    yes, scale = _items(checklist)[:2]
    services.assessment_record(
        actor=None, checklist=checklist, profile=profile, period=Q2, scores={yes.pk: 1, scale.pk: 5}
    )
    with pytest.raises(ValidationError, match="future"):
        services.title_award(
            actor=None, profile=profile, checklist=checklist, title=Title.MODEL, awarded_on=dt.date(2022, 7, 6)
        )
    award = services.title_award(
        actor=None, profile=profile, checklist=checklist, title=Title.MODEL, awarded_on=dt.date(2022, 7, 1)
    )
    assert TitleAward.objects.get() == award and award.awarded_on == dt.date(2022, 7, 1)


def test_a_compound_without_a_property_company_cannot_rate_one() -> None:
    profile = _profile("杨亦主小区")
    assert not profile.has_property_company
    with pytest.raises(ValidationError):
        services.property_rating_add(actor=None, profile=profile, rated_on=dt.date(2022, 6, 1), score=4)


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The refusals are matched by their English msgids (their Chinese is checked by check-translations)."""
    with translation.override("en"):
        yield
