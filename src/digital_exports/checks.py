"""Identities checked against what was printed: one verdict per identity and print.

Grain of ``checks.csv``: one row per (identity, printed figure of its target). An identity
computed with interval arithmetic (``derive.py``) is compared with the interval of each print of
its target:

* ``consistent``: the two intervals overlap;
* ``consistent_if_truncated``: they overlap only when rounded prints (inputs and target) may
  also be truncations, as when the press prints 3,462 as "3,4";
* ``contradicted``: they do not overlap even then;
* ``not_checkable``: a printed change, share or growth rate, or a total with some of its
  segments, for which an input of the identity is missing (the reason names it).

Computed bounds are widened by a relative 1e-9 before comparison, so that floating-point error
(of order 1e-16) never turns two touching intervals into a contradiction.
"""

from __future__ import annotations

import math

import pandas as pd

from digital_exports.derive import SEGMENT_SETS, Estimate, Relation, relations, usable
from digital_exports.intervals import Interval, overlaps
from digital_exports.reconcile import Quantity

CHECK_COLUMNS = (
    "check_id",
    "kind",
    "series",
    "segment",
    "period",
    "measure",
    "description",
    "formula",
    "inputs",
    "computed_value",
    "computed_low",
    "computed_high",
    "printed_ref",
    "printed_value",
    "printed_low",
    "printed_high",
    "verdict",
    "reason",
)
VERDICTS = ("consistent", "consistent_if_truncated", "contradicted", "not_checkable")
_REL_TOL = 1e-9


def fmt(x: float) -> str:
    """A number for a reason text: six significant digits, ``inf`` kept."""
    if math.isinf(x):
        return "+inf" if x > 0 else "-inf"
    return f"{x:.6g}"


def fmt_interval(i: Interval) -> str:
    """``[a, b]`` with :func:`fmt` bounds."""
    return f"[{fmt(i.low)}, {fmt(i.high)}]"


def _loosen(i: Interval) -> Interval:
    pad = _REL_TOL * max(1.0, *(abs(b) for b in (i.low, i.high) if not math.isinf(b)))
    return Interval(i.low - pad, i.high + pad)


def verdict(
    computed: Interval, printed: Interval, computed_trunc: Interval, printed_trunc: Interval
) -> str:
    """The verdict of one identity against one print (see the module docstring)."""
    if overlaps(_loosen(computed), printed):
        return "consistent"
    if overlaps(_loosen(computed_trunc), printed_trunc):
        return "consistent_if_truncated"
    return "contradicted"


