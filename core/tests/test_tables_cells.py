"""One cell of an office table: names split and folded, headers compared, dates and hours read as offices write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.tables import cells


@pytest.mark.parametrize(
    "text",
    [
        "邹国柱、曾湛涛",
        "邹国柱，曾湛涛",
        "邹国柱,曾湛涛",
        "邹国柱;曾湛涛",
        "邹国柱；曾湛涛",
        "邹国柱 曾湛涛",
        "邹国柱\u3000曾湛涛",
        "邹国柱\n曾湛涛",
        "邹国柱\r\n\r\n曾湛涛",
        " 邹国柱 、\n 曾湛涛 ",
    ],
)
def test_names_are_split_on_every_separator(text: str) -> None:
    assert cells.split_names(text) == ["邹国柱", "曾湛涛"]


def test_a_name_given_twice_is_kept_once_in_order() -> None:
    assert cells.split_names("曾湛涛、杨立新、曾湛涛") == ["曾湛涛", "杨立新"]


@pytest.mark.parametrize("text", ["", " ", "\u00a0", "\n \n"])
def test_an_empty_lead_cell_gives_no_names(text: str) -> None:
    assert cells.split_names(text) == []


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("问题清单", "问题清单"),
        (" 问 题 清 单 ", "问题清单"),
        ("责任部门/社区", "责任部门社区"),
        ("责任部门（社区）", "责任部门社区"),
        ("*完成时限", "完成时限"),
        ("责任领导\n", "责任领导"),
    ],
)
def test_header_names_ignore_spaces_full_width_and_decoration(header: str, column: str) -> None:
    assert cells.header_key(header) == cells.header_key(column)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("3", "3"),
        ("3.5", "3.5"),
        ("3小时", "3"),
        (" 3.5 小时 ", "3.5"),
        ("３．５", "3.5"),
        ("2h", "2"),
        ("半天", "4"),
        ("一天", "8"),
        ("两小时", "2"),
        ("三个半小时", "3.5"),
        ("半小时", "0.5"),
    ],
)
def test_hours_are_read_the_ways_offices_write_them(text: str, hours: str) -> None:
    assert cells.parse_hours(text) == Decimal(hours)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2022-06-03", dt.date(2022, 6, 3)),
        ("2022.6.3", dt.date(2022, 6, 3)),
        ("2022/6/3", dt.date(2022, 6, 3)),
        ("2022年6月3日", dt.date(2022, 6, 3)),
        ("２０２２．６．３", dt.date(2022, 6, 3)),
        ("6月3日", dt.date(2021, 6, 3)),
        ("6月3号", dt.date(2021, 6, 3)),
        ("44715", dt.date(2022, 6, 3)),  # an Excel date saved as its day number
        ("2022-06-03 00:00:00", dt.date(2022, 6, 3)),
    ],
)
def test_dates_are_read_the_ways_offices_write_them(text: str, day: dt.date) -> None:
    assert cells.parse_date(text, year=2021) == day


@pytest.mark.parametrize("text", ["", "2022.13.1", "6/3", "2022.6", "下周一"])
def test_unreadable_dates_are_refused(text: str) -> None:
    with pytest.raises(cells.CellError):
        cells.parse_date(text, year=2022)
