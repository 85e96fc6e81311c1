"""Many prints of one quantity -> one estimate with an honest interval, conflicts kept.

Grain of the result: one row per quantity, i.e. per (series, segment, period, measure, base
period), where a period is compared by the months it covers (``2025-01..2025-06`` is
``2025-H1``).

Rules (also stated in the README):

* If the intervals of all prints share a stretch of values, the estimate is their intersection;
  the point value is the most precise print inside it (narrowest interval; if none lies inside,
  the point of the interval nearest to it), and the row records how many releases printed it
  and which one is the most precise.
* If they do not intersect but do once the rounded prints are also allowed to be truncations
  (the press often prints 3,462 as "3,4"), the quantity is ``consistent_if_truncated``: the
  estimate is the intersection of the widened intervals.
* Otherwise it is a conflict: every candidate goes to ``conflicts.csv`` and one is chosen by the
  rule :data:`CONFLICT_RULE`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from digital_exports.intervals import Interval, intersect_all, overlaps
from digital_exports.periods import parse_period

#: The order of preference among conflicting prints, as documented in the README.
CONFLICT_RULE = (
    "1. final data over preliminary over unknown status; "
    "2. the print that agrees (by rounding or truncation) with the most other prints; "
    "3. the most precise print; 4. the latest publication date; 5. the release id"
)
_STATUS_RANK = {"final": 0, "preliminary": 1, "unknown": 2}
KEY = ("series", "segment", "period", "measure", "base_period")


@dataclass(frozen=True)
class Quantity:
    """The key of one quantity: ``series|segment|period|measure[|base_period]``."""

    series: str
    segment: str
    period: str
    measure: str
    base_period: str = ""

    @property
    def ref(self) -> str:
        """A readable id, used in the ``inputs`` column of derived rows and checks."""
        parts = [self.series, self.segment, self.period, self.measure]
        return "|".join([*parts, self.base_period] if self.base_period else parts)


def canonical_period(code: str) -> str:
    """The canonical code of a period (empty stays empty)."""
    return parse_period(code).canonical if code else ""


def widen_for_truncation(low: float, high: float, value: float, rule: str) -> tuple[float, float]:
    """The interval of a print read either as rounded or as truncated.

    Only plain rounded prints are widened: a truncated print of a positive value ``v`` with last
    digit ``w`` stands for ``[v, v + w]`` (for a negative one ``[v - w, v]``); the hull with the
    rounding interval ``[v - w/2, v + w/2]`` is returned.
    """
    if rule != "rounded" or math.isinf(low) or math.isinf(high):
        return low, high
    width = high - low
    return (low, value + width) if value >= 0 else (value - width, high)


def prepare_prints(figures: pd.DataFrame) -> pd.DataFrame:
    """Add the canonical period and base period, and the truncation-widened bounds
    (``low_trunc``, ``high_trunc``), to the printed-figures table."""
    prints = figures.copy()
    prints["period"] = prints["period"].map(canonical_period)
    prints["base_period"] = prints["base_period"].fillna("").map(canonical_period)
    widened = [
        widen_for_truncation(r.low, r.high, r.value, r.interval_rule)
        for r in prints.itertuples(index=False)
    ]
    prints["low_trunc"] = [w[0] for w in widened]
    prints["high_trunc"] = [w[1] for w in widened]
    prints["width"] = prints["high"] - prints["low"]
    return prints


def _common_part(spans: list[Interval]) -> Interval | None:
    """The intersection of the prints' intervals, or None when they share no stretch of values.

    Two rounded prints that only touch (7,2 and 7,3 share just 7.25) are treated as disjoint:
    a rounding interval is really half-open (7.25 prints as 7,3), so they have no value in
    common. Prints that are exact points agree only if they are the same point.
    """
    common = intersect_all(spans)
    if common is None or (common.width == 0 and any(s.width > 0 for s in spans)):
        return None
    return common


Print = dict  # one row of the printed-figures table, as a dict


def _support(group: list[Print]) -> list[int]:
    """For each print, how many other prints it agrees with, read as rounded or truncated."""
    spans = [Interval(r["low_trunc"], r["high_trunc"]) for r in group]
    return [sum(overlaps(a, b) for j, b in enumerate(spans) if j != i) for i, a in enumerate(spans)]


def choose_candidate(group: list[Print]) -> int:
    """The position in ``group`` of the print chosen by :data:`CONFLICT_RULE`."""
    support = _support(group)
    ranked = sorted(
        range(len(group)),
        key=lambda i: (
            _STATUS_RANK.get(group[i]["data_status"], 3),
            -support[i],
            group[i]["width"],
            _date_key(group[i]["date_published"]),
            group[i]["release_id"],
        ),
    )
    return ranked[0]


def _date_key(value: object) -> str:
    """Latest first: invert the ISO date's characters; an unknown date sorts last."""
    text = value if isinstance(value, str) and value else ""
    return "".join(chr(0x7F - ord(c)) for c in text) if text else "\x7f"


