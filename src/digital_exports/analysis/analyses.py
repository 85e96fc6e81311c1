"""Tables for the analysis notebooks: a year by segment, two periods, the long run, one release.

Each function reads the processed tables (``series.csv``, ``checks.csv``, ``published_figures.csv``,
``releases.csv``) and returns a :class:`Result`: the table, notes for the reader (what is not
known, what was converted how) and the releases the figures come from.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from digital_exports.analysis.labels import (
    Codes,
    Field,
    Items,
    Note,
    Num,
    When,
    Words,
    markdown_text,
    plain,
    readable_reason,
    say,
    short_series_label,
    unit_label,
)
from digital_exports.base.frames import each_row
from digital_exports.base.recorded import RELEASES_MIME
from digital_exports.contract.periods import latest, parse_period, recency, year_before
from digital_exports.contract.vocab import COMPOSITES, CONTEXT_SERIES, SEGMENT_SETS, SERIES
from digital_exports.model.currency import (
    UNIT_OF,
    CurrencyError,
    Rates,
    convert_levels,
    currency_of,
)
from digital_exports.model.intervals import Interval, growth_pct, overlaps, share_pct
from digital_exports.model.reconcile import Quantity, canonical_period, own_units
from digital_exports.tables.io import empty_table, read_table


@dataclass(frozen=True)
class Tables:
    """The processed tables the analyses read, and the exchange rates."""

    figures: pd.DataFrame
    series: pd.DataFrame
    checks: pd.DataFrame
    releases: pd.DataFrame
    rates: Rates
    projections: pd.DataFrame


def load_tables(processed: Path) -> Tables:
    """Read ``published_figures.csv``, ``series.csv``, ``checks.csv``, ``releases.csv`` and
    ``projections.csv`` from ``processed`` through the typed reader
    (:func:`digital_exports.tables.io.read_table`): each column has its declared dtype; open
    bounds are infinite. The projections are read by the reports that declare them as an
    input (70, 80); where the table is not there, they are an empty table."""

    def read(name: str) -> pd.DataFrame:
        return read_table(processed / name)

    series = read("series.csv")
    return Tables(
        read("published_figures.csv"),
        series,
        read("checks.csv"),
        read("releases.csv"),
        Rates.from_series(series),
        read("projections.csv")
        if (processed / "projections.csv").exists()
        else empty_table("projections"),
    )


def latest_periods(series: pd.DataFrame, name: str) -> list[str]:
    """The latest year and the latest period shorter than a year with a level of series
    ``name``'s total, each with the same period a year before: the periods a reader of the
    newest release wants side by side, oldest first (none when the series has no total).

    Of two periods ending together, the longer is the later (a half before its second quarter).
    """
    totals = series[
        (series["series"] == name) & (series["segment"] == "total") & (series["measure"] == "level")
    ]
    chosen: set[str] = set()
    for annual in (True, False):
        mine = totals[(totals["period_kind"] == "year") == annual]
        if mine.empty:
            continue
        last = str(latest(mine["period"]))
        chosen |= {last, year_before(last)}
    return sorted(chosen, key=recency)


def notes_markdown(result: Result, lang: str = "en", otherwise: str = "") -> str:
    """The notes of a result as a Markdown list, written in ``lang``; when there are none, the
    sentence of the label layer's key ``otherwise`` (or nothing). Each note is literal text
    (:func:`~digital_exports.analysis.labels.markdown_text`), since notes quote the data."""
    if not result.notes:
        return markdown_text(say(Note(otherwise), lang)) if otherwise else ""
    return "\n".join(f"- {markdown_text(say(n, lang))}" for n in result.notes)


@dataclass
class Result:
    """An analysis table with what a reader needs beside it.

    Attributes:
        table: the table.
        notes: sentences for the reader (what is not known, conversions, caveats), kept as
            :class:`~digital_exports.analysis.labels.Note` so that each report writes them in
            its own language.
        release_ids: the releases whose prints the table shows, the one behind most rows
            first (the primary source of the source line), then by id.
    """

    table: pd.DataFrame
    notes: list[Note] = field(default_factory=list)
    release_ids: list[str] = field(default_factory=list)

    def drawn(self, asked: str) -> str:
        """The currency the table's levels are in: ``asked``, unless no rate allowed the
        conversion and they stayed in the series' own currency (a note says why). A chart is
        named for what it draws."""
        units = {u for u in self.table.get("unit", pd.Series(dtype=str)) if u and u != "pct"}
        currencies = {currency_of(u) for u in units}
        return currencies.pop() if len(currencies) == 1 else asked


def _by_use(used: Counter[str]) -> list[str]:
    """Release ids, the one behind most rows first, then by id."""
    return sorted(used, key=lambda r: (-used[r], r))


def _row(table: pd.DataFrame, **key: str) -> pd.Series | None:
    mask = pd.Series(True, index=table.index)
    for column, value in key.items():
        mask &= table[column] == value
    rows = table[mask]
    return rows.iloc[0] if len(rows) else None


def _own_unit(series: pd.DataFrame, name: str) -> str:
    levels = series[(series["series"] == name) & (series["measure"] == "level")]
    counts = levels["unit"].value_counts()
    return str(sorted(counts.index, key=lambda u: (-counts[u], u))[0]) if len(counts) else "MAD mn"


def _span(row: pd.Series) -> Interval:
    return Interval(float(row["low"]), float(row["high"]))


def segment_breakdown(
    series: pd.DataFrame, name: str, year: int, currency: str, rates: Rates
) -> Result:
    """Levels and shares by segment for one year, with the change on the year before.

    Grain: one row per segment of the series' complete set, then the total. Printed shares sit
    beside shares computed from the levels (interval arithmetic); the change is printed where a
    print exists, else derived from two levels. Levels are in millions of ``currency``.
    """
    period, base = str(year), str(year - 1)
    unit = _own_unit(series, name)
    rows, notes, used = [], list[Note](), Counter[str]()
    total = _row(series, series=name, segment="total", period=period, measure="level", unit=unit)
    for segment in [*SEGMENT_SETS.get(name, ()), "total"]:
        level = _row(
            series, series=name, segment=segment, period=period, measure="level", unit=unit
        )
        share = _row(
            series,
            series=name,
            segment=segment,
            period=period,
            measure="share_pct",
            origin="printed",
        )
        change = _row(
            series,
            series=name,
            segment=segment,
            period=period,
            measure="change_pct",
            base_period=base,
        )
        computed = None
        if level is not None and total is not None and segment != "total":
            computed = share_pct(_span(level), _span(total))
        for r in (level, share, change):
            if r is not None and r["origin"] == "printed":
                used[r["best_release_id"]] += 1
        missing = [
            f"m_{what}"
            for what, r in (("level", level), ("share", share), ("change", change))
            if r is None and not (segment == "total" and what == "share")
        ]
        if missing:
            notes.append(
                Note(
                    "note_missing",
                    {"segment": Codes((segment,)), "year": year, "measures": Words(tuple(missing))},
                )
            )
        rows.append(
            {
                "segment": segment,
                "period": period,
                "measure": "level",
                "unit": unit,
                "value": math.nan if level is None else float(level["value"]),
                "low": math.nan if level is None else float(level["low"]),
                "high": math.nan if level is None else float(level["high"]),
                "level_origin": "" if level is None else level["origin"],
                "share_printed_pct": math.nan if share is None else float(share["value"]),
                "share_computed_pct": math.nan if computed is None else computed.midpoint,
                "share_computed_low": math.nan if computed is None else computed.low,
                "share_computed_high": math.nan if computed is None else computed.high,
                "change_pct": math.nan if change is None else float(change["value"]),
                "change_low": math.nan if change is None else float(change["low"]),
                "change_high": math.nan if change is None else float(change["high"]),
                "change_origin": "" if change is None else change["origin"],
                "data_status": "" if level is None else level["data_status"],
            }
        )
    table = pd.DataFrame(rows)
    if table["value"].isna().all():
        notes.insert(0, Note("note_no_level_year", {"series": Codes((name,)), "year": year}))
    table, conversion = _convert(table, currency, rates)
    return Result(table, notes + conversion, _by_use(used))


def stays_note(source: str, exc: CurrencyError) -> Note:
    """Why levels stay in their own currency: a missing rate, said in the reader's language."""
    if exc.year is not None:
        covered = Items((exc.covered,) if exc.covered else ())
        fields: dict[str, Field] = {"currency": exc.currency, "year": exc.year}
        return Note("note_stay_no_rate", {"source": source, **fields, "covered": covered})
    if exc.period:
        return Note("note_stay_two_years", {"source": source, "period": When(exc.period)})
    # An unknown currency: the runner refuses it before any kernel starts.
    return Note("note_stay", {"source": source, "reason": str(exc)})


