"""Identities between quantities, and the values they derive where nothing was printed.

An identity (a :class:`Relation`) computes one quantity, its *target*, from others with interval
arithmetic: a base-period level from a level and a change, a half from a year and the other half,
a share from a level and the total, a change from two levels, a total from its segments. Where
the target was printed, the identity is a check (``checks.py``); where it was not, its result is
a derived row of ``series.csv``, labelled with its formula and inputs. A derived value never
overrides a printed one. Derivation runs to a fixed point, so a derived value can feed another
(CRM 2024-H2 = Q3 + Q4, then CRM 2024-H1 = 2024 - H2).

Each kind of identity is one small builder in :data:`BUILDERS`. Two rules apply to all:

* **No pooling of producers** unless the series' vocabulary entry says so
  (``vocab.POOLED_PRODUCERS``): the inputs of an identity must share a producer.
* **No point where there is no point**: a derived row whose interval is unbounded on a side, or
  one of whose inputs is, has an empty value and keeps its interval. Forecasts never enter.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from digital_exports.base.frames import each_row
from digital_exports.contract.periods import (
    PeriodError,
    parse_period,
    period_from_months,
    shift_years,
)
from digital_exports.contract.vocab import COMPOSITES, NOT_PARTS, POOLED_PRODUCERS, SEGMENT_SETS
from digital_exports.model.intervals import (
    Interval,
    fmt_interval,
    growth_pct,
    level_from_change,
    loosened,
    overlaps,
    share_pct,
    sum_intervals,
)
from digital_exports.model.reconcile import (
    Quantity,
    own_units,
    series_row_columns,
    weakest_status,
)

MAX_PASSES = 6
#: Relation kinds that link a quantity with a reference (a rate), not with a producer's data.
_REFERENCE_KINDS = frozenset({"currency_conversion"})


@dataclass(frozen=True)
class Estimate:
    """What is known of one quantity in one unit.

    Attributes:
        q: the quantity.
        unit: canonical unit.
        value: point value (the most precise print, or the formula applied to point values; NaN
            where there is no point).
        span: the interval (round numbers read at their coarse precision).
        span_fine: the interval if every printed digit is significant.
        origin: ``printed`` or ``derived``.
        deps: the printed quantities (refs) this estimate rests on.
        data_status: ``final``, ``preliminary`` or ``unknown`` (derived: the weakest input's).
        producers: the producers (keys) whose prints it rests on.
        other_routes: a derived estimate's other routes (relations of the pass that first
            derived it) whose interval shares no value with this one's, as readable
            ``formula = [low, high]``: the prints behind them cannot all be right.
    """

    q: Quantity
    unit: str
    value: float
    span: Interval
    span_fine: Interval
    origin: str
    deps: frozenset[str]
    data_status: str
    producers: frozenset[str] = frozenset()
    other_routes: tuple[str, ...] = ()


Fn = Callable[[list[Interval]], Interval]


@dataclass(frozen=True)
class Relation:
    """An identity ``target = fn(inputs)``.

    Attributes:
        kind: the builder's kind (``segments_sum``, ``change_from_levels``...).
        target: the quantity computed.
        unit: the unit of the target.
        inputs: the estimates it is computed from.
        fn: the computation on intervals.
        formula: the formula in words, e.g. ``level(2024) / (1 + change_pct(2024 vs 2023)/100)``.
        derive: whether the relation may create a derived row (else it only checks).
        deps: the printed quantities its inputs rest on.
        producers: the producers its inputs share (all of them for a pooled series).
    """

    kind: str
    target: Quantity
    unit: str
    inputs: tuple[Estimate, ...]
    fn: Fn
    formula: str
    derive: bool = True
    deps: frozenset[str] = field(default=frozenset())
    producers: frozenset[str] = field(default=frozenset())

    def compute(self, fine: bool = False) -> Interval:
        """The target's interval from the inputs' intervals (fine: every digit significant)."""
        return self.fn([e.span_fine if fine else e.span for e in self.inputs])

    def point(self) -> float:
        """The formula on the inputs' point values; NaN when an input or the result is unbounded
        (a lower bound or a forecast has no point to carry)."""
        if any(not e.span.is_bounded or math.isnan(e.value) for e in self.inputs):
            return math.nan
        return self.fn([Interval.point(e.value) for e in self.inputs]).midpoint

    @property
    def input_refs(self) -> str:
        return ";".join(e.q.ref for e in self.inputs)


Estimates = dict[tuple[Quantity, str], Estimate]


def estimates_from_series(series: pd.DataFrame) -> Estimates:
    """Index the rows of ``series.csv`` by (quantity, unit); forecasts are left out."""
    out = {}
    for r in each_row(series):
        if r.data_status == "forecast":
            continue
        q = Quantity(r.series, r.segment, r.period, r.measure, r.base_period)
        out[(q, r.unit)] = Estimate(
            q,
            r.unit,
            float(r.value),
            Interval(r.low, r.high),
            Interval(r.low_fine, r.high_fine),
            r.origin,
            frozenset({q.ref}) if r.origin == "printed" else frozenset(),
            r.data_status,
            frozenset(str(r.producers).split(";")) if r.producers else frozenset(),
        )
    return out


# ------------------------------------------------------------------------- helpers


def _pow_interval(x: Interval, exponent: float) -> Interval:
    """``x ** exponent`` for a positive interval and a positive exponent (monotone)."""
    if x.low <= 0:
        raise ZeroDivisionError(f"power of an interval that is not positive: {x}")
    return Interval(x.low**exponent, x.high**exponent)


def _discount(n: int) -> Fn:
    """``level / (1 + growth / 100) ** n``: the level ``n`` years before."""

    def fn(x: list[Interval]) -> Interval:
        return x[0] / _pow_interval(1 + x[1] / 100, n)

    return fn


def _annualised(n: int) -> Fn:
    """``100 * ((new / base) ** (1 / n) - 1)``: the average annual growth over ``n`` years."""

    def fn(x: list[Interval]) -> Interval:
        return (_pow_interval(x[0] / x[1], 1 / n) - 1) * 100

    return fn


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


@dataclass(frozen=True)
class Context:
    """What every builder reads: the estimates, each series' own unit, and the levels in it by
    (series, segment) and period."""

    est: Estimates
    own: dict[str, str]
    levels: dict[tuple[str, str], dict[str, Estimate]]

    @classmethod
    def of(cls, est: Estimates) -> Context:
        own = own_units([(q.series, q.measure, u) for (q, u) in est])
        levels: dict[tuple[str, str], dict[str, Estimate]] = {}
        for (q, unit), e in sorted(est.items(), key=lambda kv: (kv[0][0].ref, kv[0][1])):
            if q.measure == "level" and own.get(q.series) == unit:
                levels.setdefault((q.series, q.segment), {})[q.period] = e
        return cls(est, own, levels)

    def level(self, series: str, segment: str, period: str) -> Estimate | None:
        return self.levels.get((series, segment), {}).get(period)

    def of_measure(self, *measures: str) -> Iterator[tuple[Quantity, str, Estimate]]:
        for (q, unit), e in sorted(self.est.items(), key=lambda kv: (kv[0][0].ref, kv[0][1])):
            if q.measure in measures:
                yield q, unit, e


Builder = Callable[[Context], Iterator[Relation]]


def _rel(
    kind: str,
    target: Quantity,
    unit: str,
    inputs: tuple[Estimate, ...],
    fn: Fn,
    formula: str,
    derive: bool = True,
) -> Relation:
    return Relation(kind, target, unit, inputs, fn, formula, derive)


# ------------------------------------------------------------------------- builders


def _changes_with_levels(ctx: Context) -> Iterator[Relation]:
    """A printed change with its level: the base level; with both levels: the change itself;
    average growth likewise; a ratio to another period likewise."""
    for q, _unit, e in ctx.of_measure("change_pct", "avg_growth_pct", "ratio_pct"):
        new, base = (
            ctx.level(q.series, q.segment, q.period),
            ctx.level(q.series, q.segment, q.base_period),
        )
        unit = ctx.own.get(q.series, "")
        target_base = Quantity(q.series, q.segment, q.base_period, "level")
        if q.measure == "change_pct":
            if new is not None:
                yield _rel(
                    "base_from_change",
                    target_base,
                    unit,
                    (new, e),
                    lambda x: level_from_change(x[0], x[1]),
                    f"level({q.period}) / (1 + change_pct({q.period}) / 100)",
                )
            if new is not None and base is not None:
                yield _rel(
                    "change_from_levels",
                    q,
                    "pct",
                    (new, base),
                    lambda x: growth_pct(x[0], x[1]),
                    f"100 * (level({q.period}) / level({q.base_period}) - 1)",
                )
        elif q.measure == "ratio_pct":
            if new is not None:
                yield _rel(
                    "base_from_ratio",
                    target_base,
                    unit,
                    (new, e),
                    lambda x: x[0] / x[1] * 100,
                    f"level({q.period}) / ratio_pct * 100",
                )
            if new is not None and base is not None:
                yield _rel(
                    "ratio_from_levels",
                    q,
                    "pct",
                    (new, base),
                    lambda x: x[0] / x[1] * 100,
                    f"100 * level({q.period}) / level({q.base_period})",
                    derive=False,
                )
        else:
            n = _years_between(q.period, q.base_period)
            if n > 0 and new is not None:
                yield _rel(
                    "base_from_avg_growth",
                    target_base,
                    unit,
                    (new, e),
                    _discount(n),
                    f"level({q.period}) / (1 + avg_growth_pct / 100)^{n}",
                )
            if n > 0 and new is not None and base is not None:
                yield _rel(
                    "avg_growth_from_levels",
                    q,
                    "pct",
                    (new, base),
                    _annualised(n),
                    f"100 * ((level({q.period}) / level({q.base_period}))^(1/{n}) - 1)",
                    derive=False,
                )


def _year_on_year(ctx: Context) -> Iterator[Relation]:
    """Year-on-year changes between two known levels, where none was printed."""
    for (series, segment), periods in sorted(ctx.levels.items()):
        for p in sorted(periods):
            try:
                base = shift_years(parse_period(p), -1).code
            except PeriodError:  # the first year of the period domain has no year before
                continue
            q = Quantity(series, segment, p, "change_pct", base)
            if base in periods and (q, "pct") not in ctx.est:
                yield _rel(
                    "change_from_levels",
                    q,
                    "pct",
                    (periods[p], periods[base]),
                    lambda x: growth_pct(x[0], x[1]),
                    f"100 * (level({p}) / level({base}) - 1)",
                )


def _periods(ctx: Context) -> Iterator[Relation]:
    """Complements (year - H1 = H2; year-to-date ranges) and sums of adjacent periods."""
    for (series, segment), periods in sorted(ctx.levels.items()):
        unit = ctx.own[series]
        parsed = {p: parse_period(p) for p in periods}
        names = sorted(periods, key=lambda p: (parsed[p].start, parsed[p].end))
        # Only periods that share a start or an end with ``outer``, or begin the month after
        # it ends, can make a complement or a sum with it: look those up instead of trying
        # every pair, so the cost grows with the periods, not with their square (the pairs
        # are tried in the same order as before, so the same relations come out in order).
        position = {p: i for i, p in enumerate(names)}
        by_start: dict[tuple[int, int], list[str]] = {}
        by_end: dict[tuple[int, int], list[str]] = {}
        for p in names:
            by_start.setdefault((parsed[p].start.year, parsed[p].start.month), []).append(p)
            by_end.setdefault((parsed[p].end.year, parsed[p].end.month), []).append(p)
        for outer in names:
            o = parsed[outer]
            after = (o.end.year + (o.end.month == 12), o.end.month % 12 + 1)
            candidates = {
                *by_start.get((o.start.year, o.start.month), ()),
                *by_end.get((o.end.year, o.end.month), ()),
                *by_start.get(after, ()),
            }
            for inner in sorted(candidates, key=position.__getitem__):
                rest = _complement(outer, inner)
                if rest is not None:
                    yield _rel(
                        "period_complement",
                        Quantity(series, segment, rest, "level"),
                        unit,
                        (periods[outer], periods[inner]),
                        lambda x: x[0] - x[1],
                        f"level({outer}) - level({inner})",
                    )
                joined = _adjacent_sum(outer, inner)
                if joined is not None:
                    yield _rel(
                        "period_sum",
                        Quantity(series, segment, joined, "level"),
                        unit,
                        (periods[outer], periods[inner]),
                        lambda x: x[0] + x[1],
                        f"level({outer}) + level({inner})",
                    )


def _composites(ctx: Context) -> Iterator[Relation]:
    """Composites are the sum of their parts (ITO_CRM = ITO + CRM), levels and shares."""
    for composite, parts in sorted(COMPOSITES.items()):
        printed_in = {q.series for (q, _u) in ctx.est if q.segment == composite}
        for q, unit, _e in ctx.of_measure("level", "share_pct"):
            if q.segment != parts[0] or q.series not in printed_in:
                continue
            if q.measure == "level" and ctx.own.get(q.series) != unit:
                continue
            found = [ctx.est.get((Quantity(q.series, s, q.period, q.measure), unit)) for s in parts]
            if all(found):
                yield _rel(
                    "composite_sum",
                    Quantity(q.series, composite, q.period, q.measure),
                    unit,
                    tuple(e for e in found if e is not None),
                    sum_intervals,
                    " + ".join(f"{q.measure}({s})" for s in parts),
                )


def _segments_and_shares(ctx: Context) -> Iterator[Relation]:
    """The total is the sum of a complete set of segments; a share is level over total."""
    for (series, segment), periods in sorted(ctx.levels.items()):
        if segment != "total":
            continue
        unit = ctx.own[series]
        for period, total in sorted(periods.items()):
            parts = SEGMENT_SETS.get(series, ())
            found = [ctx.level(series, s, period) for s in parts]
            if parts and all(found):
                yield _rel(
                    "segments_sum",
                    Quantity(series, "total", period, "level"),
                    unit,
                    tuple(e for e in found if e is not None),
                    sum_intervals,
                    " + ".join(f"level({s})" for s in parts),
                )
            for (s2, seg), seg_periods in sorted(ctx.levels.items()):
                if s2 != series or seg in NOT_PARTS | {"total"} or period not in seg_periods:
                    continue
                yield _rel(
                    "share_from_levels",
                    Quantity(series, seg, period, "share_pct"),
                    "pct",
                    (seg_periods[period], total),
                    lambda x: share_pct(x[0], x[1]),
                    f"100 * level({seg}) / level(total)",
                )


def _levels_from_shares(ctx: Context) -> Iterator[Relation]:
    """A segment's level is its share of the total level."""
    for q, _unit, e in ctx.of_measure("share_pct"):
        total = ctx.level(q.series, "total", q.period)
        if q.segment not in NOT_PARTS and total is not None:
            yield _rel(
                "level_from_share",
                Quantity(q.series, q.segment, q.period, "level"),
                ctx.own[q.series],
                (e, total),
                lambda x: x[0] * x[1] / 100,
                "share_pct / 100 * level(total)",
            )


