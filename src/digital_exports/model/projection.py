"""Where a year is heading from its first half: the full-year level a first half implies.

The rule (``tables.schemas.PROJECTION_RULE`` says it in one paragraph, for the codebook and
report 80):

- For every series of a *seasonal family* (``SERIES[...].seasonal_family``: one producer's
  measures of one activity) and every year in which both the total's first half and its year are
  known in ``series.csv`` (printed or derived), the ratio ``first half / year`` is an interval
  (interval arithmetic on the two levels' intervals). A ratio is computed within one series:
  a first half is never divided by a year of another scope.
- The projection of year *Y* of series *S* is the first half of *Y* divided by the hull of the
  family's ratios of **every other year** (leave-one-out: the year projected never lends its own
  ratio). The interval is ``[H1.low / r.high, H1.high / r.low]``: the spread of the ratios across
  years and the rounding of every print in them. The central value is the first half's value
  divided by the mean of the ratios' central values.
- A projection is kept in ``projections.csv`` with flag ``f``; it never enters ``series.csv``,
  never derives a value and is never reconciled with an outturn.
- Where the year's outturn is known, the projection is graded: ``inside`` when the outturn's
  interval overlaps the projection's (the package's test of agreement), ``outside`` otherwise.
  Every year with a first half and an outturn is thus a backtest of the rule, and ``checks.csv``
  holds the same grading (kind ``projection_outturn``), so "What changed" reports it when an
  outturn is printed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from digital_exports.base.frames import each_row
from digital_exports.contract.vocab import SERIES
from digital_exports.model.intervals import Interval, div, overlaps
from digital_exports.tables.io import empty_table
from digital_exports.tables.schemas import PROJECTION_CHECK_VERDICTS, PROJECTION_RULE, RESOURCES

#: The rule in one paragraph (declared with the table, so the codebook and report 80 say it).
RULE = PROJECTION_RULE

#: ``checks.csv``'s kind of the grading rows (their verdicts: ``PROJECTION_CHECK_VERDICTS``).
CHECK_KIND = "projection_outturn"


@dataclass(frozen=True)
class Ratio:
    """The first half's weight in one year of one series."""

    series: str
    year: int
    first_half: Interval
    year_level: Interval
    ratio: Interval
    point: float

    @property
    def ref(self) -> str:
        return f"{self.series} {self.year}"


def _totals(series: pd.DataFrame) -> pd.DataFrame:
    """Levels of the totals of the series that belong to a seasonal family."""
    projected = {c for c, s in SERIES.items() if s.seasonal_family}
    mask = (
        series["series"].isin(projected)
        & (series["segment"] == "total")
        & (series["measure"] == "level")
    )
    return series[mask]


def _span(row: Any) -> Interval:
    return Interval(float(row.low), float(row.high))


def ratios(series: pd.DataFrame) -> list[Ratio]:
    """Every ratio first half / year of a series of a seasonal family, by series and year."""
    totals = _totals(series)
    firsts = {
        (r.series, int(r.period[:4])): r
        for r in each_row(totals)
        if r.period_kind == "half" and r.period.endswith("-H1")
    }
    out = []
    for r in each_row(totals[totals["period_kind"] == "year"]):
        h1 = firsts.get((r.series, int(r.period)))
        if h1 is None or r.unit != h1.unit or not (_bounded(h1) and _bounded(r)):
            continue
        ratio = div(_span(h1), _span(r))
        out.append(Ratio(r.series, int(r.period), _span(h1), _span(r), ratio, h1.value / r.value))
    return sorted(out, key=lambda x: (x.series, x.year))


def _bounded(row: Any) -> bool:
    """A level whose interval is finite and above zero (a ratio can be taken)."""
    return bool(math.isfinite(row.low) and math.isfinite(row.high) and row.low > 0)


def _fmt_ratio(x: float) -> float:
    return float(f"{x:.6g}")