def _shorter_periods(shorter: list[tuple[str, int]]) -> list[Note]:
    return [Note("note_period_rate", {"period": When(p), "year": y}) for p, y in shorter]


def _convert(table: pd.DataFrame, currency: str, rates: Rates) -> tuple[pd.DataFrame, list[Note]]:
    known = table.dropna(subset=["value"])
    if known.empty or all(currency_of(u) == currency for u in known["unit"]):
        return table, []
    try:
        converted, shorter = convert_levels(known, currency, rates)
    except CurrencyError as exc:
        return table, [stays_note(currency_of(known["unit"].iloc[0]), exc)]
    notes = _shorter_periods(shorter)
    out = table.copy()
    out.loc[converted.index, ["value", "low", "high", "unit"]] = converted[
        ["value", "low", "high", "unit"]
    ]
    year = parse_period(known["period"].iloc[0]).start.year
    rate = rates.per_usd("MAD", year)
    notes.append(
        Note(
            "note_converted_year",
            {"currency": currency, "year": year, "rate": Num(rate.midpoint, 4)},
        )
    )
    return out, notes


def period_comparison(
    series: pd.DataFrame, name: str, period: str, base_period: str, currency: str, rates: Rates
) -> Result:
    """The total and each segment in ``period`` against ``base_period``: both levels, the change
    computed from them with its interval, and the printed change beside it.

    Grain: one row per segment with a level in at least one of the two periods.
    """
    p, b = parse_period(period), parse_period(base_period)
    period, base_period = p.canonical, b.canonical
    if p.kind != b.kind and p.n_months != b.n_months:
        return Result(
            pd.DataFrame(),
            [Note("note_not_same_kind", {"period": When(period), "base": When(base_period)})],
        )
    unit = _own_unit(series, name)
    levels = series[
        (series["series"] == name) & (series["measure"] == "level") & (series["unit"] == unit)
    ]
    segments = sorted(
        set(levels.loc[levels["period"].isin([period, base_period]), "segment"]),
        key=lambda s: (s == "total", s),
    )
    rows, used = [], Counter[str]()
    for segment in segments:
        new = _row(levels, segment=segment, period=period)
        old = _row(levels, segment=segment, period=base_period)
        printed = _row(
            series,
            series=name,
            segment=segment,
            period=period,
            measure="change_pct",
            base_period=base_period,
            origin="printed",
        )
        for r in (new, old, printed):
            if r is not None and r["origin"] == "printed":
                used[r["best_release_id"]] += 1
        rows.append({"segment": segment, "new": new, "old": old, "printed": printed})
    compared: dict[str, Field] = {
        "series": Codes((name,)),
        "period": When(period),
        "base": When(base_period),
    }
    if not rows:
        known = sorted(set(levels["period"]), key=lambda c: parse_period(c).start)
        return Result(
            pd.DataFrame(),
            [Note("note_no_level_periods", {**compared, "known": Items(tuple(known))})],
        )
    table = pd.DataFrame([_comparison_row(r, period, base_period, unit) for r in rows])
    notes = []
    if table["change_low"].isna().all():
        notes.append(Note("note_no_change", compared))
    if currency != currency_of(unit):
        try:
            table, conv = _convert_pair(table, currency, rates, period, base_period)
        except CurrencyError as exc:
            conv = [stays_note(currency_of(unit), exc)]
        notes += conv
    return Result(table, notes, _by_use(used))


