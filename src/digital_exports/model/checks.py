"""Identities checked against what was printed: one verdict per identity and print.

Grain of ``checks.csv``: one row per (identity, printed figure of its target), where an identity
is its relation *and* its inputs: two routes to one target (``Q2 = H1 - Q1`` and
``Q2 = (2015 - Q1) - H2``, through a derived April-December and H2) are two checks, each with
its verdict, and the ``check_id`` names the route by its inputs (:func:`check_id`). An identity
computed with interval arithmetic (``derive.py``) is compared with the interval of each print of
its target:

* ``consistent``: the two intervals overlap when every printed digit is significant;
* ``consistent_if_coarse``: they overlap only once round numbers (``80``, ``20``) are read at
  their coarser precision;
* ``consistent_if_truncated``: they overlap only once the print is read as a truncation of the
  computed value, which is granted only when the computed value is strictly more precise than
  the print (the press prints 3,462 as "3,4");
* ``converted_at_other_rate``: a level printed in another currency that the reference rate does
  not reproduce: the outlet converted at its own rate (the reason shows the implied rate beside
  the reference one); not a contradiction of the data;
* ``contradicted``: they do not overlap even then;
* ``not_checkable``: a printed change, share or growth rate, or a total with some of its
  segments, for which an input of the identity is missing (the reason names it), and forecasts,
  which are never checked against outturns.

In a series whose vocabulary entry does not pool producers, a print is checked only against
identities computed from its own producer's figures.

Computed bounds are widened by a relative 1e-9 before comparison, so that floating-point error
(of order 1e-16) never turns two touching intervals into a contradiction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from digital_exports.base.frames import each_row
from digital_exports.contract.vocab import POOLED_PRODUCERS, SEGMENT_SETS
from digital_exports.model.derive import Estimate, Estimates, Relation, relations, usable
from digital_exports.model.intervals import Interval, fmt, fmt_interval, loosened, overlaps
from digital_exports.model.reconcile import Quantity
from digital_exports.tables.schemas import RESOURCES, VERDICTS

#: The verdicts that mean a check on a quantity fails.
FAILING = frozenset({"contradicted"})


def truncated(printed: Interval, step: float, value: float) -> Interval:
    """A rounded print widened to also hold the values it truncates (toward zero)."""
    if not printed.is_bounded:
        return printed
    if value >= 0:
        return Interval(printed.low, max(printed.high, value + step))
    return Interval(min(printed.low, value - step), printed.high)


def verdict(
    computed: Interval, computed_fine: Interval, printed: Interval, printed_fine: Interval,
    printed_trunc: Interval | None,
) -> str:  # fmt: skip
    """The verdict of one identity against one print (see the module docstring); a
    ``printed_trunc`` is given only where truncation may be granted."""
    if overlaps(loosened(computed_fine), printed_fine):
        return "consistent"
    if overlaps(loosened(computed), printed):
        return "consistent_if_coarse"
    if printed_trunc is not None and overlaps(loosened(computed), printed_trunc):
        return "consistent_if_truncated"
    return "contradicted"


def _reason(
    v: str, computed: Interval, printed: Interval, point: float, printed_trunc: Interval | None
) -> str:
    c, p = fmt_interval(computed), fmt_interval(printed)
    if v == "consistent":
        text = f"computed {c} overlaps printed {p}"
        if not math.isnan(point) and not printed.contains(point):
            text += (
                f"; the point value {fmt(point)} lies outside the printed interval, "
                "and the rounding of the inputs explains the gap"
            )
        return text
    if v == "consistent_if_coarse":
        return (
            f"computed {c} overlaps printed {p} only when round numbers are read at their "
            "coarser precision (their trailing zeros not significant)"
        )
    if v == "consistent_if_truncated" and printed_trunc is not None:
        return (
            f"computed {c} and printed {p} do not overlap when the print is read as rounded; "
            f"they do when it may be a truncation of the more precise computed value "
            f"(printed {fmt_interval(printed_trunc)})"
        )
    gap = (
        printed.low - computed.high if printed.low > computed.high else computed.low - printed.high
    )
    return f"computed {c} and printed {p} do not overlap; gap {fmt(gap)}"


_MEASURE_WORDS = {
    "level": "level",
    "change_pct": "change (%) over {base}",
    "share_pct": "share of the total (%)",
    "avg_growth_pct": "average annual growth (%) since {base}",
    "ratio_pct": "as % of {base}",
}


def describe(q: Quantity) -> str:
    """A readable name of a quantity: ``ESO 2024 change (%) over 2023``."""
    words = _MEASURE_WORDS.get(q.measure, q.measure).format(base=q.base_period)
    return f"{q.segment} {q.period} {words}"


def check_identities(
    estimates: Estimates, prints: pd.DataFrame, among: list[Relation] | None = None
) -> pd.DataFrame:
    """Every identity whose target was printed, against each print of it, plus the printed
    figures no identity can check.

    Args:
        estimates: printed and derived estimates by (quantity, unit).
        prints: the printed figures with canonical periods and truncation bounds
            (``reconcile.prepare_prints``).
        among: the relations among ``estimates`` when already computed (``derive.Graph``);
            by default :func:`derive.relations` computes them.

    Returns:
        One row per check, the columns of ``checks.csv`` (its schema), sorted by ``check_id``.
    """
    by_target: dict[tuple[Quantity, str], list[Any]] = {}
    forecasts: list[Any] = []
    for p in each_row(prints):  # one pass over the prints: rows of a frame are costly to reach
        if p.data_status == "forecast":
            forecasts.append(p)
            continue
        key = (Quantity(p.series, p.segment, p.period, p.measure, p.base_period), p.unit)
        by_target.setdefault(key, []).append(p)
    rows: list[dict] = []
    covered: set[tuple[Quantity, str]] = set()
    for r in relations(estimates) if among is None else among:
        if not usable(r):
            continue
        if r.kind == "shares_sum_100":
            hundred = Interval.point(100.0)
            rows.append(_row(r, PrintedRef("identity", "100", hundred, hundred, None)))
            continue
        target_prints = by_target.get((r.target, r.unit))
        if target_prints is None:
            continue
        covered.add((r.target, r.unit))
        for p in target_prints:
            if not same_producer(r, p.producer_key):
                continue
            rows.append(_row(r, PrintedRef.of(p)))
    rows.extend(_not_checkable(estimates, by_target, covered))
    rows.extend(_forecast_rows(forecasts))
    table = pd.DataFrame(rows, columns=list(RESOURCES["checks"].columns))
    return table.sort_values("check_id", kind="stable").reset_index(drop=True)


def same_producer(r: Relation, producer: str) -> bool:
    """Whether a print may be checked against ``r``: always in a pooled series or against a
    reference rate, else only by an identity computed from its own producer's figures."""
    return (
        r.target.series in POOLED_PRODUCERS
        or r.kind == "currency_conversion"
        or producer in r.producers
    )