def _currency_conversions(ctx: Context) -> Iterator[Relation]:
    """A dirham series' level printed in dollars or euros: the dirham level over the year's
    rates (World Bank annual averages)."""
    rates = {
        (q.segment, q.period): e for (q, _u), e in ctx.est.items() if q.series == "exchange_rate"
    }
    for q, unit, _e in ctx.of_measure("level"):
        p = parse_period(q.period)
        year = str(p.start.year)
        mad = ctx.level(q.series, q.segment, q.period)
        if ctx.own.get(q.series) != "MAD mn" or unit == "MAD mn" or p.start.year != p.end.year:
            continue
        mad_usd = rates.get(("MAD_PER_USD", year))
        if mad is None or mad_usd is None:
            continue
        if unit == "USD mn":
            yield _rel(
                "currency_conversion",
                q,
                unit,
                (mad, mad_usd),
                lambda x: x[0] / x[1],
                f"level in MAD / MAD per USD (World Bank annual average {year})",
                derive=False,
            )
        elif unit == "EUR mn" and (eur_usd := rates.get(("EUR_PER_USD", year))) is not None:
            yield _rel(
                "currency_conversion",
                q,
                unit,
                (mad, mad_usd, eur_usd),
                lambda x: x[0] / x[1] * x[2],
                f"level in MAD / MAD per USD * EUR per USD (annual averages {year})",
                derive=False,
            )