def _comparison_row(r: dict, period: str, base_period: str, unit: str) -> dict:
    new, old, printed = r["new"], r["old"], r["printed"]
    change = None
    if new is not None and old is not None:
        change = growth_pct(_span(new), _span(old))
    agrees = ""
    if change is not None and printed is not None:
        agrees = "yes" if overlaps(change, _span(printed)) else "no"
    return {
        "segment": r["segment"],
        "unit": unit,
        f"level_{period}": math.nan if new is None else float(new["value"]),
        f"low_{period}": math.nan if new is None else float(new["low"]),
        f"high_{period}": math.nan if new is None else float(new["high"]),
        f"origin_{period}": "" if new is None else new["origin"],
        f"level_{base_period}": math.nan if old is None else float(old["value"]),
        f"low_{base_period}": math.nan if old is None else float(old["low"]),
        f"high_{base_period}": math.nan if old is None else float(old["high"]),
        f"origin_{base_period}": "" if old is None else old["origin"],
        "change_pct": math.nan
        if new is None or old is None
        else 100 * (float(new["value"]) / float(old["value"]) - 1),
        "change_low": math.nan if change is None else change.low,
        "change_high": math.nan if change is None else change.high,
        "printed_change_pct": math.nan if printed is None else float(printed["value"]),
        "printed_within_computed": agrees,
    }


