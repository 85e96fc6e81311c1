"""The period grammar: a printed period code -> its kind, first day and last day.

Accepted codes: ``YYYY`` (year), ``YYYY-H1``/``YYYY-H2`` (half), ``YYYY-Q1``..``YYYY-Q4``
(quarter), ``YYYY-MM`` (month) and ``YYYY-MM..YYYY-MM`` (a cumulative range of whole months,
e.g. year-to-date ``2025-01..2025-06``, the same span as ``2025-H1``), for the years of
:data:`YEARS`. This module is the one declaration of what a period is: the contract reads raw
releases with it and the model derives periods (complements, sums, the year before) with it, so a
period the contract accepts is one the model can compute with.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})-H(\d)$")
_QUARTER = re.compile(r"^(\d{4})-Q(\d)$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")

#: The years a period may fall in: wide enough for any print of this statistic, its base periods
#: and its targets (the oldest print in the data is of 2004, the furthest target 2035), narrow
#: enough that a slip of the pen (``0001``, ``2205``) is refused at ingest rather than carried into
#: the tables.
YEARS = range(1900, 2100)
#: The kinds of period, shortest grammar first (``Period.kind``).
PERIOD_KINDS = ("year", "half", "quarter", "month", "range")
PERIOD_GRAMMAR = (
    f"YYYY, YYYY-H1|H2, YYYY-Q1..Q4, YYYY-MM or YYYY-MM..YYYY-MM, "
    f"with years {YEARS.start} to {YEARS.stop - 1}"
)


class PeriodError(ValueError):
    """A period code that does not follow the grammar or names an impossible period."""


@dataclass(frozen=True, order=True)
class Period:
    """A span of whole months.

    Attributes:
        start: first day of the period.
        end: last day of the period.
        kind: ``year``, ``half``, ``quarter``, ``month`` or ``range``.
        code: the code as written.
    """

    start: date
    end: date
    kind: str
    code: str

    @property
    def n_months(self) -> int:
        """Number of calendar months the period covers."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def same_span(self, other: Period) -> bool:
        """True when both periods cover exactly the same months (``2025-H1`` and
        ``2025-01..2025-06``)."""
        return (self.start, self.end) == (other.start, other.end)

    @property
    def canonical(self) -> str:
        """The shortest code for this span: a range that is a year, half, quarter or month is
        written as such, so that prints of the same span compare equal."""
        return canonical_code(self.start, self.end)


def _month_span(y1: int, m1: int, y2: int, m2: int) -> tuple[date, date]:
    return date(y1, m1, 1), date(y2, m2, calendar.monthrange(y2, m2)[1])


def _check_month(month: int, code: str) -> None:
    if not 1 <= month <= 12:
        raise PeriodError(f"month {month:02d} in {code!r} is not between 01 and 12")


def _check_year(year: int, code: str) -> None:
    if year not in YEARS:
        raise PeriodError(
            f"year {year:04d} in {code!r} is outside {YEARS.start}-{YEARS.stop - 1}, "
            "the years a period may fall in"
        )


@functools.cache  # a few hundred distinct codes, parsed again for every print and relation
def parse_period(code: str) -> Period:
    """Parse a period code.

    Raises:
        PeriodError: when the code does not follow the grammar, names a year outside
            :data:`YEARS`, a half other than 1-2, a quarter other than 1-4, a month other than
            01-12, or a range ending before it starts.
    """
    text = code.strip()
    if m := _YEAR.match(text) or _HALF.match(text) or _QUARTER.match(text) or _MONTH.match(text):
        _check_year(int(m[1]), code)
    if m := _YEAR.match(text):
        y = int(m[1])
        return Period(*_month_span(y, 1, y, 12), "year", text)
    if m := _HALF.match(text):
        y, h = int(m[1]), int(m[2])
        if h not in (1, 2):
            raise PeriodError(f"half H{h} in {code!r} is not H1 or H2")
        return Period(*_month_span(y, 6 * h - 5, y, 6 * h), "half", text)
    if m := _QUARTER.match(text):
        y, q = int(m[1]), int(m[2])
        if not 1 <= q <= 4:
            raise PeriodError(f"quarter Q{q} in {code!r} is not Q1 to Q4")
        return Period(*_month_span(y, 3 * q - 2, y, 3 * q), "quarter", text)
    if m := _MONTH.match(text):
        y, mo = int(m[1]), int(m[2])
        _check_month(mo, code)
        return Period(*_month_span(y, mo, y, mo), "month", text)
    if m := _RANGE.match(text):
        y1, m1, y2, m2 = (int(g) for g in m.groups())
        _check_year(y1, code)
        _check_year(y2, code)
        _check_month(m1, code)
        _check_month(m2, code)
        if (y2, m2) < (y1, m1):
            raise PeriodError(f"range {code!r} ends before it starts")
        return Period(*_month_span(y1, m1, y2, m2), "range", text)
    raise PeriodError(f"{code!r} is not a period; expected {PERIOD_GRAMMAR}")


def canonical_code(start: date, end: date) -> str:
    """The shortest period code for the months from ``start`` to ``end``."""
    y1, m1, y2, m2 = start.year, start.month, end.year, end.month
    if y1 == y2:
        if (m1, m2) == (1, 12):
            return f"{y1:04d}"
        if m2 - m1 == 5 and m1 in (1, 7):
            return f"{y1:04d}-H{(m1 + 5) // 6}"
        if m2 - m1 == 2 and m1 % 3 == 1:
            return f"{y1:04d}-Q{(m1 + 2) // 3}"
        if m1 == m2:
            return f"{y1:04d}-{m1:02d}"
    return f"{y1:04d}-{m1:02d}..{y2:04d}-{m2:02d}"


def period_from_months(start: date, end: date) -> Period:
    """The period covering the months from ``start`` to ``end`` (canonical code)."""
    return parse_period(canonical_code(start, end))


def shift_years(period: Period, years: int) -> Period:
    """The same months ``years`` years later (negative: earlier): ``2025-H1`` -> ``2024-H1``.

    Raises:
        PeriodError: when the shifted period leaves :data:`YEARS`.
    """
    for y in (period.start.year + years, period.end.year + years):
        _check_year(y, f"{period.code} shifted by {years} years")
    start = date(period.start.year + years, period.start.month, 1)
    end_y, end_m = period.end.year + years, period.end.month
    end = date(end_y, end_m, calendar.monthrange(end_y, end_m)[1])
    return period_from_months(start, end)


def recency(code: str) -> tuple[date, int]:
    """A sort key of period codes by how recent they are: the period that ends later is the
    later; of two that end together, the longer (``2025`` after ``2025-H2`` after ``2025-Q4``)."""
    period = parse_period(code)
    return period.end, period.n_months


def latest(codes: Iterable[str]) -> str | None:
    """The most recent of ``codes`` (:func:`recency`), or None when there is none."""
    return max(codes, key=recency, default=None)


def year_before(code: str) -> str:
    """The canonical code of the same months a year before (``2025-H1`` -> ``2024-H1``)."""
    return shift_years(parse_period(code), -1).canonical
