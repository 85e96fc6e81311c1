"""Identities between quantities, and the values they derive where nothing was printed.

An identity (a :class:`Relation`) computes one quantity, its *target*, from others with interval
arithmetic: a base-period level from a level and a change, a half from a year and the other half,
a share from a level and the total, a change from two levels, a total from its segments. Where
the target was printed, the identity is a check (``checks.py``); where it was not, its result is
a derived row of ``series.csv``, labelled with its formula and inputs. A derived value never
overrides a printed one. Derivation runs to a fixed point, so a derived value can feed another
(CRM 2024-H2 = Q3 + Q4, then CRM 2024-H1 = 2024 - H2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from digital_exports.intervals import Interval, growth_pct, level_from_change, share_pct
from digital_exports.periods import parse_period, period_from_months, shift_years
from digital_exports.reconcile import SERIES_COLUMNS, Quantity

#: Complete sets of segments whose levels add up to the series' total.
SEGMENT_SETS: dict[str, tuple[str, ...]] = {
    "digital_outsourcing_exports": ("ITO", "CRM", "ESO", "BPO", "KPO"),
    "offshoring_receipts": ("CC_BPO_OUT", "BPO_CAPTIVE", "ITO"),
}
#: Segments that are not a part of their series' total (a broader perimeter).
NOT_PARTS = frozenset({"OFFSHORING_POLE"})
#: Composite segments and their parts.
COMPOSITES: dict[str, tuple[str, ...]] = {"ITO_CRM": ("ITO", "CRM")}
MAX_PASSES = 6


@dataclass(frozen=True)
class Estimate:
    """What is known of one quantity in one unit.

    Attributes:
        q: the quantity.
        unit: canonical unit.
        value: point value (the most precise print, or the formula applied to point values).
        span: the interval.
        span_trunc: the interval when rounded prints may also be truncations.
        origin: ``printed`` or ``derived``.
        deps: the printed quantities (refs) this estimate rests on.
        data_status: ``preliminary``, ``final`` or ``unknown`` (derived: the weakest input's).
    """

    q: Quantity
    unit: str
    value: float
    span: Interval
    span_trunc: Interval
    origin: str
    deps: frozenset[str]
    data_status: str


@dataclass(frozen=True)
class Relation:
    """An identity ``target = fn(inputs)``.

    Attributes:
        kind: ``base_from_change``, ``change_from_levels``, ``avg_growth_from_levels``,
            ``period_complement``, ``period_sum``, ``segments_sum``, ``composite_sum``,
            ``shares_sum_100``, ``share_from_levels``, ``level_from_share`` or
            ``currency_conversion``.
        target: the quantity computed.
        unit: the unit of the target.
        inputs: the estimates it is computed from.
        fn: the computation on intervals.
        formula: the formula in words, e.g. ``level(2024) / (1 + change_pct(2024 vs 2023)/100)``.
        derive: whether the relation may create a derived row (else it only checks).
    """

    kind: str
    target: Quantity
    unit: str
    inputs: tuple[Estimate, ...]
    fn: Callable[[list[Interval]], Interval]
    formula: str
    derive: bool = True
    deps: frozenset[str] = field(default=frozenset())

    def compute(self, truncated: bool = False) -> Interval:
        """The target's interval from the inputs' intervals (truncation-widened if asked)."""
        return self.fn([e.span_trunc if truncated else e.span for e in self.inputs])

    def point(self) -> float:
        """The formula applied to the inputs' point values."""
        return self.fn([Interval.point(e.value) for e in self.inputs]).midpoint

    @property
    def input_refs(self) -> str:
        return ";".join(e.q.ref for e in self.inputs)


_STATUS_ORDER = ("final", "preliminary", "unknown")


def weakest_status(statuses: list[str]) -> str:
    """The least final of several data statuses."""
    return max(statuses, key=lambda s: _STATUS_ORDER.index(s) if s in _STATUS_ORDER else 9)


def estimates_from_series(series: pd.DataFrame) -> dict[tuple[Quantity, str], Estimate]:
    """Index the printed rows of ``series.csv`` by (quantity, unit)."""
    out = {}
    for r in series.itertuples(index=False):
        q = Quantity(r.series, r.segment, r.period, r.measure, r.base_period)
        out[(q, r.unit)] = Estimate(
            q,
            r.unit,
            float(r.value),
            Interval(r.low, r.high),
            Interval(r.low_trunc, r.high_trunc),
            r.origin,
            frozenset({q.ref}) if r.origin == "printed" else frozenset(),
            r.data_status,
        )
    return out


def _pow_interval(x: Interval, exponent: float) -> Interval:
    """``x ** exponent`` for a positive interval and a positive exponent (monotone)."""
    if x.low <= 0:
        raise ZeroDivisionError(f"power of an interval that is not positive: {x}")
    return Interval(x.low**exponent, x.high**exponent)


def _sum(xs: list[Interval]) -> Interval:
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


def _years_between(period: str, base: str) -> int:
    p, b = parse_period(period), parse_period(base)
    return (p.end.year - b.end.year) if p.end.month == b.end.month else 0


def _adjacent_sum(a: str, b: str) -> str | None:
    """The standard period (half or year) made of two adjacent quarters or halves, if any."""
    pa, pb = parse_period(a), parse_period(b)
    if pa.kind != pb.kind or pa.kind not in ("quarter", "half"):
        return None
    following = (pa.end.year + (pa.end.month == 12), pa.end.month % 12 + 1)
    if following != (pb.start.year, pb.start.month):
        return None
    joined = period_from_months(pa.start, pb.end)
    return joined.code if joined.kind in ("half", "year") else None


def _complement(outer: str, inner: str) -> str | None:
    """The months of ``outer`` not in ``inner`` when ``inner`` shares its start or end."""
    po, pi = parse_period(outer), parse_period(inner)
    if not (po.start <= pi.start and pi.end <= po.end) or po.same_span(pi):
        return None
    if po.start == pi.start:
        month = pi.end.month % 12 + 1
        start = date(pi.end.year + (pi.end.month == 12), month, 1)
        return period_from_months(start, po.end).code
    if po.end == pi.end:
        y, m = (
            (pi.start.year, pi.start.month - 1) if pi.start.month > 1 else (pi.start.year - 1, 12)
        )
        return period_from_months(po.start, date(y, m, 1)).code
    return None


def primary_units(est: dict[tuple[Quantity, str], Estimate]) -> dict[str, str]:
    """Each series' own currency: the unit of most of its levels (ties: alphabetical)."""
    counts: dict[str, dict[str, int]] = {}
    for q, unit in est:
        if q.measure == "level":
            by_unit = counts.setdefault(q.series, {})
            by_unit[unit] = by_unit.get(unit, 0) + 1
    return {s: min(c, key=lambda u: (-c[u], u)) for s, c in counts.items()}


def relations(est: dict[tuple[Quantity, str], Estimate]) -> list[Relation]:
    """Every identity the current estimates allow, in a deterministic order.

    Only levels in their series' own unit enter the identities: a dirham series printed once in
    dollars (an outlet's own conversion) is checked by the currency conversion, not mixed in.
    """
    own = primary_units(est)
    levels: dict[tuple[str, str, str], dict[str, Estimate]] = {}
    for (q, unit), e in sorted(est.items(), key=lambda kv: (kv[0][0].ref, kv[0][1])):
        if q.measure == "level" and own.get(q.series) == unit:
            levels.setdefault((q.series, q.segment, unit), {})[q.period] = e
    out: list[Relation] = []

    def level(series: str, segment: str, period: str, unit: str) -> Estimate | None:
        return levels.get((series, segment, unit), {}).get(period)

    # Changes and average growth: printed (or derived) percentages with the levels they link.
    for (q, _unit), e in sorted(est.items(), key=lambda kv: kv[0][0].ref):
        if q.measure not in ("change_pct", "avg_growth_pct"):
            continue
        for (series, segment, unit), periods in sorted(levels.items()):
            if (series, segment) != (q.series, q.segment):
                continue
            new, base = periods.get(q.period), periods.get(q.base_period)
            target_base = Quantity(series, segment, q.base_period, "level")
            if q.measure == "change_pct" and new is not None:
                out.append(
                    Relation(
                        "base_from_change",
                        target_base,
                        unit,
                        (new, e),
                        lambda x: level_from_change(x[0], x[1]),
                        f"level({q.period}) / (1 + change_pct({q.period}) / 100)",
                    )
                )
            if new is not None and base is not None:
                if q.measure == "change_pct":
                    out.append(
                        Relation(
                            "change_from_levels",
                            q,
                            "pct",
                            (new, base),
                            lambda x: growth_pct(x[0], x[1]),
                            f"100 * (level({q.period}) / level({q.base_period}) - 1)",
                        )
                    )
                else:
                    n = _years_between(q.period, q.base_period)
                    if n > 0:
                        out.append(
                            Relation(
                                "base_from_avg_growth",
                                target_base,
                                unit,
                                (new, e),
                                lambda x, n=n: x[0] / _pow_interval(1 + x[1] / 100, n),
                                f"level({q.period}) / (1 + avg_growth_pct / 100)^{n}",
                            )
                        )
                    if n > 0:
                        out.append(
                            Relation(
                                "avg_growth_from_levels",
                                q,
                                "pct",
                                (new, base),
                                lambda x, n=n: (_pow_interval(x[0] / x[1], 1 / n) - 1) * 100,
                                f"100 * ((level({q.period}) / level({q.base_period}))^(1/{n}) - 1)",
                                derive=False,
                            )
                        )
    for (series, segment, unit), periods in sorted(levels.items()):
        names = sorted(periods, key=lambda p: (parse_period(p).start, parse_period(p).end))
        # Year-on-year changes between two known levels.
        for p in names:
            base = shift_years(parse_period(p), -1).code
            if base in periods:
                q = Quantity(series, segment, p, "change_pct", base)
                if (q, "pct") not in est:
                    out.append(
                        Relation(
                            "change_from_levels",
                            q,
                            "pct",
                            (periods[p], periods[base]),
                            lambda x: growth_pct(x[0], x[1]),
                            f"100 * (level({p}) / level({base}) - 1)",
                        )
                    )
        # Complements (year - H1 = H2; year-to-date ranges) and sums of adjacent periods.
        for outer in names:
            for inner in names:
                rest = _complement(outer, inner)
                if rest is not None:
                    out.append(
                        Relation(
                            "period_complement",
                            Quantity(series, segment, rest, "level"),
                            unit,
                            (periods[outer], periods[inner]),
                            lambda x: x[0] - x[1],
                            f"level({outer}) - level({inner})",
                        )
                    )
                joined = _adjacent_sum(outer, inner)
                if joined is not None:
                    out.append(
                        Relation(
                            "period_sum",
                            Quantity(series, segment, joined, "level"),
                            unit,
                            (periods[outer], periods[inner]),
                            lambda x: x[0] + x[1],
                            f"level({outer}) + level({inner})",
                        )
                    )
    # Composites are the sum of their parts (ITO_CRM = ITO + CRM).
    for composite, parts in sorted(COMPOSITES.items()):
        printed_in = {q.series for (q, _u) in est if q.segment == composite}
        for (q, unit), _e in sorted(est.items(), key=lambda kv: (kv[0][0].ref, kv[0][1])):
            if (
                q.segment != parts[0]
                or q.series not in printed_in
                or q.measure not in ("level", "share_pct")
                or (q.measure == "level" and own.get(q.series) != unit)
            ):
                continue
            found = [est.get((Quantity(q.series, s, q.period, q.measure), unit)) for s in parts]
            if all(found):
                out.append(
                    Relation(
                        "composite_sum",
                        Quantity(q.series, composite, q.period, q.measure),
                        unit,
                        tuple(found),
                        _sum,
                        " + ".join(f"{q.measure}({s})" for s in parts),
                    )
                )
    # Segments and shares.
    for (series, segment, unit), periods in sorted(levels.items()):
        if segment != "total":
            continue
        for period, total in sorted(periods.items()):
            parts = SEGMENT_SETS.get(series, ())
            found = [level(series, s, period, unit) for s in parts]
            if parts and all(found):
                out.append(
                    Relation(
                        "segments_sum",
                        Quantity(series, "total", period, "level"),
                        unit,
                        tuple(found),
                        _sum,
                        " + ".join(f"level({s})" for s in parts),
                    )
                )
            for (s2, seg, u2), seg_periods in sorted(levels.items()):
                if (
                    s2 != series
                    or u2 != unit
                    or seg in NOT_PARTS | {"total"}
                    or period not in seg_periods
                ):
                    continue
                out.append(
                    Relation(
                        "share_from_levels",
                        Quantity(series, seg, period, "share_pct"),
                        "pct",
                        (seg_periods[period], total),
                        lambda x: share_pct(x[0], x[1]),
                        f"100 * level({seg}) / level(total)",
                    )
                )
    for (q, _unit), e in sorted(est.items(), key=lambda kv: kv[0][0].ref):
        if q.measure != "share_pct" or q.segment in NOT_PARTS:
            continue
        for (series, segment, unit), periods in sorted(levels.items()):
            if series == q.series and segment == "total" and q.period in periods:
                out.append(
                    Relation(
                        "level_from_share",
                        Quantity(q.series, q.segment, q.period, "level"),
                        unit,
                        (e, periods[q.period]),
                        lambda x: x[0] * x[1] / 100,
                        "share_pct / 100 * level(total)",
                    )
                )
    # A level printed in dollars for a dirham series: the dirham level over the year's rate.
    rates = {(q.segment, q.period): e for (q, _u), e in est.items() if q.series == "exchange_rate"}
    for q, unit in sorted(est, key=lambda k: (k[0].ref, k[1])):
        p = parse_period(q.period)
        mad = level(q.series, q.segment, q.period, "MAD mn")
        rate = rates.get(("MAD_PER_USD", str(p.start.year)))
        if (
            q.measure != "level"
            or unit != "USD mn"
            or own.get(q.series) != "MAD mn"
            or p.start.year != p.end.year
            or mad is None
            or rate is None
        ):
            continue
        out.append(
            Relation(
                "currency_conversion",
                q,
                unit,
                (mad, rate),
                lambda x: x[0] / x[1],
                f"level in MAD / MAD per USD (World Bank annual average {p.start.year})",
                derive=False,
            )
        )
    # Shares of a complete set add up to 100.
    periods_with_shares = sorted({q.period for (q, _u) in est if q.measure == "share_pct"})
    for series, parts in sorted(SEGMENT_SETS.items()):
        for period in periods_with_shares:
            found = [est.get((Quantity(series, s, period, "share_pct"), "pct")) for s in parts]
            if all(found):
                out.append(
                    Relation(
                        "shares_sum_100",
                        Quantity(series, "total", period, "share_pct"),
                        "pct",
                        tuple(found),
                        _sum,
                        " + ".join(f"share_pct({s})" for s in parts),
                        derive=False,
                    )
                )
    return [_with_deps(r) for r in out]


def _with_deps(r: Relation) -> Relation:
    deps = frozenset().union(*(e.deps for e in r.inputs))
    return Relation(r.kind, r.target, r.unit, r.inputs, r.fn, r.formula, r.derive, deps)


def usable(r: Relation) -> bool:
    """A relation is usable unless it is circular: an input rests on the target itself, or the
    same printed quantity enters twice (``total - total``)."""
    if r.target.ref in r.deps and r.kind != "currency_conversion":
        # (a conversion's target is the same quantity in another unit, not a circle)
        return False
    refs = [e.q.ref for e in r.inputs]
    return len(set(refs)) == len(refs)


def derive(
    est: dict[tuple[Quantity, str], Estimate],
) -> dict[tuple[Quantity, str], tuple[Estimate, Relation]]:
    """Run the relations to a fixed point and return the derived estimates with the relation
    that produced each (the first usable one in the deterministic order)."""
    known = dict(est)
    derived: dict[tuple[Quantity, str], tuple[Estimate, Relation]] = {}
    for _ in range(MAX_PASSES):
        new = {}
        for r in relations(known):
            key = (r.target, r.unit)
            if not r.derive or key in known or key in new or not usable(r):
                continue
            try:
                span, span_trunc, value = r.compute(), r.compute(truncated=True), r.point()
            except ZeroDivisionError:
                continue
            e = Estimate(
                r.target,
                r.unit,
                value,
                span,
                span_trunc,
                "derived",
                r.deps,
                weakest_status([i.data_status for i in r.inputs]),
            )
            new[key] = (e, r)
        if not new:
            break
        for key, (e, r) in new.items():
            known[key] = e
            derived[key] = (e, r)
    return derived


def derived_rows(derived: dict[tuple[Quantity, str], tuple[Estimate, Relation]]) -> pd.DataFrame:
    """The derived estimates as rows of ``series.csv`` (``origin == "derived"``)."""
    rows = []
    for (q, unit), (e, r) in sorted(derived.items(), key=lambda kv: (kv[0][0].ref, kv[0][1])):
        p = parse_period(q.period)
        rows.append(
            {
                "series": q.series,
                "segment": q.segment,
                "period": q.period,
                "period_kind": p.kind,
                "period_start": p.start.isoformat(),
                "period_end": p.end.isoformat(),
                "measure": q.measure,
                "base_period": q.base_period,
                "value": e.value,
                "low": e.span.low,
                "high": e.span.high,
                "unit": unit,
                "origin": "derived",
                "agreement": "",
                "n_sources": 0,
                "best_release_id": "",
                "conflicted": False,
                "data_status": e.data_status,
                "formula": f"{r.kind}: {r.formula}",
                "inputs": r.input_refs,
                "low_trunc": e.span_trunc.low,
                "high_trunc": e.span_trunc.high,
            }
        )
    return pd.DataFrame(rows, columns=list(SERIES_COLUMNS))