def _convert_pair(
    table: pd.DataFrame, currency: str, rates: Rates, period: str, base_period: str
) -> tuple[pd.DataFrame, list[Note]]:
    out = table.copy()
    notes = []
    spans = {}
    for code in (period, base_period):
        year = parse_period(code).start.year
        f = rates.factor(currency_of(str(table["unit"].iloc[0])), currency, year)
        for prefix in ("level", "low", "high"):
            out[f"{prefix}_{code}"] = out[f"{prefix}_{code}"] * (
                f.low if prefix == "low" else f.high if prefix == "high" else f.midpoint
            )
        spans[code] = f
        if parse_period(code).kind != "year":
            notes.append(Note("note_period_rate", {"period": When(code), "year": year}))
    out["unit"] = UNIT_OF[currency]
    changes = []
    for r in out.to_dict("records"):
        bounds = [r[f"{k}_{c}"] for c in (period, base_period) for k in ("low", "high")]
        if any(math.isnan(x) for x in bounds):
            changes.append((math.nan, math.nan, math.nan))
            continue
        c = growth_pct(Interval(bounds[0], bounds[1]), Interval(bounds[2], bounds[3]))
        point = 100 * (r[f"level_{period}"] / r[f"level_{base_period}"] - 1)
        changes.append((point, c.low, c.high))
    out["change_pct"], out["change_low"], out["change_high"] = zip(*changes, strict=True)
    notes.append(Note("note_pair_currency", {"currency": currency}))
    return out, notes


#: Where one series ends and another begins, for the long-run chart (from the vocabulary).
BREAKS = tuple(
    sorted(
        ((b.at, code, b) for code, term in SERIES.items() for b in term.breaks),
        key=lambda t: (t[0], t[1]),
    )
)
OFFICIAL = {code: term.official for code, term in SERIES.items() if term.money}


