import datetime as dt

from core.dates import add_months, month_spans, months_between


def test_adding_months_keeps_month_ends_at_month_ends() -> None:
    assert add_months(dt.date(2022, 6, 30), 1) == dt.date(2022, 7, 31)
    assert add_months(dt.date(2022, 10, 31), 4) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2023, 12, 31), 2) == dt.date(2024, 2, 29)


def test_adding_months_clamps_other_days_and_crosses_years_both_ways() -> None:
    assert add_months(dt.date(2022, 1, 30), 1) == dt.date(2022, 2, 28)
    assert add_months(dt.date(2022, 5, 15), 52) == dt.date(2026, 9, 15)
    assert add_months(dt.date(2022, 5, 15), -5) == dt.date(2021, 12, 15)


def test_months_between_counts_calendar_months() -> None:
    assert months_between(dt.date(2022, 7, 1), dt.date(2026, 11, 25)) == 52
    assert months_between(dt.date(2022, 7, 31), dt.date(2022, 7, 1)) == 0


def test_month_spans_clip_the_first_and_last_month_to_the_period_and_cross_years() -> None:
    assert month_spans(dt.date(2022, 11, 15), dt.date(2023, 1, 10)) == [
        (dt.date(2022, 11, 15), dt.date(2022, 11, 30)),
        (dt.date(2022, 12, 1), dt.date(2022, 12, 31)),
        (dt.date(2023, 1, 1), dt.date(2023, 1, 10)),
    ]
    assert month_spans(dt.date(2024, 2, 1), dt.date(2024, 2, 29)) == [(dt.date(2024, 2, 1), dt.date(2024, 2, 29))]
    assert month_spans(dt.date(2024, 3, 2), dt.date(2024, 3, 1)) == []
