"""Many prints of one quantity -> one estimate with an honest interval, conflicts kept.

Grain of the result: one row per quantity and unit, i.e. per (series, segment, period, measure,
base period, unit), where a period is compared by the months it covers (``2025-01..2025-06`` is
``2025-H1``). Forecasts and targets are their own quantities: they are never pooled with
outturns.

Rules (also stated in the README), tried in order:

* ``agree``: the prints share a stretch of values when every printed digit is significant;
* ``consistent_if_coarse``: they share one only once round numbers (``80``, ``20``) are read at
  their coarser precision;
* ``consistent_if_truncated``: they share one only once a print is read as a truncation of a
  strictly more precise print of the same quantity (the press prints 3,462 as "3,4"); two prints
  of the same precision are never truncations of each other (7,3 and 7,4 are a conflict);
* otherwise a ``conflict``: every print goes to ``conflicts.csv`` and one is kept. The print that
  the identities support wins (``evidence``, see ``pipeline_steps.build_series_tables``); then
  :data:`CONFLICT_RULE`. ``chosen_because`` says which criterion decided.

The estimate is the common stretch of the prints' intervals (round numbers at their coarse
precision), and its point value the most precise print inside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from digital_exports.contract.periods import parse_period
from digital_exports.contract.producers import producer_key
from digital_exports.contract.vocab import SERIES, STATUS_ORDER
from digital_exports.model.intervals import Interval, intersect_all
from digital_exports.tables.schemas import RESOURCES, VERDICTS

#: The order of preference among conflicting prints once the identities have spoken.
CONFLICT_RULE = (
    "1. the print the identities support; 2. final data over preliminary over unknown status; "
    "3. the most precise print (a bounded one before a half-line); 4. the print that agrees "
    "with the most other prints; "
    "5. the latest publication date; 6. the release id; 7. the figure id (a release that "
    "prints one quantity twice)"
)
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


def status_rank(status: str) -> int:
    """Position of a data status in :data:`vocab.STATUS_ORDER` (most final first)."""
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


def weakest_status(statuses: list[str]) -> str:
    """The least final of several data statuses."""
    return max(statuses, key=status_rank)


def own_units(keys: list[tuple[str, str, str]]) -> dict[str, str]:
    """Each series' own unit, for the series with a level among the (series, measure, unit)
    keys: the currency its vocabulary entry declares (``Series.currency``), in millions.
    Identities and ``series.csv`` use that unit; a level printed in another currency is an
    outlet's conversion, checked through the rate. (A series that is not money keeps the unit of
    most of its levels, ties alphabetical.)"""
    counts: dict[str, dict[str, int]] = {}
    for series, measure, unit in keys:
        if measure == "level":
            by_unit = counts.setdefault(series, {})
            by_unit[unit] = by_unit.get(unit, 0) + 1
    return {
        s: f"{SERIES[s].currency} mn"
        if s in SERIES and SERIES[s].money
        else min(c, key=lambda u: (-c[u], u))
        for s, c in counts.items()
    }


def truncation_span(r: Mapping, group_min_step: float) -> Interval:
    """The interval of a print read as rounded or, when a strictly more precise print of the
    same quantity exists, also as truncated toward zero (``3,4`` for 3,462)."""
    span = Interval(r["low"], r["high"])
    if r["interval_rule"] != "rounded" or not r["step"] > group_min_step or not span.is_bounded:
        return span
    v, w = r["value"], r["step"]
    return (
        Interval(span.low, max(span.high, v + w))
        if v >= 0
        else Interval(min(span.low, v - w), span.high)
    )


def prepare_prints(figures: pd.DataFrame) -> pd.DataFrame:
    """The printed-figures table with canonical periods, a width and a producer key."""
    prints = figures.copy()
    prints["period"] = prints["period"].map(canonical_period)
    prints["base_period"] = prints["base_period"].fillna("").map(canonical_period)
    prints["width"] = prints["high"] - prints["low"]
    prints["producer_key"] = [
        producer_key(p, r) for p, r in zip(prints["producer"], prints["release_id"], strict=True)
    ]
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
#: Evidence for a conflicted quantity: for each of its prints (in release, figure order), the
#: identities that support it, as readable descriptions.
Evidence = Mapping[tuple, list[list[str]]]
#: Prints by quantity key ``(*KEY, unit, is_forecast)`` (:func:`group_prints`).
Groups = dict[tuple, list[Print]]


def _date_key(value: object) -> str:
    """Latest first: invert the ISO date's characters; an unknown date sorts last."""
    text = value if isinstance(value, str) and value else ""
    return "".join(chr(0x7F - ord(c)) for c in text) if text else "\x7f"