@dataclass(frozen=True)
class PrintedRef:
    """One print of a check's target: its id, how it reads, its intervals and its step."""

    ref: str
    printed: str
    span: Interval
    span_fine: Interval
    rounded_step: float | None  # the print's step if it is a plain rounded print, else None
    value: float = math.nan

    @classmethod
    def of(cls, p: Any) -> PrintedRef:
        text = f"{p.qualifier} {p.value_printed} {p.unit_printed}".strip()
        step = float(p.step) if p.interval_rule == "rounded" else None
        return cls(
            f"{p.release_id}#{p.figure_id}",
            text,
            Interval(p.low, p.high),
            Interval(p.low_fine, p.high_fine),
            step,
            float(p.value),
        )


def _row(r: Relation, p: PrintedRef) -> dict:
    try:
        computed, computed_fine, point = r.compute(), r.compute(fine=True), r.point()
    except ZeroDivisionError as exc:
        return _base(r.kind, r.target, p.ref, p.printed, p.span, r.input_refs) | {
            "formula": r.formula,
            "inputs": r.input_refs,
            # No bound on the target: the whole line (the schema writes open bounds as empty).
            "computed_low": -math.inf,
            "computed_high": math.inf,
            "verdict": "not_checkable",
            "reason": f"an input interval contains zero ({exc})",
        }
    # Truncation is granted only against a strictly more precise value: here the computed one.
    trunc = (
        truncated(p.span, p.rounded_step, p.value)
        if p.rounded_step is not None and computed.width < p.rounded_step
        else None
    )
    v = verdict(computed, computed_fine, p.span, p.span_fine, trunc)
    reason = _reason(v, computed, p.span, point, trunc)
    if r.kind == "currency_conversion" and v == "contradicted":
        implied, reference = _rates(r, p)
        if not reference.low > 0:
            v = "not_checkable"
            reason = f"the reference rate {fmt_interval(reference)} is not a positive rate"
        elif _plausible_rate(implied, reference):
            v, reason = "converted_at_other_rate", _other_rate_reason(r, p, implied, reference)
        else:
            reason += (
                f"; the rate it implies, {fmt_interval(implied) if implied else 'none'}, is more "
                f"than {OTHER_RATE_BAND:.0%} from the reference {fmt_interval(reference)}: no "
                "rate an outlet could have used, so a misprint, not a conversion"
            )
    return _base(r.kind, r.target, p.ref, p.printed, p.span, r.input_refs) | {
        "formula": r.formula,
        "inputs": r.input_refs,
        "computed_value": point,
        "computed_low": computed.low,
        "computed_high": computed.high,
        "verdict": v,
        "reason": reason,
    }