def _shares_sum_100(ctx: Context) -> Iterator[Relation]:
    """The shares of a complete set of segments add up to 100."""
    periods = sorted({q.period for (q, _u) in ctx.est if q.measure == "share_pct"})
    for series, parts in sorted(SEGMENT_SETS.items()):
        for period in periods:
            found = [ctx.est.get((Quantity(series, s, period, "share_pct"), "pct")) for s in parts]
            if all(found):
                yield _rel(
                    "shares_sum_100",
                    Quantity(series, "total", period, "share_pct"),
                    "pct",
                    tuple(e for e in found if e is not None),
                    sum_intervals,
                    " + ".join(f"share_pct({s})" for s in parts),
                    derive=False,
                )


#: Every kind of identity, one builder each, in the order their relations are tried.
BUILDERS: tuple[Builder, ...] = (
    _changes_with_levels,
    _year_on_year,
    _periods,
    _composites,
    _segments_and_shares,
    _levels_from_shares,
    _currency_conversions,
    _shares_sum_100,
)


def _with_provenance(r: Relation) -> Relation | None:
    """The relation with its deps and shared producers; None when it would pool producers of a
    series that does not allow it."""
    deps = frozenset().union(*(e.deps for e in r.inputs))
    if r.target.series in POOLED_PRODUCERS or r.kind in _REFERENCE_KINDS:
        producers = frozenset().union(*(e.producers for e in r.inputs))
    else:
        producers = frozenset.intersection(*(e.producers for e in r.inputs))
        if not producers:
            return None
    return replace(r, deps=deps, producers=producers)