def _reason(
    v: str,
    computed: Interval,
    printed: Interval,
    point: float,
    computed_trunc: Interval,
    printed_trunc: Interval,
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
    if v == "consistent_if_truncated":
        return (
            f"computed {c} and printed {p} do not overlap when every print is read as "
            f"rounded; they do when rounded prints may be truncations (computed "
            f"{fmt_interval(computed_trunc)}, printed {fmt_interval(printed_trunc)})"
        )
    gap = (
        printed.low - computed.high if printed.low > computed.high else computed.low - printed.high
    )
    return (
        f"computed {c} and printed {p} do not overlap, even with rounded prints read as "
        f"truncations; gap {fmt(gap)}"
    )


_MEASURE_WORDS = {
    "level": "level",
    "change_pct": "change (%) over {base}",
    "share_pct": "share of the total (%)",
    "avg_growth_pct": "average annual growth (%) since {base}",
}


def describe(q: Quantity) -> str:
    """A readable name of a quantity: ``ESO 2024 change (%) over 2023``."""
    words = _MEASURE_WORDS.get(q.measure, q.measure).format(base=q.base_period)
    return f"{q.segment} {q.period} {words}"


def check_identities(
    estimates: dict[tuple[Quantity, str], Estimate], prints: pd.DataFrame
) -> pd.DataFrame:
    """Every identity whose target was printed, against each print of it, plus the printed
    figures no identity can check.

    Args:
        estimates: printed and derived estimates by (quantity, unit).
        prints: the printed figures with canonical periods and truncation bounds
            (``reconcile.prepare_prints``).

    Returns:
        One row per check, columns :data:`CHECK_COLUMNS`, sorted by ``check_id``.
    """
    by_target: dict[tuple[Quantity, str], pd.DataFrame] = {
        (Quantity(*key[:5]), key[5]): g
        for key, g in prints.groupby(
            ["series", "segment", "period", "measure", "base_period", "unit"], sort=True
        )
    }
    rows: list[dict] = []
    covered: set[tuple[Quantity, str]] = set()
    for r in relations(estimates):
        if not usable(r):
            continue
        if r.kind == "shares_sum_100":
            rows.append(_row(r, "identity", "100", Interval.point(100.0), Interval.point(100.0)))
            continue
        target_prints = by_target.get((r.target, r.unit))
        if target_prints is None:
            continue
        covered.add((r.target, r.unit))
        for p in target_prints.itertuples(index=False):
            rows.append(
                _row(
                    r,
                    f"{p.release_id}#{p.figure_id}",
                    f"{p.value_printed} {p.unit_printed}".strip(),
                    Interval(p.low, p.high),
                    Interval(p.low_trunc, p.high_trunc),
                    qualifier=p.qualifier,
                )
            )
    rows.extend(_not_checkable(estimates, by_target, covered))
    table = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    return table.sort_values("check_id", kind="stable").reset_index(drop=True)


def _row(
    r: Relation,
    ref: str,
    printed_value: str,
    printed: Interval,
    printed_trunc: Interval,
    qualifier: str = "",
) -> dict:
    try:
        computed, computed_trunc, point = r.compute(), r.compute(truncated=True), r.point()
    except ZeroDivisionError as exc:
        return _base(r.kind, r.target, ref, printed_value, printed) | {
            "formula": r.formula,
            "inputs": r.input_refs,
            "verdict": "not_checkable",
            "reason": f"an input interval contains zero ({exc})",
        }
    v = verdict(computed, printed, computed_trunc, printed_trunc)
    return _base(r.kind, r.target, ref, f"{qualifier} {printed_value}".strip(), printed) | {
        "formula": r.formula,
        "inputs": r.input_refs,
        "computed_value": point,
        "computed_low": computed.low,
        "computed_high": computed.high,
        "verdict": v,
        "reason": _reason(v, computed, printed, point, computed_trunc, printed_trunc),
    }


def _base(kind: str, q: Quantity, ref: str, printed_value: str, printed: Interval | None) -> dict:
    return {
        "check_id": f"{kind}:{q.ref}:{ref}",
        "kind": kind,
        "series": q.series,
        "segment": q.segment,
        "period": q.period,
        "measure": q.measure,
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
    by_target: dict[tuple[Quantity, str], pd.DataFrame],
    covered: set[tuple[Quantity, str]],
) -> list[dict]:
    rows = []
    level_keys = {(q.series, q.segment, q.period) for (q, _u) in estimates if q.measure == "level"}
    for (q, unit), group in sorted(by_target.items(), key=lambda kv: (kv[0][0].ref, kv[0][1])):
        if (q, unit) in covered:
            continue
        missing: list[str] = []
        if q.measure in ("change_pct", "avg_growth_pct"):
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
            "share_pct": "share_from_levels",
            "level": "segments_sum",
        }[q.measure]
        for p in group.itertuples(index=False):
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


def verdict_summary(checks: pd.DataFrame) -> pd.DataFrame:
    """Number of checks per kind (rows) and verdict (columns), with totals."""
    table = pd.crosstab(checks["kind"], checks["verdict"], margins=True, margins_name="all")
    return table[[v for v in (*VERDICTS, "all") if v in table]].rename_axis(
        index="kind", columns=None
    )


def for_reader(checks: pd.DataFrame, verdicts: tuple[str, ...]) -> pd.DataFrame:
    """The checks with the given verdicts, in the columns a reader needs: what is checked, the
    print checked and where it comes from, and the reason."""
    rows = checks[checks["verdict"].isin(verdicts)]
    return rows[
        ["verdict", "description", "formula", "printed_value", "printed_ref", "reason"]
    ].reset_index(drop=True)
