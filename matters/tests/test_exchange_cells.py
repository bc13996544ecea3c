"""Reading and writing one cell of an attachment-2 table: names, units, deadlines, budgets, headers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from matters.exchange import cells
from matters.models import Precision

pytestmark = pytest.mark.usefixtures("exchange_english")


@pytest.mark.parametrize(
    ("text", "names", "all_communities"),
    [
        ("政法办、经济办", ["政法办", "经济办"], False),
        ("基建办、各社区", ["基建办"], True),
        ("各社区", [], True),
        ("社事办，长宇社区", ["社事办", "长宇社区"], False),
    ],
)
def test_each_community_marker_sets_all_communities(text: str, names: list[str], all_communities: bool) -> None:
    assert cells.split_units(text) == (names, all_communities)


def test_all_communities_is_written_after_the_named_units() -> None:
    assert cells.join_units(["基建办"], True) == "基建办、各社区"
    assert cells.join_units(["政法办", "经济办"], False) == "政法办、经济办"
    assert cells.join_units([], True) == "各社区"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022.6", dt.date(2022, 6, 1)),
        ("2022年6月", dt.date(2022, 6, 1)),
        ("2022-06", dt.date(2022, 6, 1)),
        ("2022/6", dt.date(2022, 6, 1)),
        ("2022.10", dt.date(2022, 10, 1)),
        ("２０２２．６", dt.date(2022, 6, 1)),
        (" 2022 年 6 月 ", dt.date(2022, 6, 1)),
        ("2022年6月底", dt.date(2022, 6, 1)),
    ],
)
def test_month_deadlines_are_read_with_month_precision(text: str, expected: dt.date) -> None:
    assert cells.parse_deadline(text) == (expected, Precision.MONTH)


@pytest.mark.parametrize(
    "text", ["2022-06-30", "2022.6.30", "2022年6月30日", "2022/6/30", "2022-6-30", "２０２２年６月３０日"]
)
def test_day_deadlines_are_read_with_day_precision(text: str) -> None:
    assert cells.parse_deadline(text) == (dt.date(2022, 6, 30), Precision.DAY)


@pytest.mark.parametrize("text", ["六月", "2022.13", "2022.2.30", "1999.6", "2022", "明年", "2022.6.30.1"])
def test_an_unreadable_deadline_is_refused_naming_the_value(text: str) -> None:
    with pytest.raises(cells.CellError) as caught:
        cells.parse_deadline(text)
    assert text in caught.value.message
    assert "2022.6" in caught.value.message  # and shows how to write one


def test_an_empty_deadline_is_refused() -> None:
    with pytest.raises(cells.CellError):
        cells.parse_deadline("  ")


def test_a_month_deadline_is_written_as_the_seed_writes_it() -> None:
    assert cells.format_deadline(dt.date(2022, 6, 1), Precision.MONTH) == "2022.6"
    assert cells.format_deadline(dt.date(2022, 12, 1), Precision.MONTH) == "2022.12"


def test_a_day_deadline_is_written_with_its_day() -> None:
    assert cells.format_deadline(dt.date(2022, 6, 30), Precision.DAY) == "2022.6.30"
    assert cells.format_deadline(None, Precision.DAY) == ""


@pytest.mark.parametrize(
    ("task", "yuan"),
    [
        ("拟投入资金20万元,建设中冶路围墙,解决出行隐患。", Decimal("200000")),
        ("拟投入资金6万元,在社区新时代文明广场上", Decimal("60000")),
        ("投入资金300元购买灯泡", Decimal("300")),
        ("拟投入1.5万元", Decimal("15000")),
        ("投入资金 2 万 元", Decimal("20000")),
        ("投入资金1,200元", Decimal("1200")),
        ("投入２０万元", Decimal("200000")),
    ],
)
def test_the_budget_stated_in_the_task_is_read_in_yuan(task: str, yuan: Decimal) -> None:
    assert cells.parse_budget(task) == yuan


@pytest.mark.parametrize(
    "task",
    [
        "拟投入资金对2021年度因创文拆除厕所的地方进行改造,修建停车场",
        "在长宇社区、卫王社区各小区湾组安装充电桩80个",
        "",
    ],
)
def test_a_task_without_a_sum_has_no_budget(task: str) -> None:
    assert cells.parse_budget(task) is None


def test_the_import_key_ignores_whitespace_but_not_the_campaign() -> None:
    key = cells.import_key("园区无综治中心阵地,企业服务中心不够靠前。", 1)
    assert cells.import_key(" 园区无综治中心阵地,企业服务中心\n不够靠前。 ", 1) != key  # a space inside is text
    assert cells.import_key("  园区无综治中心阵地,企业服务中心不够靠前。\n", 1) == key
    assert cells.import_key("园区无综治中心阵地,企业服务中心不够靠前。", 2) != key
    assert len(key) == 64
