"""Levels in dirhams, dollars or euros, converted with the annual average rates of the WDI.

Grain: the rates are annual averages (one per calendar year). A level of a shorter period
(half, quarter, year-to-date) is converted with the average of its year, which the notes say.
Conversion is interval arithmetic: the level's interval divided by the rate's interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from digital_exports.base.frames import each_row
from digital_exports.contract.periods import parse_period
from digital_exports.contract.vocab import CURRENCIES
from digital_exports.model.intervals import Interval

#: Canonical unit of each currency's levels.
UNIT_OF = {"MAD": "MAD mn", "USD": "USD mn", "EUR": "EUR mn"}


class CurrencyError(ValueError):
    """A conversion that the available rates do not allow.

    Attributes:
        currency: for a missing rate: the currency whose rate per dollar is missing.
        year: for a missing rate: the year.
        covered: for a missing rate: the years the rates cover (``2004-2024``; empty when
            there is no rate at all).
        period: for a period over two years: its code.
    """

    def __init__(
        self,
        message: str,
        *,
        currency: str = "",
        year: int | None = None,
        covered: str = "",
        period: str = "",
    ) -> None:
        super().__init__(message)
        self.currency, self.year, self.covered, self.period = currency, year, covered, period


@dataclass(frozen=True)
class Rates:
    """Annual average rates by year: MAD per USD and EUR per USD, as intervals."""

    mad_per_usd: dict[int, Interval]
    eur_per_usd: dict[int, Interval]

    @classmethod
    def from_series(cls, series: pd.DataFrame) -> Rates:
        """Read the ``exchange_rate`` rows of ``series.csv``."""
        fx = series[(series["series"] == "exchange_rate") & (series["period_kind"] == "year")]

        def pick(segment: str) -> dict[int, Interval]:
            rows = fx[fx["segment"] == segment]
            return {int(r.period): Interval(r.low, r.high) for r in each_row(rows)}

        return cls(pick("MAD_PER_USD"), pick("EUR_PER_USD"))

    def per_usd(self, currency: str, year: int) -> Interval:
        """Units of ``currency`` for one US dollar in ``year``.

        Raises:
            CurrencyError: when the year has no rate.
        """
        if currency == "USD":
            return Interval.point(1.0)
        table = {"MAD": self.mad_per_usd, "EUR": self.eur_per_usd}[currency]
        if year not in table:
            years = f"{min(table)}-{max(table)}" if table else "none"
            raise CurrencyError(
                f"no annual average {currency} per USD rate for {year}; the exchange-rate "
                f"releases cover {years}",
                currency=currency,
                year=year,
                covered=years if table else "",
            )
        return table[year]

    def factor(self, source: str, target: str, year: int) -> Interval:
        """Multiply a level in ``source`` currency by this interval to get ``target``."""
        if source == target:
            return Interval.point(1.0)
        return self.per_usd(target, year) / self.per_usd(source, year)


def currency_of(unit: str) -> str:
    """``MAD mn`` -> ``MAD``."""
    return unit.split()[0]


def convert_levels(
    table: pd.DataFrame, target: str, rates: Rates
) -> tuple[pd.DataFrame, list[tuple[str, int]]]:
    """Convert the ``level`` rows of ``table`` (columns ``period``, ``measure``, ``value``,
    ``low``, ``high``, ``unit``) into ``target`` currency; other rows are left as they are.

    Returns:
        The converted table, and the periods shorter than a year that were converted with their
        year's average (``(period, year)``, sorted), which the reader must be told.

    Raises:
        CurrencyError: for an unknown currency, a period spanning two years, or a year without a
            rate.
    """
    if target not in CURRENCIES:
        raise CurrencyError(f"currency {target!r} is not one of {', '.join(CURRENCIES)}")
    out = table.copy()
    shorter: set[tuple[str, int]] = set()
    for i, row in out.iterrows():
        if row["measure"] != "level" or currency_of(row["unit"]) == target:
            continue
        p = parse_period(row["period"])
        if p.start.year != p.end.year:
            raise CurrencyError(
                f"period {row['period']} spans two years; no single rate applies",
                period=str(row["period"]),
            )
        f = rates.factor(currency_of(row["unit"]), target, p.start.year)
        span = Interval(row["low"], row["high"]) * f
        out.at[i, "value"] = row["value"] * f.midpoint
        out.at[i, "low"], out.at[i, "high"] = span.low, span.high
        out.at[i, "unit"] = UNIT_OF[target]
        if p.kind != "year":
            shorter.add((str(row["period"]), p.start.year))
    return out, sorted(shorter)
