"""The dashboards' one computation (oversight.charts): each chart's values against matters built by hand, with time
frozen in the seed's 2022 campaign, and the rates equal to the figures page's for the same period and scope."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from matters.figures import period_matters, rates, rates_by_unit
from matters.models import Category
from matters.services import matter_rating_counted, matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status
from org.models import Person, Unit
from oversight import charts
from oversight.series import ChartSpec

pytestmark = pytest.mark.usefixtures("demo")
TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2022, 7, 20, 10, 0, tzinfo=TZ)  # a Wednesday in the campaign's full roll-out
JULY = (dt.date(2022, 7, 1), dt.date(2022, 7, 31))


def at(day: dt.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=TZ), tick=False)


def values(spec: ChartSpec) -> dict[str, dict[str, Any]]:
    """{series name: {label: value}}."""
    return {s.name: dict(zip(spec.labels, s.values, strict=True)) for s in spec.series}


def jijian() -> Unit:
    return Unit.objects.get(name="基建办")


def community_matter(status: str, problem: str = "长宇社区路灯不亮") -> object:
    """A matter of 长宇社区 (not of 基建办), brought to `status`."""
    matter = matter_in(Status.REPORTED, problem=problem)
    matter = matter_transition(matter=matter, action="accept", actor=None)
    matter = matter_transition(
        matter=matter,
        action="assign",
        actor=None,
        task="修复路灯",
        deadline=dt.date(2022, 7, 31),
        leads=[Person.objects.get(name="杨立新")],
        units=[Unit.objects.get(ref="seed:community:changyu")],
    )
    if status in {Status.IN_PROGRESS, Status.COMPLETED}:
        matter = matter_transition(matter=matter, action="start", actor=None)
    if status == Status.COMPLETED:
        matter = matter_transition(matter=matter, action="complete", actor=None, effect="已修复")
    return matter


def test_raised_and_solved_count_each_week_and_month_by_report_and_completion_day() -> None:
    with at(dt.date(2022, 6, 28)):  # week 26, June
        early = matter_in(Status.IN_PROGRESS, problem="六月底报的问题")
    with at(dt.date(2022, 7, 5)):  # week 27, July: the June matter is solved
        matter_transition(matter=early, action="complete", actor=None, effect="已完成")
        matter_in(Status.ASSIGNED, problem="七月报的问题")
    with at(dt.date(2022, 7, 13)):  # week 28
        matter_in(Status.COMPLETED, problem="当周报当周办结")
        matter_in(Status.MERGED, problem="重复的问题")  # a duplicate is not raised (its target is)
    with at(dt.date(2022, 7, 20)):
        start, end = dt.date(2022, 6, 27), dt.date(2022, 7, 20)
        weekly = values(charts.raised_solved_weekly(start, end, None))
        monthly = values(charts.raised_solved_monthly(start, end, None))
    assert list(weekly["提出"].values()) == [1, 1, 2, 0]  # the merge's kept matter is reported in week 28 too
    assert list(weekly["解决"].values()) == [0, 1, 1, 0]
    assert monthly["提出"] == {"2022年6月": 1, "2022年7月": 3}
    assert monthly["解决"] == {"2022年6月": 0, "2022年7月": 2}


@time_machine.travel(NOW, tick=False)
def test_matters_by_category_count_reported_and_completed_per_category() -> None:
    road = Category.objects.order_by("order").first()
    assert road is not None
    matter_in(Status.COMPLETED, problem="道路一", category=road)
    matter_in(Status.ASSIGNED, problem="道路二", category=road)
    matter_in(Status.REPORTED, problem="未分类")
    spec = values(charts.by_category(*JULY, None))
    assert spec["提出"] == {road.name: 2, "未分类": 1}
    assert spec["办结"] == {road.name: 1, "未分类": 0}


@time_machine.travel(NOW, tick=False)
def test_by_unit_by_community_and_overdue_are_the_figures_pages_lines() -> None:
    matter_in(Status.COMPLETED, problem="基建办办结")
    matter_in(Status.ASSIGNED, problem="基建办在办")
    community_matter(Status.IN_PROGRESS)
    with at(dt.date(2022, 8, 2)):  # the deadline of 31 July has passed: both open matters are overdue
        rows = rates_by_unit(period_matters(*JULY))
        by_unit = values(charts.by_unit(*JULY, None))
        by_community = values(charts.by_community(*JULY, None))
        overdue = values(charts.overdue_by_unit(*JULY, None))
    figures = {unit.name: r for unit, r in rows}
    assert by_unit["提出"] == {"基建办": figures["基建办"].reported} == {"基建办": 2}
    assert by_unit["办结"] == {"基建办": 1}
    assert by_community["提出"] == {"长宇社区": 1}
    assert overdue["当前逾期"] == {"基建办": 1, "长宇社区": 1}


@time_machine.travel(NOW, tick=False)
def test_the_monthly_rates_run_over_the_campaign_and_equal_the_figures_of_each_month(client_as, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FIGURES_MIN_RATINGS = 1
    with at(dt.date(2022, 6, 10)):
        june = matter_in(Status.CLOSED, problem="六月办结")
    for value in ("satisfied", "dissatisfied", "basically"):
        matter_rating_counted(matter=june, value=value)
    matter_in(Status.COMPLETED, problem="七月办结")
    matter_in(Status.REPORTED, problem="七月新报")
    spec = charts.rates_monthly(*JULY, None)
    assert spec.labels[0] == "2022年5月" and spec.labels[-1] == "2022年7月"  # the campaign began in May
    assert spec.unit == "%"
    by_name = values(spec)
    for month, label in ((dt.date(2022, 6, 1), "2022年6月"), (dt.date(2022, 7, 1), "2022年7月")):
        page = client_as("leader").get(f"/matters/figures/?month={month:%Y-%m}").context["overall"]
        assert by_name["群众满意率"][label] == page.public_satisfaction
        assert by_name["回访满意率"][label] == page.callback_satisfaction
        assert by_name["响应率"][label] == page.response
        assert by_name["按时办结率"][label] == page.on_time
    assert by_name["群众满意率"]["2022年6月"] == round(100 * 2 / 3, 1)


@time_machine.travel(NOW, tick=False)
def test_the_headline_equals_the_figures_page_for_the_period_and_for_a_unit(client_as, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FIGURES_MIN_RATINGS = 1
    closed = matter_in(Status.CLOSED, problem="基建办办结")
    matter_rating_counted(matter=closed, value="satisfied")
    matter_in(Status.ASSIGNED, problem="基建办在办")
    community_matter(Status.COMPLETED)
    response = client_as("leader").get("/matters/figures/?from=2022-07-01&to=2022-07-31")
    page = response.context["overall"]
    park = {row["key"]: row for row in charts.headline(*JULY, None)}
    for key in ("reported", "completed", "public_satisfaction", "callback_satisfaction", "response", "on_time"):
        assert park[key]["value"] == getattr(page, key if key != "completed" else "completed"), key
    assert park["resolution"]["value"] == page.resolution
    unit_page = {unit.name: r for unit, r in response.context["by_unit"]}["基建办"]
    unit = {row["key"]: row for row in charts.headline(*JULY, jijian())}
    for key in ("reported", "completed", "public_satisfaction", "callback_satisfaction", "response", "on_time"):
        assert unit[key]["value"] == getattr(unit_page, key), key
    assert unit["reported"]["value"] == 2 and park["reported"]["value"] == 3
    assert charts.period_rates(*JULY, jijian()) == rates(period_matters(*JULY).filter(units=jijian()))


@time_machine.travel(NOW, tick=False)
def test_a_unit_scope_holds_only_that_units_matters() -> None:
    matter_in(Status.COMPLETED, problem="基建办办结")
    community_matter(Status.COMPLETED)
    unit = jijian()
    for spec in charts.charts(*JULY, unit):
        if spec.key in {"by_unit", "overdue_by_unit"}:
            assert set(spec.labels) <= {"基建办"}, spec.key
        if spec.key == "by_community":
            assert spec.labels == [], spec.key
    weekly = values(charts.raised_solved_weekly(*JULY, unit))
    assert sum(weekly["提出"].values()) == 1 and sum(weekly["解决"].values()) == 1
    assert sum(values(charts.raised_solved_weekly(*JULY, None))["提出"].values()) == 2


@time_machine.travel(NOW, tick=False)
def test_ratings_count_the_publics_ratings_of_the_periods_completed_matters_by_value() -> None:
    done = matter_in(Status.COMPLETED, problem="已办结")
    open_one = matter_in(Status.IN_PROGRESS, problem="未办结")
    for value in ("satisfied", "satisfied", "basically", "dissatisfied"):
        matter_rating_counted(matter=done, value=value)
    matter_rating_counted(matter=open_one, value="dissatisfied")  # not completed: not the verdict on done work
    spec = charts.ratings(*JULY, None)
    assert spec.kind == "pie"
    assert values(spec)["评价"] == {"满意": 2, "基本满意": 1, "不满意": 1}
    assert sum(spec.series[0].values) == rates(period_matters(*JULY)).public_ratings  # type: ignore[arg-type]


def test_duties_count_per_week_who_met_who_fell_short_and_whose_week_still_runs() -> None:
    with at(dt.date(2022, 7, 13)):  # week 28 runs; week 27 has ended with no field work recorded
        spec = charts.duties_weekly(dt.date(2022, 7, 4), dt.date(2022, 7, 13), None)
    met, short, running = ([int(v or 0) for v in s.values] for s in spec.series)
    assert spec.kind == "stacked" and len(spec.labels) == 2
    assert met == [0, 0]
    assert short[0] > 0 and running[0] == 0  # everyone with duties fell short in the ended week
    assert running[1] == short[0] and short[1] == 0  # the running week is in progress, never short


@time_machine.travel(NOW, tick=False)
def test_every_chart_is_computed_with_a_stable_key_and_its_table() -> None:
    specs = charts.charts(*JULY, None)
    keys = [spec.key for spec in specs]
    assert keys[: len(charts.KEYS)] == list(charts.KEYS)
    assert {"petition_closed", "wishes_fulfilled", "policies_delivered"} <= set(keys)
    for spec in specs:
        columns, rows = spec.table()
        assert len(columns) == len(spec.series) + 1 and len(rows) == len(spec.labels), spec.key
        assert all(len(s.values) == len(spec.labels) for s in spec.series), spec.key
    assert timezone.localdate() == NOW.date()
