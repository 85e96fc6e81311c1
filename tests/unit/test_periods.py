"""The period grammar."""

from datetime import date

import pytest

from digital_exports.contract.periods import PeriodError, parse_period, shift_years


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2025-H1", "half", date(2025, 1, 1), date(2025, 6, 30)),
        ("2024-H2", "half", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024-Q3", "quarter", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-Q4", "quarter", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("2009-01..2009-02", "range", date(2009, 1, 1), date(2009, 2, 28)),
        ("2024-11..2025-02", "range", date(2024, 11, 1), date(2025, 2, 28)),
    ],
)
def test_parse_period_gives_kind_and_span(code, kind, start, end):
    p = parse_period(code)
    assert (p.kind, p.start, p.end) == (kind, start, end)


def test_a_year_to_date_range_has_the_same_span_as_the_half():
    ytd, half = parse_period("2025-01..2025-06"), parse_period("2025-H1")
    assert ytd.same_span(half) and ytd.canonical == "2025-H1"
    assert not parse_period("2025-01..2025-05").same_span(half)
    assert parse_period("2024-01..2024-12").canonical == "2024"
    assert parse_period("2024-07..2024-09").canonical == "2024-Q3"


@pytest.mark.parametrize(
    "code",
    [
        "2024-Q5",
        "2024-Q0",
        "2024-H3",
        "2024-13",
        "2024-00",
        "2025-06..2025-01",
        "24",
        "2024-1",
        "2024/06",
        "",
        "unknown",
    ],
)
def test_impossible_periods_are_errors(code):
    with pytest.raises(PeriodError):
        parse_period(code)


def test_shift_years_keeps_the_months():
    assert shift_years(parse_period("2025-H1"), -1).code == "2024-H1"
    assert shift_years(parse_period("2009-01..2009-02"), -1).code == "2008-01..2008-02"
    assert parse_period("2024-Q3").n_months == 3
