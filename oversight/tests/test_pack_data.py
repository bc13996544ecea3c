"""The monthly pack's content (oversight.pack_data): the same figures as matters.figures, the same rows as the lists'
export, the month's overdue and returned matters, the duty weeks, and the last meeting's decisions when given."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

import pytest
import time_machine

from matters.exchange import exporter
from matters.figures import period_matters, rates
from matters.services import matter_transition
from matters.tests.factories import assign_fields, matter_in, while_it_could_be_set
from matters.workflow import Status
from oversight import charts as dashboard
from oversight.pack_data import chart_data, months_allowed, pack_data

NOW = dt.datetime(2022, 6, 28, 10, 0, tzinfo=dt.UTC)
JUNE = dt.date(2022, 6, 1)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _june_matters() -> None:
    """A month of work: raised, in hand, completed and closed, one with a phone number typed into it."""
    matter_in(Status.REPORTED, problem="东湖路井盖缺失（演示）")
    matter_in(Status.ASSIGNED, problem="王先生电话13812345678，长宇社区路灯坏了（演示）")
    matter_in(Status.IN_PROGRESS)
    matter_in(Status.COMPLETED, problem="卫王社区垃圾清运不及时（演示）")
    matter_in(Status.CLOSED, problem="赵罗路人行道破损（演示）")


@time_machine.travel(NOW, tick=False)
def test_the_packs_figures_are_matters_figures_of_the_month_with_their_counts() -> None:
    _june_matters()
    pack = pack_data(JUNE)
    expected = asdict(rates(period_matters(JUNE, dt.date(2022, 6, 30))))
    assert pack["figures"] == expected
    assert pack["figures"]["reported"] == 5 and pack["figures"]["completed"] == 2
    headline = {f["key"]: f["value"] for f in pack["headline"]}
    for key in ("reported", "completed", "public_satisfaction", "callback_satisfaction", "response", "resolution"):
        assert headline[key] == expected[key], key
    assert {"response_pending", "public_ratings", "callbacks", "response_due"} <= set(pack["figures"])
    assert pack["complete"] is False  # June has not ended on the 28th: its figures are so far


@time_machine.travel(NOW, tick=False)
def test_the_packs_headline_figures_and_charts_are_the_dashboards_for_the_month() -> None:
    _june_matters()
    pack = pack_data(JUNE)
    end = dt.date(2022, 6, 30)
    assert pack["headline"] == dashboard.headline(JUNE, end, None)
    assert pack["charts"] == [chart_data(spec) for spec in dashboard.charts(JUNE, end, None)]
    raised = next(c for c in pack["charts"] if c["key"] == "raised_solved_monthly")
    assert raised["series"][0]["values"] == [pack["figures"]["reported"]]  # one month: the month's raised matters


@time_machine.travel(NOW, tick=False)
def test_the_packs_three_lists_have_the_rows_of_the_lists_export_for_the_month_with_numbers_masked() -> None:
    _june_matters()
    pack = pack_data(JUNE)
    for part in pack["lists"]:
        spec = exporter.ListSpec(list_kind=part["kind"], month=JUNE, mask_numbers=True)
        assert part["columns"] == spec.columns
        assert part["rows"] == [list(row) for row in exporter.list_rows(spec)], part["kind"]
        assert part["total"] == len(part["rows"]) and not part["cut"]
    text = json.dumps(pack, ensure_ascii=False)
    assert "13812345678" not in text and "长宇社区路灯坏了" in text


@time_machine.travel(NOW, tick=False)
def test_a_matter_sent_back_in_the_month_and_one_overdue_are_in_their_tables() -> None:
    closed = matter_in(Status.COMPLETED, problem="卫王社区垃圾清运不及时（演示）")
    matter_transition(matter=closed, action="return", actor=None, reason="现场核查仍有垃圾堆放")
    with while_it_could_be_set(dt.date(2022, 6, 20)):
        late = matter_in(Status.ACCEPTED, problem="长宇社区排水沟堵塞（演示）")
        matter_transition(matter=late, action="assign", actor=None, **assign_fields(dt.date(2022, 6, 20)))
    pack = pack_data(JUNE)
    assert [row[1] for row in pack["returned"]["rows"]] == ["卫王社区垃圾清运不及时（演示）"]
    assert pack["returned"]["rows"][0][4] == "现场核查仍有垃圾堆放"
    overdue = pack["overdue"]["rows"]
    assert [row[1] for row in overdue] == ["长宇社区排水沟堵塞（演示）"] and overdue[0][4] == "8"  # 21st to the 28th


@time_machine.travel(NOW, tick=False)
def test_the_duty_part_counts_every_week_of_the_month_as_the_week_grid_does() -> None:
    pack = pack_data(JUNE)
    weeks = [w["week"] for w in pack["duties"]["weeks"]]
    assert weeks == ["2022-W22", "2022-W23", "2022-W24", "2022-W25", "2022-W26"]
    assert pack["duties"]["weeks"][-1]["short"] == 0  # the week of the 28th has not ended: no one is short yet
    for week in pack["duties"]["weeks"][:-1]:
        assert week["met"] + week["short"] > 0 and week["in_progress"] == 0
    assert len(pack["duties"]["rows"]) == sum(w["short"] for w in pack["duties"]["weeks"])


@time_machine.travel(NOW, tick=False)
def test_the_last_meetings_decisions_are_in_the_pack_when_given_and_left_out_when_not() -> None:
    decisions = [{"text": "督办赵罗路拓宽工程", "kind": "chase", "matter": "MQ-2022-0001", "outcome": "已催办"}]
    assert pack_data(JUNE, decisions=decisions)["decisions"] == decisions
    assert pack_data(JUNE)["decisions"] is None


@time_machine.travel(NOW, tick=False)
def test_the_pack_is_plain_json_and_titled_by_its_month() -> None:
    pack = pack_data(dt.date(2022, 6, 15))
    assert json.loads(json.dumps(pack)) == pack
    assert pack["month"] == "2022-06" and pack["from"] == "2022-06-01" and pack["to"] == "2022-06-30"
    assert [c["key"] for c in pack["charts"]][:3] == ["raised_solved_weekly", "raised_solved_monthly", "by_category"]
    assert [s["key"] for s in pack["sections"]] == ["petitions", "enterprises", "care", "compounds"]  # the lines' parts


def test_a_pack_may_be_made_for_the_current_month_and_the_ended_ones_only() -> None:
    allowed = months_allowed(dt.date(2022, 6, 28))
    assert allowed[0] == JUNE and dt.date(2022, 7, 1) not in allowed and dt.date(2021, 7, 1) in allowed