def _agreeing(group: list[Print]) -> list[int]:
    """For each print, how many other prints it shares a value with, a less precise print read
    also as a truncation of a more precise one (``6,8`` agrees with ``6,86``)."""
    min_step = min(r["step"] for r in group)
    spans = [truncation_span(r, min_step) for r in group]
    return [
        sum(a.low <= b.high and b.low <= a.high for j, b in enumerate(spans) if j != i)
        for i, a in enumerate(spans)
    ]


_CRITERIA = (
    "the identities support it",
    "its data status is the most final",
    "it is the most precise",
    "it agrees with the most other prints",
    "it is the latest publication",
    "its release id sorts first",
    "its figure id sorts first",
)


def choose_candidate(group: list[Print], support: list[list[str]] | None = None) -> tuple[int, str]:
    """The position in ``group`` of the print kept by :data:`CONFLICT_RULE`, and why.

    Returns:
        ``(position, chosen_because)``: the reason names the first criterion that told the kept
        print from the runner-up, and the supporting identities when they decided.
    """
    support = support or [[] for _ in group]
    agreeing = _agreeing(group)

    def rank(i: int) -> tuple:
        r = group[i]
        return (
            -len(support[i]),
            status_rank(r["data_status"]),
            r["width"],  # a bounded print before a half-line, which agrees with anything
            -agreeing[i],
            _date_key(r["date_published"]),
            r["release_id"],
            r["figure_id"],
        )

    order = sorted(range(len(group)), key=rank)
    best, runner = order[0], order[1]
    decided = next(
        k for k, (a, b) in enumerate(zip(rank(best), rank(runner), strict=True)) if a != b
    )
    because = _CRITERIA[decided]
    if decided == 0:
        because += ": " + "; ".join(support[best])
    elif not any(support):
        because = "no identity bears on these prints; " + because
    else:
        because = "the identities support several prints equally; " + because
    return best, because


def _most_precise(group: list[Print], inside: Interval) -> int:
    """Position of the narrowest print whose value lies inside ``inside`` (ties: latest)."""
    order = sorted(
        range(len(group)),
        key=lambda i: (
            not inside.contains(group[i]["value"]),
            group[i]["step"],
            group[i]["width"],
            _date_key(group[i]["date_published"]),
            group[i]["release_id"],
        ),
    )
    return order[0]


def series_row_columns() -> list[str]:
    """The columns of ``series.csv`` (its schema) before the check summary that
    ``evidence.with_check_summary`` adds."""
    summary = {f"checks_{v}" for v in VERDICTS} | {"check_failed"}
    return [c for c in RESOURCES["series"].columns if c not in summary]


def group_prints(prints: pd.DataFrame) -> Groups:
    """Prints by quantity key ``(*KEY, unit, is_forecast)``, each group in release, figure order.

    Records, not DataFrame rows: row access in pandas costs far more than the arithmetic."""
    groups: dict[tuple, list[Print]] = {}
    for r in prints.to_dict("records"):
        key = (*(r[k] for k in KEY), r["unit"], r["data_status"] == "forecast")
        groups.setdefault(key, []).append(r)
    return {
        k: sorted(g, key=lambda r: (r["release_id"], r["figure_id"])) for k, g in groups.items()
    }


@dataclass(frozen=True)
class Decision:
    """What the reconciliation decided for one group of prints: the row of ``series.csv`` and,
    when the prints do not all agree, one row of ``conflicts.csv`` per print."""

    row: dict
    conflict_rows: list[dict]

    @property
    def conflicted(self) -> bool:
        return bool(self.row["conflicted"])


def decide(
    groups: Groups, evidence: Evidence | None = None, keys: Iterable[tuple] | None = None
) -> dict[tuple, Decision]:
    """Reconcile each group of prints (all of them, or those of ``keys``).

    Args:
        groups: the prints by quantity (:func:`group_prints`).
        evidence: for conflicted quantities, the identities that support each print; without
            it, conflicts are decided by the rest of :data:`CONFLICT_RULE`.
        keys: the groups to decide (default: every group).

    Returns:
        One decision per group key, in key order; a forecast of a quantity whose outturn is
        known is shown in ``published_figures.csv`` and ``checks.csv`` but not estimated.
    """
    outturns = {k[:-1] for k in groups if not k[-1]}
    out: dict[tuple, Decision] = {}
    for key in sorted(groups if keys is None else keys):
        if key[-1] and key[:-1] in outturns:
            continue
        conflict_rows: list[dict] = []
        support = (evidence or {}).get(key[:-1])
        row = _one_quantity(key[:-2], groups[key], conflict_rows, support)
        out[key] = Decision(row, conflict_rows)
    return out


