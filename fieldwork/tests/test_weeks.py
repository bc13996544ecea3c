"""ISO weeks: parsing, labels, bounds, and the weeks that straddle a month or a year."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldwork.duties import parse_week, week_bounds, week_label, week_of, week_shift, weeks_between


def test_a_week_is_read_from_its_iso_label() -> None:
    assert parse_week("2026-W48") == (2026, 48)
    assert parse_week("2022-W01") == (2022, 1)
    assert parse_week(" 2022-w7 ") == (2022, 7)


@pytest.mark.parametrize(
    "text", ["", "2022", "2022-48", "W48", "2022-W", "2022-W480", "22-W10", "2022-W1x", "２０２２-W01"]
)
def test_malformed_weeks_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        parse_week(text)


def test_week_53_exists_only_in_long_iso_years() -> None:
    assert parse_week("2020-W53") == (2020, 53)
    with pytest.raises(ValueError, match="53"):
        parse_week("2021-W53")
    with pytest.raises(ValueError):
        parse_week("2022-W00")
    with pytest.raises(ValueError):
        parse_week("2022-W54")


def test_years_far_outside_the_platform_are_refused() -> None:
    with pytest.raises(ValueError):
        parse_week("1066-W10")
    with pytest.raises(ValueError):
        parse_week("9999-W52")


def test_labels_carry_two_digit_weeks() -> None:
    assert week_label(2026, 1) == "2026-W01"
    assert week_label(2020, 53) == "2020-W53"


def test_the_first_days_of_a_year_may_belong_to_the_last_week_of_the_previous_one() -> None:
    assert week_of(dt.date(2021, 1, 3)) == "2020-W53"
    assert week_of(dt.date(2021, 1, 4)) == "2021-W01"


def test_the_last_days_of_a_year_may_belong_to_the_first_week_of_the_next_one() -> None:
    assert week_of(dt.date(2024, 12, 30)) == "2025-W01"
    assert week_of(dt.date(2024, 12, 29)) == "2024-W52"


def test_a_week_runs_from_monday_to_sunday_across_a_month_boundary() -> None:
    assert week_bounds(2022, 26) == (dt.date(2022, 6, 27), dt.date(2022, 7, 3))
    assert week_of(dt.date(2022, 6, 27)) == week_of(dt.date(2022, 7, 3)) == "2022-W26"


def test_week_bounds_across_a_year_boundary() -> None:
    assert week_bounds(2020, 53) == (dt.date(2020, 12, 28), dt.date(2021, 1, 3))
    assert week_bounds(2025, 1) == (dt.date(2024, 12, 30), dt.date(2025, 1, 5))


def test_weeks_step_over_year_ends() -> None:
    assert week_shift(2020, 53, 1) == (2021, 1)
    assert week_shift(2021, 1, -1) == (2020, 53)
    assert week_shift(2021, 52, 1) == (2022, 1)
    assert weeks_between((2020, 52), (2021, 2)) == [(2020, 52), (2020, 53), (2021, 1), (2021, 2)]
    assert weeks_between((2021, 2), (2021, 1)) == []