def long_run(series: pd.DataFrame, start: int, end: int, currency: str, rates: Rates) -> Result:
    """Every money series' levels from ``start`` to ``end``: one row per series, segment and
    period, converted to ``currency`` where a rate exists (other years dropped, and said).

    Annual rows are the whole series (segment ``total``, or its only segment); sub-annual rows
    (halves, quarters, year-to-date ranges) keep every segment.
    """
    money = series[
        (series["series"] != "exchange_rate")
        & ~series["series"].isin(CONTEXT_SERIES)  # services exports: report 70's context
        & (series["measure"] == "level")
        & ~series["segment"].isin(["OFFSHORING_POLE"])
    ].copy()
    money["year"] = money["period_start"].str[:4].astype(int)
    money = money[(money["year"] >= start) & (money["year"] <= end)]
    own = own_units([(r.series, "level", r.unit) for r in each_row(money)])
    money = money[[own.get(s) == u for s, u in zip(money["series"], money["unit"], strict=True)]]
    whole = money.groupby("series")["segment"].transform(
        lambda s: "total" if (s == "total").any() else s.iloc[0]
    )
    annual = money[(money["period_kind"] == "year") & (money["segment"] == whole)]
    sub = money[money["period_kind"] != "year"]
    table = pd.concat([annual, sub]).sort_values(["series", "segment", "period_start"])
    notes = list[Note]()
    keep = []
    for r in each_row(table):
        try:
            rates.factor(currency_of(r.unit), currency, r.year)
            keep.append(True)
        except ValueError:
            keep.append(False)
    if not all(keep):
        dropped = table[[not k for k in keep]]
        years = Items(tuple(sorted(set(map(str, dropped["year"])))))
        key = "note_no_rate_years_one" if len(dropped) == 1 else "note_no_rate_years_many"
        notes.append(Note(key, {"years": years, "n": len(dropped), "currency": currency}))
        table = table[keep]
    converted, shorter = convert_levels(table, currency, rates)
    converted["official"] = converted["series"].map(OFFICIAL)
    columns = [
        "series",
        "segment",
        "period",
        "period_kind",
        "period_start",
        "period_end",
        "year",
        "value",
        "low",
        "high",
        "unit",
        "origin",
        "data_status",
        "official",
        "best_release_id",
    ]
    out = converted[columns].reset_index(drop=True)
    if any(currency_of(u) != currency for u in table["unit"]):
        notes.append(Note("note_converted", {"currency": currency}))
    used = Counter(out.loc[out["origin"] == "printed", "best_release_id"])
    return Result(out, notes + _shorter_periods(shorter) + _thin_panels(out), _by_use(used))


#: The fewest levels a sub-annual panel of the long-run chart needs to be drawn: fewer do not
#: show a trend (one to three points in a panel of their own); the report's table lists them.
PANEL_MIN_POINTS = 4


