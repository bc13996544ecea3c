"""The preparation is the month as the other faces count it: the lists' counts are matters.selectors', the rates
are matters.figures', each line contributes its section, and last month's values stand beside this month's."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from matters import figures
from matters.selectors import MatterFilter, list_queryset
from matters.services import matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status
from oversight.selectors.reviews import prepare
from oversight.tests.reviews_world import JUNE, MAY, at, campaign

__all__ = ["campaign"]


@pytest.fixture
def months(campaign):  # type: ignore[no-untyped-def]
    """Two matters raised in May (one completed in June), three raised in June (one with a phone number)."""
    with at("2031-05-12"):
        done = matter_in(Status.IN_PROGRESS, problem="五月反映、六月办结的问题")
        matter_in(Status.ASSIGNED, problem="五月反映、仍在办理的问题")
    with at("2031-06-10"):
        matter_transition(matter=done, action="complete", actor=None, effect="已完成整治")
        matter_in(Status.REPORTED, problem="张先生13812345678反映路灯不亮")
        matter_in(Status.ACCEPTED, problem="六月反映的第二个问题")
        matter_in(Status.IN_PROGRESS, problem="六月反映的第三个问题")
    return campaign


def test_the_lists_counts_are_the_matters_selectors_counts_of_the_month(months) -> None:
    with at("2031-07-03"):
        data = prepare(JUNE, months)
    for kind in ("problems", "tasks", "effects"):
        expected = list_queryset(kind, MatterFilter(month=JUNE)).count()
        assert data["lists"][kind]["count"] == expected
        assert len(data["lists"][kind]["rows"]) == expected
    assert data["lists"]["problems"]["count"] == 3 and data["lists"]["effects"]["count"] == 1


def test_the_figures_are_matters_figures_for_the_month(months) -> None:
    with at("2031-07-03"):
        data = prepare(JUNE, months)
        expected = figures.report(JUNE, JUNE.replace(day=30))["overall"]
    assert data["figures"] == json.loads(json.dumps(expected))
    assert data["figures"]["reported"] == 3


def test_the_trend_runs_month_by_month_over_the_campaign_up_to_the_month(months) -> None:
    with at("2031-07-03"):
        data = prepare(JUNE, months)
        may = figures.report(MAY, MAY.replace(day=31))["overall"]
    assert [row["month"] for row in data["trend"]] == ["2031-05", "2031-06"]
    assert data["trend"][0]["reported"] == may["reported"] == 2


def test_what_changed_since_last_month_has_each_figure_with_last_months_value_and_the_difference(months) -> None:
    with at("2031-07-03"):
        data = prepare(JUNE, months)
    changes = {row["key"]: row for row in data["changes"]}
    assert (changes["reported"]["value"], changes["reported"]["previous"], changes["reported"]["difference"]) == (
        3,
        2,
        1,
    )
    assert changes["problems"]["previous"] == list_queryset("problems", MatterFilter(month=MAY)).count()


def test_the_rows_carry_no_personal_data_and_the_data_are_json(months) -> None:
    with at("2031-07-03"):
        data = prepare(JUNE, months)
    text = json.dumps(data, ensure_ascii=False)
    assert "13812345678" not in text and "路灯不亮" in text
    assert all("reporter" not in key for row in data["lists"]["problems"]["rows"] for key in row)


def test_each_line_contributes_its_section(months) -> None:
    with at("2031-07-03"):
        data = prepare(JUNE, months)
    assert [s["key"] for s in data["sections"]] == ["petitions", "enterprises", "care", "compounds"]
    assert all(s["data"]["figures"] for s in data["sections"])


def test_overdue_matters_are_counted_by_responsible_unit(months) -> None:
    with at("2031-09-01"):  # the matters' deadlines (the seed's, or their day of assignment) have passed
        data = prepare(JUNE, months)
        overdue = {row["unit"]: row["overdue"] for row in data["overdue_by_unit"]}
    assert overdue.get("基建办", 0) >= 2


def test_duty_shortfalls_list_the_ended_weeks_of_the_month_for_the_seed_campaign(demo) -> None:  # type: ignore[no-untyped-def]
    from campaigns.models import Campaign

    seed = Campaign.objects.get(ref="seed:campaign:2022")
    with at("2022-07-05"):
        data = prepare(dt.date(2022, 6, 1), seed)
    rows = data["duty_shortfalls"]
    assert rows and all(row["of"] == 4 and 1 <= row["weeks"] <= 4 for row in rows)  # 6, 13, 20, 26 June
    assert all(row["missing"].startswith("2022-W2") for row in rows)


@pytest.mark.usefixtures("demo")
def test_the_lines_sections_count_their_own_records_of_the_period() -> None:
    from django.utils import translation

    from compounds.models import LinkageMeeting
    from enterprises.models import Delivery
    from oversight.sections import build_sections

    start, end = dt.date(2022, 5, 1), dt.date(2022, 12, 31)
    with translation.override("en"):
        sections = {s.key: s.data for s in build_sections(start, end)}
    figures_of = {key: {f["label"]: f["value"] for f in data["figures"]} for key, data in sections.items()}
    meetings = LinkageMeeting.objects.filter(held_on__range=(start, end)).count()
    deliveries = Delivery.objects.filter(delivered_on__range=(start, end)).count()
    assert figures_of["compounds"]["Linkage meetings held"] == meetings
    assert figures_of["enterprises"]["Policy deliveries"] == deliveries
    assert set(sections) == {"petitions", "enterprises", "care", "compounds"}