def projections(series: pd.DataFrame) -> pd.DataFrame:
    """One projection per series of a seasonal family and year with a first half (the columns of
    ``projections.csv``), graded against the year's outturn where ``series.csv`` has one."""
    totals = _totals(series)
    all_ratios = ratios(series)
    years = {(r.series, r.period): r for r in each_row(totals[totals["period_kind"] == "year"])}
    rows = []
    for h1 in each_row(totals[totals["period_kind"] == "half"]):
        if not h1.period.endswith("-H1") or not _bounded(h1):
            continue  # an open first half ("plus de 13 milliards") projects nothing
        year = int(h1.period[:4])
        family = SERIES[h1.series].seasonal_family
        used = [
            r for r in all_ratios if SERIES[r.series].seasonal_family == family and r.year != year
        ]
        outturn = years.get((h1.series, str(year)))
        row: dict[str, object] = {
            "series": h1.series,
            "segment": "total",
            "period": str(year),
            "unit": h1.unit,
            "first_half_period": h1.period,
            "first_half_value": h1.value,
            "first_half_low": h1.low,
            "first_half_high": h1.high,
            "first_half_release": h1.best_release_id,
            "n_ratios": len(used),
            "ratio_years": "; ".join(r.ref for r in used),
            "flags": "f",
            "data_status": h1.data_status,
            "method": "first_half_ratio_leave_one_out",
        }
        if used:
            hull = Interval(min(r.ratio.low for r in used), max(r.ratio.high for r in used))
            mean = sum(r.point for r in used) / len(used)
            projected = div(_span(h1), hull)
            row |= {
                "ratio_low": _fmt_ratio(hull.low),
                "ratio_high": _fmt_ratio(hull.high),
                "value": h1.value / mean,
                "low": projected.low,
                "high": projected.high,
            }
        if outturn is not None:
            row |= {
                "outturn_value": outturn.value,
                "outturn_low": outturn.low,
                "outturn_high": outturn.high,
                "outturn_origin": outturn.origin,
                "outturn_release": outturn.best_release_id,
            }
        if not used:
            row["grade"] = "no_ratio"
        elif outturn is None:
            row["grade"] = "no_outturn"
        else:
            inside = overlaps(Interval(row["low"], row["high"]), _span(outturn))  # type: ignore[arg-type]
            row["grade"] = "inside" if inside else "outside"
        rows.append(row)
    if not rows:
        return empty_table("projections")
    table = pd.DataFrame(rows).reindex(columns=list(RESOURCES["projections"].columns))
    return table.sort_values(["series", "period"], kind="stable").reset_index(drop=True)


def projection_checks(table: pd.DataFrame) -> pd.DataFrame:
    """The graded projections as rows of ``checks.csv`` (kind ``projection_outturn``, verdict
    ``projection_inside`` or ``projection_outside``): the package grading its own method."""
    graded = table[table["grade"].isin(["inside", "outside"])]
    rows = []
    for r in each_row(graded):
        target = f"{r.series}|total|{r.period}|level"
        rows.append(
            {
                "check_id": f"{CHECK_KIND}:{target}",
                "kind": CHECK_KIND,
                "series": r.series,
                "segment": "total",
                "period": r.period,
                "measure": "level",
                "base_period": "",
                "description": f"total {r.period} projected from {r.first_half_period} "
                f"against its outturn",
                "formula": f"level({r.first_half_period}) / ratio(first half / year; "
                f"{r.ratio_years})",
                "inputs": f"{r.series}|total|{r.first_half_period}|level",
                "computed_value": r.value,
                "computed_low": r.low,
                "computed_high": r.high,
                "printed_ref": r.outturn_release,
                "printed_value": _text(r.outturn_value),
                "printed_low": r.outturn_low,
                "printed_high": r.outturn_high,
                "verdict": PROJECTION_CHECK_VERDICTS[0 if r.grade == "inside" else 1],
                "reason": f"projection [{_text(r.low)}, {_text(r.high)}] "
                + ("overlaps" if r.grade == "inside" else "misses")
                + f" the outturn [{_text(r.outturn_low)}, {_text(r.outturn_high)}] "
                f"({r.outturn_origin})",
            }
        )
    return pd.DataFrame(rows, columns=list(RESOURCES["checks"].columns))


def _text(x: float) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.6g}"