def sub_annual_groups(table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The long-run table's sub-annual levels by panel: one key per kind of period (``half``,
    ``quarter``, ``range``, ``month``) for the segments, then ``composites``; empty groups
    left out."""
    sub = table[table["period_kind"] != "year"]
    composite = sub["segment"].isin(list(COMPOSITES))
    groups = [(k, sub[~composite & (sub["period_kind"] == k)]) for k in SUB_KINDS]
    groups.append(("composites", sub[composite]))
    return [(k, g) for k, g in groups if len(g)]


def _thin_panels(table: pd.DataFrame) -> list[Note]:
    return [
        Note("note_panel_not_drawn", {"kind": Words((_PANEL_WORD[k],)), "n": len(g)})
        for k, g in sub_annual_groups(table)
        if len(g) < PANEL_MIN_POINTS
    ]


#: The kinds of sub-annual period, in the order of the long-run chart's panels.
SUB_KINDS = ("half", "quarter", "range", "month")
_PANEL_WORD = {**{k: f"sub_{k}" for k in SUB_KINDS}, "composites": "composites"}


def _quantity_ref(row: pd.Series) -> str:
    q = Quantity(
        row["series"],
        row["segment"],
        canonical_period(row["period"]),
        row["measure"],
        canonical_period(row["base_period"] or ""),
    )
    return q.ref


def _needs(fig: pd.Series, estimate: pd.Series | None, agreement: str) -> bool:
    """True when this print agrees with the reconciled estimate of its quantity only under the
    reading ``agreement`` names (a coarse precision, or a truncation)."""
    if estimate is None or estimate["agreement"] != agreement:
        return False
    mine = Interval(float(fig["low_fine"]), float(fig["high_fine"]))
    fine = Interval(float(estimate["low_fine"]), float(estimate["high_fine"]))
    return not overlaps(mine, fine)


def verify_release(
    release_id: str, figures: pd.DataFrame, series: pd.DataFrame, checks: pd.DataFrame
) -> Result:
    """Every figure printed in one release, against everything else known.

    Grain: one row per printed figure. For each: the figure as printed and its interval; the
    other releases that print the same quantity and whether they agree; every check whose
    target is this print, and every check that uses the quantity as an input; a verdict:

    * ``contradicted``: a check on this print is contradicted (checks that merely use the
      quantity as one input among several are listed as evidence, not held against it);
    * ``conflict``: other releases print values that no reading reconciles (the row says
      whether this print is the one kept);
    * ``forecast``: a forecast or target, shown but never checked against outturns;
    * ``converted_at_other_rate``: an outlet's conversion at another rate than the reference;
    * ``consistent_if_truncated``: agreement needs some print to be a truncation;
    * ``consistent_if_coarse``: agreement needs a round number read at its coarse precision;
    * ``consistent``: at least one other release, a check on it, or a consistent identity it
      enters confirms it;
    * ``not_checkable``: nothing else bears on it.
    """
    mine = figures[figures["release_id"] == release_id]
    if mine.empty:
        known = sorted(set(figures["release_id"]))
        close = [r for r in known if release_id.split("/")[0] in r][:5]
        hint = f" Releases of the same outlet: {', '.join(close)}." if close else ""
        text = f"No release {release_id!r} in published_figures.csv ({len(known)} releases).{hint}"
        return Result(pd.DataFrame(), [Note("note_text", {"text": text})])
    refs = figures.apply(_quantity_ref, axis=1)
    rows = [
        _verified_row(release_id, fig, figures, refs, series, checks)
        for _label, fig in mine.iterrows()
    ]
    return Result(pd.DataFrame(rows), [], [release_id])


@dataclass(frozen=True)
class _Bearing:
    """What bears on one printed figure: other prints, its estimate, checks on it and checks it
    enters as an input."""

    others: pd.DataFrame
    estimate: pd.Series | None
    on_print: pd.DataFrame
    as_input: pd.DataFrame
    own_ref: str


def _verified_row(
    release_id: str,
    fig: pd.Series,
    figures: pd.DataFrame,
    refs: pd.Series,
    series: pd.DataFrame,
    checks: pd.DataFrame,
) -> dict[str, Any]:
    ref = _quantity_ref(fig)
    own_ref = f"{release_id}#{fig['figure_id']}"
    quantity = series[
        (series["origin"] == "printed") & (series["inputs"].str.contains(own_ref, regex=False))
    ]
    b = _Bearing(
        others=figures[
            (refs == ref) & (figures["release_id"] != release_id) & (figures["unit"] == fig["unit"])
        ],
        estimate=quantity.iloc[0] if len(quantity) else None,
        on_print=checks[checks["printed_ref"] == own_ref],
        as_input=checks[checks["inputs"].str.split(";").apply(lambda xs: ref in xs)],
        own_ref=own_ref,
    )
    q = b.estimate
    evidence = _evidence(b, chosen=q is not None and q["best_release_id"] == release_id)
    return {
        "figure_id": fig["figure_id"],
        "series": fig["series"],
        "segment": fig["segment"],
        "period": fig["period"],
        "measure": fig["measure"],
        "base_period": fig["base_period"],
        "printed": f"{fig['qualifier'] + ' ' if fig['qualifier'] else ''}"
        f"{fig['value_printed']} {fig['unit_printed']}"
        + (f" (read by declaration: {fig['reading']})" if fig.get("reading") else ""),
        "low": float(fig["low"]),
        "high": float(fig["high"]),
        "unit": fig["unit"],
        "estimate_low": math.nan if q is None else float(q["low"]),
        "estimate_high": math.nan if q is None else float(q["high"]),
        "verdict": _figure_verdict(fig, b),
        "evidence": " | ".join(evidence) if evidence else "no other release or identity",
    }


def _figure_verdict(fig: pd.Series, b: _Bearing) -> str:
    """The verdict of one printed figure (see :func:`verify_release`), first that applies."""
    verdicts = set(b.on_print["verdict"])
    agreement = "" if b.estimate is None else b.estimate["agreement"]
    ladder = (
        ("contradicted", "contradicted" in verdicts),
        ("conflict", agreement == "conflict"),
        ("forecast", fig["data_status"] == "forecast"),
        ("converted_at_other_rate", "converted_at_other_rate" in verdicts),
        (
            "consistent_if_truncated",
            "consistent_if_truncated" in verdicts
            or _needs(fig, b.estimate, "consistent_if_truncated"),
        ),
        (
            "consistent_if_coarse",
            "consistent_if_coarse" in verdicts or _needs(fig, b.estimate, "consistent_if_coarse"),
        ),
        (
            "consistent",
            "consistent" in verdicts
            or len(b.others) > 0
            or "consistent" in set(b.as_input["verdict"]),
        ),
    )
    return next((v for v, holds in ladder if holds), "not_checkable")


def _evidence(b: _Bearing, *, chosen: bool) -> list[str]:
    """The evidence behind a figure's verdict, one phrase per kind of evidence."""
    evidence = []
    if len(b.others):
        shown = "; ".join(
            f"{o.release_id} prints {o.qualifier + ' ' if o.qualifier else ''}{o.value_printed}"
            for o in each_row(b.others)
        )
        evidence.append(f"{len(b.others)} other release(s): {shown}")
    if b.estimate is not None and b.estimate["agreement"] == "conflict":
        evidence.append(
            "prints disagree; "
            + ("this print is the one kept" if chosen else "another print is kept")
        )
    for c in each_row(b.on_print):
        evidence.append(f"checked by {plain(c.kind)} ({c.description}): {plain(c.verdict)}")
    inputs_of = b.as_input[b.as_input["printed_ref"] != b.own_ref]
    if len(inputs_of):
        counts = inputs_of["verdict"].value_counts()
        summary = ", ".join(f"{n} {plain(v)}" for v, n in sorted(counts.items()))
        flagged = sorted(
            {
                f"{plain(c.kind)} ({c.description})"
                for c in each_row(inputs_of)
                if c.verdict not in ("consistent", "not_checkable")
            }
        )
        evidence.append(
            f"input of {len(inputs_of)} other checks: {summary}"
            + (f" (not consistent: {'; '.join(flagged)})" if flagged else "")
        )
    return evidence