def relations(est: Estimates) -> list[Relation]:
    """Every identity the current estimates allow, in a deterministic order.

    Only levels in their series' own unit enter the identities: a dirham series printed once in
    dollars (an outlet's own conversion) is checked by the currency conversion, not mixed in.
    """
    ctx = Context.of(est)
    out = []
    for build in BUILDERS:
        for r in build(ctx):
            if (kept := _with_provenance(r)) is not None:
                out.append(kept)
    return out


def usable(r: Relation) -> bool:
    """A relation is usable unless it is circular: an input rests on the target itself, or the
    same printed quantity enters twice (``total - total``)."""
    if r.target.ref in r.deps and r.kind not in _REFERENCE_KINDS:
        # (a conversion's target is the same quantity in another unit, not a circle)
        return False
    refs = [e.q.ref for e in r.inputs]
    return len(set(refs)) == len(refs)


Derived = dict[tuple[Quantity, str], tuple[Estimate, Relation]]


@dataclass(frozen=True)
class Graph:
    """The model's one graph of estimates: the printed ones, those derived from them with the
    relation that produced each, and every relation among them all (what the checks and the
    evidence for conflicts read).

    Attributes:
        printed: the printed estimates (``estimates_from_series``).
        derived: the derived estimates, each with the relation that produced it.
        relations: every relation the printed and derived estimates allow, in the order of
            :func:`relations`.
    """

    printed: Estimates
    derived: Derived
    relations: list[Relation]

    @property
    def every(self) -> Estimates:
        """The printed and the derived estimates."""
        return {**self.printed, **{key: e for key, (e, _r) in self.derived.items()}}