def _most_precise(group: list[Print], inside: Interval) -> int:
    """Position of the narrowest print whose value lies inside ``inside`` (ties: latest)."""
    order = sorted(
        range(len(group)),
        key=lambda i: (
            not inside.contains(group[i]["value"]),
            group[i]["width"],
            _date_key(group[i]["date_published"]),
            group[i]["release_id"],
        ),
    )
    return order[0]


SERIES_COLUMNS = (
    "series",
    "segment",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "measure",
    "base_period",
    "value",
    "low",
    "high",
    "unit",
    "origin",
    "agreement",
    "n_sources",
    "best_release_id",
    "conflicted",
    "data_status",
    "formula",
    "inputs",
    "low_trunc",
    "high_trunc",
)
CONFLICT_COLUMNS = (
    "series",
    "segment",
    "period",
    "measure",
    "base_period",
    "agreement",
    "release_id",
    "figure_id",
    "value_printed",
    "unit_printed",
    "qualifier",
    "low",
    "high",
    "unit",
    "data_status",
    "date_published",
    "chosen",
)


def reconcile(figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reconcile every quantity printed in ``figures`` (the printed-figures table).

    Returns:
        ``(series, conflicts)``: one row per quantity with ``origin == "printed"`` (columns
        :data:`SERIES_COLUMNS`), and one row per print of every quantity whose prints do not all
        agree by rounding (columns :data:`CONFLICT_COLUMNS`; ``chosen`` marks the print kept).
    """
    prints = prepare_prints(figures)
    rows: list[dict] = []
    conflict_rows: list[dict] = []
    groups: dict[tuple, list[Print]] = {}
    # Records, not DataFrame rows: row access in pandas costs far more than the arithmetic.
    for r in prints.to_dict("records"):
        # The same quantity printed in two currencies is two quantities until converted.
        groups.setdefault((*(r[k] for k in KEY), r["unit"]), []).append(r)
    for key in sorted(groups):
        group = sorted(groups[key], key=lambda r: (r["release_id"], r["figure_id"]))
        rows.append(_one_quantity(key[:-1], group, conflict_rows))
    series = pd.DataFrame(rows, columns=list(SERIES_COLUMNS))
    conflicts = pd.DataFrame(conflict_rows, columns=list(CONFLICT_COLUMNS))
    return series, conflicts


def _one_quantity(key: tuple, group: list[Print], conflict_rows: list[dict]) -> dict:
    series, segment, period, measure, base_period = key
    spans = [Interval(r["low"], r["high"]) for r in group]
    widened = [Interval(r["low_trunc"], r["high_trunc"]) for r in group]
    estimate = _common_part(spans)
    estimate_trunc = _common_part(widened)
    if estimate is not None:
        agreement = "agree"
        pos = _most_precise(group, estimate)
        low, high = estimate.low, estimate.high
    elif estimate_trunc is not None:
        agreement = "consistent_if_truncated"
        pos = _most_precise(group, estimate_trunc)
        low, high = estimate_trunc.low, estimate_trunc.high
    else:
        agreement = "conflict"
        pos = choose_candidate(group)
        low, high = group[pos]["low"], group[pos]["high"]
    if estimate_trunc is None:
        estimate_trunc = widened[pos]
    if agreement != "agree":
        for i, r in enumerate(group):
            conflict_rows.append(
                {
                    "series": series,
                    "segment": segment,
                    "period": period,
                    "measure": measure,
                    "base_period": base_period,
                    "agreement": agreement,
                    "release_id": r["release_id"],
                    "figure_id": r["figure_id"],
                    "value_printed": r["value_printed"],
                    "unit_printed": r["unit_printed"],
                    "qualifier": r["qualifier"],
                    "low": r["low"],
                    "high": r["high"],
                    "unit": r["unit"],
                    "data_status": r["data_status"],
                    "date_published": r["date_published"],
                    "chosen": i == pos,
                }
            )
    best = group[pos]
    p = parse_period(period)
    statuses = {r["data_status"] for r in group}
    return {
        "series": series,
        "segment": segment,
        "period": period,
        "period_kind": p.kind,
        "period_start": p.start.isoformat(),
        "period_end": p.end.isoformat(),
        "measure": measure,
        "base_period": base_period,
        "value": min(max(float(best["value"]), float(low)), float(high)),
        "low": float(low),
        "high": float(high),
        "unit": best["unit"],
        "origin": "printed",
        "agreement": agreement,
        "n_sources": len({r["release_id"] for r in group}),
        "best_release_id": best["release_id"],
        "conflicted": agreement == "conflict",
        "data_status": next(s for s in ("final", "preliminary", "unknown") if s in statuses),
        "formula": "",
        "inputs": ";".join(f"{r['release_id']}#{r['figure_id']}" for r in group),
        "low_trunc": float(estimate_trunc.low),
        "high_trunc": float(estimate_trunc.high),
    }