def evidence_markdown(result: Result) -> str:
    """The verified figures as a Markdown list: figure, print, verdict and its evidence; every
    value from the data is literal text (:func:`~digital_exports.analysis.labels.markdown_text`)."""
    lines = []
    for r in each_row(result.table):
        lines.append(
            f"- **{markdown_text(r.figure_id)}** ({markdown_text(r.printed)}): "
            f"**{markdown_text(plain(r.verdict))}**"
        )
        lines.extend(
            f"    - {markdown_text(readable_reason(part))}" for part in r.evidence.split(" | ")
        )
    return "\n".join(lines)


def comparison_summary(result: Result, period: str, base_period: str, lang: str = "en") -> str:
    """What the comparison table shows, in sentences built from that table (Markdown, in
    ``lang``): which segments lack a level in either period (so no change is computed for
    them), which levels are derived, or that both periods have a level for every segment
    shown."""
    table = result.table
    if table.empty:
        return ""
    p, b = parse_period(period).canonical, parse_period(base_period).canonical
    notes = []
    missing = {code: list(table.loc[table[f"level_{code}"].isna(), "segment"]) for code in (p, b)}
    for code, segments in missing.items():
        if segments:
            key = "note_missing_one" if len(segments) == 1 else "note_missing_many"
            notes.append(Note(key, {"segments": Codes(tuple(segments)), "period": When(code)}))
    if not any(missing.values()):
        notes.append(Note("note_all_levels"))
    for code in (p, b):
        derived = list(table.loc[table[f"origin_{code}"] == "derived", "segment"])
        if derived:
            key = "note_derived_one" if len(derived) == 1 else "note_derived_many"
            notes.append(Note(key, {"segments": Codes(tuple(derived)), "period": When(code)}))
    return markdown_text(" ".join(say(n, lang) for n in notes))


def comparison_text(result: Result, period: str, base_period: str, lang: str = "en") -> str:
    """The sentences of :func:`comparison_summary`, then the notes of the comparison."""
    parts = [comparison_summary(result, period, base_period, lang), notes_markdown(result, lang)]
    return "\n\n".join(p for p in parts if p)


def _summary(note: Note, lang: str) -> str:
    return "**" + markdown_text(say(note, lang)) + "**"