def build_graph(est: Estimates) -> Graph:
    """Run the relations to a fixed point (:func:`derive`) and keep the relations of that fixed
    point, which the last pass computed anyway."""
    known = dict(est)
    derived: Derived = {}
    for _ in range(MAX_PASSES):
        current = relations(known)
        new = _derive_pass(known, current)
        if not new:
            return Graph(est, derived, current)
        for key, (e, r) in new.items():
            known[key] = e
            derived[key] = (e, r)
    return Graph(est, derived, relations(known))


def derive(est: Estimates) -> Derived:
    """Run the relations to a fixed point and return the derived estimates with the relation
    that produced each.

    Several routes may reach one quantity in the pass that first derives it (``Q2 = H1 - Q1``
    and ``Q2 = (2015 - Q1) - H2``). The first usable one in the deterministic order of
    :data:`BUILDERS` is the estimate, its interval that route's; the others are compared with it,
    and those whose interval shares no value with it are kept in ``other_routes``
    (``series.csv`` then flags the row ``conflicted``): every route bounds the true value, so
    two disjoint routes mean that some print behind them is wrong.
    """
    return build_graph(est).derived


def _derive_pass(known: Estimates, current: list[Relation]) -> Derived:
    """One pass: the quantities that ``current`` (the relations among ``known``) derives and
    ``known`` lacks, each from its first usable route, flagged when another route disagrees."""
    new: Derived = {}
    others: dict[tuple[Quantity, str], list[Relation]] = {}
    for r in current:
        key = (r.target, r.unit)
        if not r.derive or key in known or not usable(r):
            continue
        if key in new:
            others.setdefault(key, []).append(r)
            continue
        try:
            span, span_fine, value = r.compute(), r.compute(fine=True), r.point()
        except ZeroDivisionError:
            continue
        if not span.is_bounded:
            value = math.nan
        status = weakest_status([i.data_status for i in r.inputs])
        e = Estimate(
            r.target, r.unit, value, span, span_fine, "derived", r.deps, status, r.producers
        )
        new[key] = (e, r)
    for key, (e, r) in new.items():
        disjoint = _disjoint_routes(e.span, others.get(key, []))
        if disjoint:
            new[key] = (replace(e, other_routes=disjoint), r)
    return new


def _disjoint_routes(span: Interval, routes: list[Relation]) -> tuple[str, ...]:
    """The routes whose interval shares no value with ``span`` (up to floating-point error)."""
    out = []
    for r in routes:
        try:
            other = r.compute()
        except ZeroDivisionError:
            continue
        if not overlaps(loosened(span), other):
            out.append(f"{r.kind}: {r.formula} = {fmt_interval(other)}")
    return tuple(out)


def derived_rows(derived: Derived) -> pd.DataFrame:
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
                "low_fine": e.span_fine.low,
                "high_fine": e.span_fine.high,
                "unit": unit,
                "origin": "derived",
                "agreement": "conflict" if e.other_routes else "",
                "n_sources": 0,
                "best_release_id": "",
                "conflicted": bool(e.other_routes),
                "data_status": e.data_status,
                "producers": ";".join(sorted(e.producers)),
                "formula": f"{r.kind}: {r.formula}"
                + "".join(f"; disagrees with {o}" for o in e.other_routes),
                "inputs": r.input_refs,
            }
        )
    return pd.DataFrame(rows, columns=series_row_columns())