#: How far an outlet's own conversion rate may lie from the reference annual average and still be
#: read as "converted at another rate" (a rate of another day of the year, or of another source):
#: wider than the swing of the dirham against the dollar or the euro within any year of the data.
#: A print implying a rate beyond it (a sign, a factor of 1 000, a negative rate) is contradicted.
OTHER_RATE_BAND = 0.25


def _rates(r: Relation, p: PrintedRef) -> tuple[Interval | None, Interval]:
    """The rate (MAD per unit of the printed currency) that a print implies, None when it
    implies none (an unbounded or non-positive print), and the reference rate."""
    level, *rates = r.inputs
    implied = level.span / p.span if p.span.is_bounded and p.span.low > 0 else None
    try:
        reference = rates[0].span if r.unit.startswith("USD") else rates[0].span / rates[1].span
    except ZeroDivisionError:
        reference = Interval(-math.inf, math.inf)
    return implied, reference


def _plausible_rate(implied: Interval | None, reference: Interval) -> bool:
    """Whether an implied rate may be an outlet's own: positive and, where the reference is a
    positive bounded rate, within :data:`OTHER_RATE_BAND` of it."""
    if implied is None or implied.low <= 0:
        return False
    if not reference.is_bounded:
        return True  # nothing to measure it against
    band = Interval(reference.low * (1 - OTHER_RATE_BAND), reference.high * (1 + OTHER_RATE_BAND))
    return overlaps(implied, band)


def _other_rate_reason(
    r: Relation, p: PrintedRef, implied: Interval | None, reference: Interval
) -> str:
    """The rate an outlet's conversion implies, beside the reference rate."""
    unit = r.unit.split()[0]
    shown = fmt_interval(implied) if implied else "unbounded"
    return (
        f"the printed {p.printed} implies {shown} MAD per {unit}; the reference annual average is "
        f"{fmt_interval(reference)}: the outlet converted at another rate (or another date)"
    )


