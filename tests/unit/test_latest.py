"""Defaults that follow the data: ``latest`` and ``year_before`` resolve from the levels of
``series.csv`` as they are, whatever periods the releases print (generated tables)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digital_exports.contract.periods import parse_period, shift_years
from digital_exports.run.params import ParameterError, resolve
from digital_exports.run.steps import STEP_BY_NAME, with_upstream

COLUMNS = ("series", "segment", "period", "period_kind", "period_start", "period_end", "measure")
SERIES = "digital_outsourcing_exports"

years = st.integers(1990, 2098)
codes = st.one_of(
    years.map(str),
    st.tuples(years, st.integers(1, 2)).map(lambda t: f"{t[0]}-H{t[1]}"),
    st.tuples(years, st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
    st.tuples(years, st.integers(2, 12)).map(lambda t: f"{t[0]}-01..{t[0]}-{t[1]:02d}"),
)
rows = st.lists(
    st.tuples(
        st.sampled_from([SERIES, "offshoring_receipts"]), st.sampled_from(["total", "ITO"]), codes
    ),
    min_size=1,
    max_size=25,
)


def _write(root: Path, levels: list[tuple[str, str, str]]) -> None:
    path = root / "data" / "processed" / "series.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for series, segment, code in levels:
            p = parse_period(code)
            out.writerow([series, segment, p.canonical, p.kind, p.start, p.end, "level"])


def _order(code: str) -> tuple:
    p = parse_period(code)
    return p.end, p.n_months


@settings(max_examples=60, deadline=None)
@given(levels=rows)
def test_latest_resolves_to_the_latest_level_the_table_holds(tmp_path_factory, levels):
    root = tmp_path_factory.mktemp("world")
    _write(root, levels)
    mine = [(seg, parse_period(c)) for s, seg, c in levels if s == SERIES]
    values = {"series": SERIES, "year": "latest", "lang": "fr", "currency": "MAD"}
    annual = [p.start.year for _, p in mine if p.kind == "year"]
    if annual:
        assert resolve("30_segment_breakdown", values, root) == {"year": max(annual)}
    else:
        with pytest.raises(ParameterError, match="'year' = 'latest'"):
            resolve("30_segment_breakdown", values, root, strict=True)
    end = resolve("50_long_run", {"start": 2004, "end": "latest"}, root)
    assert end == {"end": max(parse_period(c).end.year for *_, c in levels)}


@settings(max_examples=60, deadline=None)
@given(levels=rows)
def test_the_latest_period_comes_with_the_same_period_a_year_before(tmp_path_factory, levels):
    root = tmp_path_factory.mktemp("world")
    _write(root, levels)
    values = {"series": SERIES, "period": "latest", "base_period": "year_before"}
    got = resolve("40_period_comparison", values, root)
    mine = {parse_period(c).canonical for s, seg, c in levels if s == SERIES}
    if not mine:
        assert got == {}
        return
    totals = {parse_period(c).canonical for s, seg, c in levels if s == SERIES and seg == "total"}
    pool = totals or mine
    assert got["period"] in pool
    assert got["base_period"] == shift_years(parse_period(got["period"]), -1).canonical
    comparable = {c for c in pool if shift_years(parse_period(c), -1).canonical in pool}
    if comparable:  # the default comparison can be made, and it is the latest that can
        assert got["base_period"] in pool
        assert all(_order(c) <= _order(got["period"]) for c in comparable)
    else:
        assert all(_order(c) <= _order(got["period"]) for c in pool)


def test_a_given_value_is_never_resolved_and_no_table_is_a_clear_error(tmp_path):
    values = {"series": SERIES, "period": "2025-H1", "base_period": "2024-H1"}
    assert resolve("40_period_comparison", values, tmp_path, strict=True) == {}
    with pytest.raises(ParameterError, match="which is not there yet"):
        resolve("30_segment_breakdown", {"series": SERIES, "year": "latest"}, tmp_path, True)


@pytest.mark.parametrize("step", sorted(STEP_BY_NAME))
def test_only_a_step_runs_it_and_every_step_it_follows(step):
    wanted = with_upstream([step.split("_", 1)[0]])
    assert step in wanted
    for name in wanted:
        assert set(STEP_BY_NAME[name].after) <= wanted
    with pytest.raises(ParameterError, match="no such step"):
        with_upstream(["99"])


def _rates(root: Path, years: list[int]) -> None:
    path = root / "data" / "processed" / "series.csv"
    with path.open("a", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        for y in years:
            out.writerow(
                ["exchange_rate", "MAD_PER_USD", str(y), "year", f"{y}-01-01", f"{y}-12-31", "rate"]
            )


def test_a_chart_is_named_for_the_currency_it_can_draw(tmp_path):
    """No rate for a year: the levels stay in dirhams, and so does the chart's file name."""
    from digital_exports.run.params import drawn_currency

    _write(tmp_path, [(SERIES, "total", "2024"), (SERIES, "total", "2025-H1")])
    _rates(tmp_path, [2024])
    usd = {"series": SERIES, "lang": "en", "currency": "USD"}
    assert drawn_currency("30_segment_breakdown", {**usd, "year": 2024}, tmp_path) == {}
    assert drawn_currency("30_segment_breakdown", {**usd, "year": 2025}, tmp_path) == {
        "currency": "MAD"
    }
    pair = {**usd, "period": "2025-H1", "base_period": "2024-H1"}
    assert drawn_currency("40_period_comparison", pair, tmp_path) == {"currency": "MAD"}
    mad = {**usd, "currency": "MAD", "year": 2025}
    assert drawn_currency("30_segment_breakdown", mad, tmp_path) == {}
    assert drawn_currency("50_long_run", {"start": 2004, "end": 2025, **usd}, tmp_path) == {}