def decision_tables(decisions: Mapping[tuple, Decision]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(series, conflicts)``: the printed rows of ``series.csv`` (its columns but the check
    summary) and the rows of ``conflicts.csv``, in the order of the group keys."""
    ordered = [decisions[k] for k in sorted(decisions)]
    series = pd.DataFrame([d.row for d in ordered], columns=series_row_columns())
    conflicts = pd.DataFrame(
        [r for d in ordered for r in d.conflict_rows],
        columns=list(RESOURCES["conflicts"].columns),
    )
    return series, conflicts


def reconcile(
    figures: pd.DataFrame, evidence: Evidence | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reconcile every quantity printed in ``figures`` (the printed-figures table): the prints
    prepared and grouped (:func:`prepare_prints`, :func:`group_prints`), each group decided
    (:func:`decide`).

    Args:
        figures: the printed figures (``published_figures.csv``).
        evidence: for conflicted quantities, the identities that support each print (from a first
            pass); without it, conflicts are decided by the rest of :data:`CONFLICT_RULE`.

    Returns:
        ``(series, conflicts)``: one row per quantity and unit with ``origin == "printed"``
        (the columns of ``series.csv`` but its check summary; a forecast is kept only where no
        outturn of the quantity exists), and one row per print of every quantity whose prints
        do not all agree (the columns of ``conflicts.csv``).
    """
    return decision_tables(decide(group_prints(prepare_prints(figures)), evidence))


def _agreement(group: list[Print]) -> tuple[str, Interval | None, Interval | None]:
    """The agreement of a group of prints, its estimate and its fine estimate (None: conflict)."""
    coarse = _common_part([Interval(r["low"], r["high"]) for r in group])
    fine = _common_part([Interval(r["low_fine"], r["high_fine"]) for r in group])
    if fine is not None and coarse is not None:
        return "agree", coarse, fine
    if coarse is not None:
        return "consistent_if_coarse", coarse, coarse
    min_step = min(r["step"] for r in group)
    widened = _common_part([truncation_span(r, min_step) for r in group])
    if widened is not None:
        return "consistent_if_truncated", widened, widened
    return "conflict", None, None


def _one_quantity(
    key: tuple, group: list[Print], conflict_rows: list[dict], support: list[list[str]] | None
) -> dict:
    series, segment, period, measure, base_period = key
    agreement, estimate, fine = _agreement(group)
    because = ""
    if estimate is not None and fine is not None:
        pos = _most_precise(group, estimate)
    else:
        pos, because = choose_candidate(group, support)
        chosen = group[pos]
        estimate = Interval(chosen["low"], chosen["high"])
        fine = Interval(chosen["low_fine"], chosen["high_fine"])
    if agreement != "agree":
        conflict_rows.extend(
            {
                **{k: r[k] for k in RESOURCES["conflicts"].columns if k in r},
                **dict(zip(KEY, key, strict=True)),
                "agreement": agreement,
                "chosen": i == pos,
                "chosen_because": because if i == pos else "",
            }
            for i, r in enumerate(group)
        )
    best = group[pos]
    p = parse_period(period)
    value = float(best["value"])
    return {
        "series": series,
        "segment": segment,
        "period": period,
        "period_kind": p.kind,
        "period_start": p.start.isoformat(),
        "period_end": p.end.isoformat(),
        "measure": measure,
        "base_period": base_period,
        "value": min(max(value, estimate.low), estimate.high) if math.isfinite(value) else value,
        "low": estimate.low,
        "high": estimate.high,
        "low_fine": fine.low,
        "high_fine": fine.high,
        "unit": best["unit"],
        "origin": "printed",
        "agreement": agreement,
        "n_sources": len({r["release_id"] for r in group}),
        "best_release_id": best["release_id"],
        "conflicted": agreement == "conflict",
        "data_status": min((r["data_status"] for r in group), key=status_rank),
        "producers": ";".join(
            sorted({r["producer_key"] for r in ([best] if agreement == "conflict" else group)})
        ),
        "formula": "",
        "inputs": ";".join(f"{r['release_id']}#{r['figure_id']}" for r in group),
    }