def check_id(kind: str, q: Quantity, printed_ref: str, route: str = "") -> str:
    """``kind:target:print[:route]``: the route is the ``;``-joined refs of the identity's inputs,
    so that the id is stable (the same inputs give the same id whatever else is printed) and two
    routes to one target are two ids. Rows with no identity (``not_checkable`` for a missing
    input, ``forecast``) have no route."""
    return f"{kind}:{q.ref}:{printed_ref}" + (f":{route}" if route else "")


def _base(
    kind: str, q: Quantity, ref: str, printed_value: str, printed: Interval | None, route: str = ""
) -> dict:
    return {
        "check_id": check_id(kind, q, ref, route),
        "kind": kind,
        "series": q.series,
        "segment": q.segment,
        "period": q.period,
        "measure": q.measure,
        "base_period": q.base_period,
        "description": describe(q),
        "formula": "",
        "inputs": "",
        "computed_value": math.nan,
        "computed_low": math.nan,
        "computed_high": math.nan,
        "printed_ref": ref,
        "printed_value": printed_value,
        "printed_low": printed.low if printed else math.nan,
        "printed_high": printed.high if printed else math.nan,
    }


def _not_checkable(
    estimates: dict[tuple[Quantity, str], Estimate],
    by_target: dict[tuple[Quantity, str], list[Any]],
    covered: set[tuple[Quantity, str]],
) -> list[dict]:
    rows = []
    level_keys = {(q.series, q.segment, q.period) for (q, _u) in estimates if q.measure == "level"}
    for (q, unit), group in sorted(by_target.items(), key=lambda kv: (kv[0][0].ref, kv[0][1])):
        if (q, unit) in covered:
            continue
        missing: list[str] = []
        if q.measure in ("change_pct", "avg_growth_pct", "ratio_pct"):
            missing = [
                f"level {p}"
                for p in (q.period, q.base_period)
                if (q.series, q.segment, p) not in level_keys
            ]
        elif q.measure == "share_pct":
            missing = [
                f"level {s} {q.period}"
                for s in (q.segment, "total")
                if (q.series, s, q.period) not in level_keys
            ]
        elif q.measure == "level" and q.segment == "total" and q.series in SEGMENT_SETS:
            have = [s for s in SEGMENT_SETS[q.series] if (q.series, s, q.period) in level_keys]
            if have:
                missing = [f"level {s} {q.period}" for s in SEGMENT_SETS[q.series] if s not in have]
        if not missing:
            continue
        kind = {
            "change_pct": "change_from_levels",
            "avg_growth_pct": "avg_growth_from_levels",
            "ratio_pct": "ratio_from_levels",
            "share_pct": "share_from_levels",
            "level": "segments_sum",
        }[q.measure]
        for p in group:
            ref = f"{p.release_id}#{p.figure_id}"
            rows.append(
                _base(
                    kind,
                    q,
                    ref,
                    f"{p.qualifier} {p.value_printed} {p.unit_printed}".strip(),
                    Interval(p.low, p.high),
                )
                | {
                    "verdict": "not_checkable",
                    "reason": "no value for " + ", ".join(missing),
                }
            )
    return rows


def _forecast_rows(forecasts: list[Any]) -> list[dict]:
    """Forecasts and targets are shown, never checked against outturns."""
    rows = []
    for p in forecasts:
        q = Quantity(p.series, p.segment, p.period, p.measure, p.base_period)
        ref = PrintedRef.of(p)
        rows.append(
            _base("forecast", q, ref.ref, ref.printed, ref.span)
            | {
                "verdict": "not_checkable",
                "reason": "a forecast or target: kept as printed, never checked against "
                "outturns nor used to derive a value",
            }
        )
    return rows


def verdict_summary(checks: pd.DataFrame) -> pd.DataFrame:
    """Number of checks per kind (rows) and verdict (columns), with totals."""
    table = pd.crosstab(checks["kind"], checks["verdict"], margins=True, margins_name="all")
    return table[[v for v in (*VERDICTS, "all") if v in table]].rename_axis(
        index="kind", columns=None
    )
