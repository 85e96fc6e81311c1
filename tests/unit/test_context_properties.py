"""The share of services exports (report 70) and the first-half projection (report 80) on
generated worlds: exact levels drawn at random, printed rounded as the press prints them, and
what must hold for every such world.

- A share's interval holds the true share; "fell" or "rose" is said only when the true shares
  did fall or rise.
- When every year of a family has the same true first-half weight, every projection's interval
  holds its year's true level (so every graded year is ``inside``); whatever the weights, it holds
  the first half divided by each ratio it uses.
- Leave-one-out: a year's own outturn never moves its projection.
- The grade says exactly whether the projected and outturn intervals overlap, and ``checks.csv``
  repeats each grade.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from digital_exports.analysis.context import services_share, share_direction
from digital_exports.contract.periods import parse_period
from digital_exports.contract.vocab import CONTEXT_SERIES, PROJECTED_SERIES, SERIES
from digital_exports.model.currency import Rates
from digital_exports.model.intervals import Interval, overlaps
from digital_exports.model.projection import projection_checks, projections
from digital_exports.tables.io import empty_table

BUDGET = settings(max_examples=25, deadline=None, derandomize=True, database=None)
DIGITAL = PROJECTED_SERIES[0]
FAMILY = [
    s for s in PROJECTED_SERIES if SERIES[s].seasonal_family == SERIES[DIGITAL].seasonal_family
]


def _printed(series: str, period: str, truth: Fraction, step: Fraction) -> dict:
    """A level as a series.csv row, printed rounded to ``step`` (MAD mn): its interval is the
    rounding's, so it holds the truth."""
    value = round(truth / step) * step
    p = parse_period(period)
    return {
        "series": series,
        "segment": "total",
        "period": period,
        "period_kind": p.kind,
        "period_start": p.start.isoformat(),
        "period_end": p.end.isoformat(),
        "measure": "level",
        "base_period": "",
        "value": float(value),
        "low": float(value - step / 2),
        "high": float(value + step / 2),
        "unit": "MAD mn",
        "origin": "printed",
        "data_status": "preliminary",
        "best_release_id": f"test/{period}-{series}",
        "inputs": "",
    }


steps = st.sampled_from([Fraction(1), Fraction(10), Fraction(100)])
weights = st.fractions(
    min_value=Fraction(40, 100), max_value=Fraction(60, 100), max_denominator=1000
)


@st.composite
def seasonal_worlds(draw, same_weight: bool):
    """Years of the family's series, each with a true year level and a first-half weight."""
    years = draw(st.lists(st.integers(2005, 2030), min_size=2, max_size=6, unique=True))
    common = draw(weights)
    truth, rows = {}, []
    for year in sorted(years):
        series = draw(st.sampled_from(FAMILY))
        level = draw(st.fractions(min_value=5000, max_value=40000, max_denominator=10))
        weight = common if same_weight else draw(weights)
        truth[(series, year)] = (level, weight)
        step = draw(steps)
        rows.append(_printed(series, f"{year}-H1", level * weight, step))
        if draw(st.booleans()) or year == min(years):  # some years have no outturn yet
            rows.append(_printed(series, str(year), level, step))
    return truth, pd.DataFrame(rows)


@BUDGET
@given(seasonal_worlds(same_weight=True))
def test_with_one_true_weight_every_projection_holds_its_year(world):
    truth, series = world
    table = projections(series)
    assert len(table) == len(truth)
    for r in table.to_dict("records"):
        level, _ = truth[(r["series"], int(r["period"]))]
        if r["n_ratios"]:
            assert r["low"] <= float(level) <= r["high"], r
            assert r["grade"] in ("inside", "no_outturn")
        else:
            assert r["grade"] == "no_ratio"


@BUDGET
@given(seasonal_worlds(same_weight=False))
def test_a_projection_holds_the_first_half_over_each_ratio_it_uses(world):
    truth, series = world
    for r in projections(series).to_dict("records"):
        h1 = truth[(r["series"], int(r["period"]))][0] * truth[(r["series"], int(r["period"]))][1]
        for ref in filter(None, str(r["ratio_years"]).split("; ")):
            name, year = ref.rsplit(" ", 1)
            assert int(year) != int(r["period"]) or name != r["series"]  # never its own year
            weight = truth[(name, int(year))][1]
            assert r["low"] <= float(h1 / weight) * (1 + 1e-12)
            assert float(h1 / weight) <= r["high"] * (1 + 1e-12)


@BUDGET
@given(seasonal_worlds(same_weight=False), st.integers(0, 5), st.floats(0.5, 2.0))
def test_a_years_own_outturn_never_moves_its_projection(world, pick, factor):
    _, series = world
    years = series[series["period_kind"] == "year"]
    if years.empty:
        return
    i = years.index[pick % len(years)]
    moved = series.copy()
    for c in ("value", "low", "high"):
        moved.loc[i, c] = series.loc[i, c] * factor
    key = (series.loc[i, "series"], series.loc[i, "period"])
    before = projections(series).set_index(["series", "period"])
    after = projections(moved).set_index(["series", "period"])
    for c in ("value", "low", "high"):
        a, b = before.loc[key, c], after.loc[key, c]
        assert a == b or (pd.isna(a) and pd.isna(b))


@BUDGET
@given(seasonal_worlds(same_weight=False))
def test_the_grade_is_the_overlap_and_checks_repeat_it(world):
    _, series = world
    table = projections(series)
    graded = table[table["grade"].isin(["inside", "outside"])]
    for r in graded.to_dict("records"):
        same = overlaps(
            Interval(r["low"], r["high"]), Interval(r["outturn_low"], r["outturn_high"])
        )
        assert (r["grade"] == "inside") == same
    checks = projection_checks(table)
    assert len(checks) == len(graded)
    assert set(checks["verdict"]) <= {"projection_inside", "projection_outside"}
    assert (checks["verdict"] == "projection_inside").sum() == (graded["grade"] == "inside").sum()


@st.composite
def share_worlds(draw):
    """Consecutive years of the digital series and of the first context series."""
    start = draw(st.integers(2010, 2028))
    n = draw(st.integers(2, 5))
    truth, rows = {}, []
    for year in range(start, start + n):
        services = draw(st.fractions(min_value=100_000, max_value=400_000, max_denominator=10))
        share = draw(
            st.fractions(min_value=Fraction(5), max_value=Fraction(15), max_denominator=1000)
        )
        truth[year] = share
        rows.append(_printed(CONTEXT_SERIES[0], str(year), services, draw(steps) * 10))
        rows.append(_printed(DIGITAL, str(year), services * share / 100, draw(steps)))
    return truth, pd.DataFrame(rows)


@BUDGET
@given(share_worlds())
def test_a_share_holds_the_true_share_and_its_direction_is_true(world):
    truth, series = world
    result = services_share(
        series, empty_table("projections"), 1900, 2099, "MAD", Rates.from_series(series)
    )
    mine = result.table[result.table["context_series"] == CONTEXT_SERIES[0]]
    assert sorted(mine["year"]) == sorted(truth)
    for r in mine.to_dict("records"):
        assert r["share_low"] <= float(truth[r["year"]]) <= r["share_high"]
    assert mine["joins_previous"].sum() == len(truth) - 1  # consecutive years, one pair
    moved = share_direction(result.table)
    assert moved is not None
    direction, before, last = moved
    fell = truth[last["year"]] < truth[before["year"]]
    if direction == "fell":
        assert fell
    if direction == "rose":
        assert not fell
