"""Conversions with the annual average rates, as intervals."""

from __future__ import annotations

import pandas as pd
import pytest

from digital_exports.model.currency import CurrencyError, Rates, convert_levels
from digital_exports.model.intervals import Interval

RATES = Rates({2024: Interval(9.9, 10.1)}, {2024: Interval(0.9, 0.92)})


def table(period="2024", unit="MAD mn", value=1000.0, low=995.0, high=1005.0, measure="level"):
    return pd.DataFrame(
        [
            {
                "period": period,
                "measure": measure,
                "value": value,
                "low": low,
                "high": high,
                "unit": unit,
            }
        ]
    )


def test_mad_to_usd_divides_by_the_rate_interval():
    out, notes = convert_levels(table(), "USD", RATES)
    row = out.iloc[0]
    assert (row["low"], row["high"]) == pytest.approx((995 / 10.1, 1005 / 9.9))
    assert row["unit"] == "USD mn" and notes == []


def test_mad_to_eur_goes_through_the_dollar():
    out, _ = convert_levels(table(), "EUR", RATES)
    assert (out.iloc[0]["low"], out.iloc[0]["high"]) == pytest.approx(
        (995 * 0.9 / 10.1, 1005 * 0.92 / 9.9)
    )


def test_a_half_uses_its_year_average_and_says_so():
    _, shorter = convert_levels(table(period="2024-H1"), "USD", RATES)
    assert shorter == [("2024-H1", 2024)]


def test_shares_are_not_converted():
    out, _ = convert_levels(table(measure="share_pct", unit="pct", value=40.3), "USD", RATES)
    assert out.iloc[0]["unit"] == "pct" and out.iloc[0]["value"] == 40.3


def test_a_year_without_a_rate_and_an_unknown_currency_are_clear_errors():
    with pytest.raises(
        CurrencyError,
        match="no annual average MAD per USD rate for 2025; the "
        "exchange-rate releases cover 2024-2024",
    ) as caught:
        convert_levels(table(period="2025"), "USD", RATES)
    assert (caught.value.currency, caught.value.year, caught.value.covered) == (
        "MAD",
        2025,
        "2024-2024",
    )
    with pytest.raises(CurrencyError, match="'JPY' is not one of MAD, USD, EUR"):
        convert_levels(table(), "JPY", RATES)