def breakdown_summary(result: Result, year: int, lang: str = "en") -> str:
    """One sentence for the top of report 30, in ``lang``: the year's total, its change, and
    the largest segment's share (Markdown, bold)."""
    table = result.table
    total = table[table["segment"] == "total"]
    if total.empty or not math.isfinite(total["value"].iloc[0]):
        return _summary(Note("summary_none"), lang)
    t = total.iloc[0]
    parts = table[table["segment"] != "total"]
    share = parts["share_printed_pct"].fillna(parts["share_computed_pct"])
    change = ""
    if math.isfinite(t["change_pct"]):
        change = say(Note("summary_change_on_year", {"change": Num(t["change_pct"], 1)}), lang)
    fields: dict[str, Field] = {
        "year": str(year),
        "level": Num(t["value"], 0),
        "unit": unit_label(t["unit"], lang),
        "change": change,
        "segment": "—",
        "share": "—",
    }
    if share.notna().any():
        top = parts.iloc[int(share.fillna(-math.inf).to_numpy().argmax())]
        fields["segment"] = Codes((top["segment"],))
        fields["share"] = Num(float(share.max()), 1)
    return _summary(Note("summary_breakdown", fields), lang)


def comparison_headline(result: Result, period: str, base_period: str, lang: str = "en") -> str:
    """One sentence for the top of report 40, in ``lang``: the total in both periods and the
    change with its interval (Markdown, bold)."""
    p, b = parse_period(period).canonical, parse_period(base_period).canonical
    table = result.table
    total = table[table["segment"] == "total"]
    if total.empty or not math.isfinite(total[f"level_{p}"].iloc[0]):
        return _summary(Note("summary_none"), lang)
    t = total.iloc[0]
    if not (math.isfinite(t[f"level_{b}"]) and math.isfinite(t["change_pct"])):
        return _summary(Note("summary_none"), lang)
    fields: dict[str, Field] = {
        "period": When(p),
        "base": When(b),
        "level": Num(t[f"level_{p}"], 0),
        "base_level": Num(t[f"level_{b}"], 0),
        "unit": unit_label(t["unit"], lang),
        "change": Num(t["change_pct"], 1),
        "low": Num(t["change_low"], 2),
        "high": Num(t["change_high"], 2),
    }
    text = _summary(Note("summary_comparison", fields), lang)
    if math.isfinite(t["printed_change_pct"]):
        printed = Note("summary_printed", {"printed": Num(t["printed_change_pct"], 1)})
        text += " " + markdown_text(say(printed, lang))
    return text


def long_run_headline(result: Result, start: int, end: int, lang: str = "en") -> str:
    """One sentence for the top of report 50, in ``lang``: what the chart draws and the latest
    period it knows (Markdown, bold)."""
    table = result.table
    if table.empty:
        return _summary(Note("summary_none"), lang)
    latest = table.iloc[int(table["period_end"].to_numpy().argmax())]
    fields: dict[str, Field] = {
        "start": str(start),
        "end": str(end),
        "n_series": str(table["series"].nunique()),
        "n_points": str(len(table)),
        "latest": When(latest["period"]),
        "series": short_series_label(latest["series"], lang),
    }
    return _summary(Note("summary_long_run", fields), lang)


#: The notes a chart must carry itself, not only its report: what it could not draw.
_CHART_CAVEATS = (
    "note_no_rate_years_one",
    "note_no_rate_years_many",
    "note_stay_no_rate",
    "note_panel_not_drawn",
)


def chart_caveat(result: Result, lang: str = "en") -> str:
    """What the chart of ``result`` leaves out for want of an exchange rate, as a sentence to
    print under it (starting with a line break), or empty: a chart that drops the points it
    cannot convert, or stays in another currency, says so on the chart itself."""
    said = [say(n, lang) for n in result.notes if n.key in _CHART_CAVEATS]
    return "".join("\n" + s for s in said)


def record_releases(*results: Result) -> None:
    """Record, as an output of the notebook, the releases the rows of ``results`` rest on (the
    releases of their printed figures): the report's provenance lists these, not every
    release."""
    from IPython.display import display

    ids = sorted({r for result in results for r in result.release_ids})
    display({RELEASES_MIME: {"release_ids": ids}}, raw=True)
