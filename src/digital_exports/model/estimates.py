"""The tidy panel of best estimates (``estimates.csv``), flagged in the Eurostat/SDMX convention.

Grain: one row per series, segment and period. For each, the level in the series' own currency,
the share in the series' total and the change on the same period a year before, each with its
interval, origin and flags (:data:`digital_exports.tables.schemas.FLAGS`), read from
``series.csv`` (``origin``, ``data_status``, ``check_failed``), ``revisions.csv`` and the
vocabulary (``SERIES[...].breaks`` for ``b``, ``SERIES[...].official`` for ``d``). Exchange rates,
average growth rates, ratios and changes on other bases stay in ``series.csv`` only.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from digital_exports.contract.periods import PERIOD_KINDS, parse_period
from digital_exports.contract.vocab import (
    SEGMENTS,
    SERIES,
    STATUS_ORDER,
    part_of,
    segment_kind,
)
from digital_exports.tables.schemas import FLAGS, RESOURCES

_MEASURES = ("level", "share_pct", "change_pct")
_KEY = ("series", "segment", "period")
#: The significant digits of the values of ``estimates.csv`` (``series.csv`` keeps every digit
#: the interval arithmetic gives): more than any print carries (the most precise, 10,578
#: milliards, has five), so rounding never moves a value across a printed digit.
SIGNIFICANT_DIGITS = 6


def round_significant(x: float, digits: int = SIGNIFICANT_DIGITS, side: str = "") -> float:
    """``x`` to ``digits`` significant digits (infinite, NaN and zero unchanged): to the
    nearest, or outwards for an interval's bound (``side`` ``low``: down, ``high``: up), so that
    a rounded interval still holds every value the exact one holds."""
    if not math.isfinite(x) or x == 0:
        return x
    decimals = digits - 1 - math.floor(math.log10(abs(x)))
    nearest = round(x, decimals)
    if side == "low" and nearest > x:
        return round(nearest - 10.0**-decimals, max(decimals, 0))
    if side == "high" and nearest < x:
        return round(nearest + 10.0**-decimals, max(decimals, 0))
    return nearest


def _ref(row: dict) -> str:
    parts = [row["series"], row["segment"], row["period"], row["measure"]]
    return "|".join([*parts, row["base_period"]] if row["base_period"] else parts)


def release_sources(series: pd.DataFrame) -> dict[str, frozenset[str]]:
    """For each quantity of ``series.csv`` (by its ``inputs`` reference), the releases its
    value comes from: the release of the print kept for a printed quantity, and for a derived
    one the releases of every quantity it is computed from, followed to the prints."""
    rows = {_ref(r): r for r in series.to_dict("records")}
    found: dict[str, frozenset[str]] = {}

    def visit(ref: str, seen: frozenset[str]) -> frozenset[str]:
        if ref in found:
            return found[ref]
        row = rows.get(ref)
        if row is None or ref in seen:
            return frozenset()
        if row["origin"] == "printed":
            out = frozenset({row["best_release_id"]} if row["best_release_id"] else ())
        else:
            out = frozenset().union(
                *(visit(i, seen | {ref}) for i in str(row["inputs"]).split(";") if i)
            )
        found[ref] = out
        return out

    for ref in rows:
        visit(ref, frozenset())
    return found


def _bound(low: float, high: float) -> str:
    if math.isnan(low) and math.isnan(high):
        return ""
    if math.isinf(high) and math.isfinite(low):
        return "lower"
    if math.isinf(low) and math.isfinite(high):
        return "upper"
    return "none"


def _decimal_year(d: date) -> float:
    return d.year + (d.timetuple().tm_yday - 1) / 365.25


def _year_before(base: str, period: str) -> bool:
    """Whether ``base`` is ``period`` one year earlier (same kind, same span)."""
    try:
        b, p = parse_period(base), parse_period(period)
    except ValueError:
        return False
    return (
        b.kind == p.kind
        and (b.start.year + 1, b.start.month, b.start.day)
        == (p.start.year, p.start.month, p.start.day)
        and (b.end.year + 1, b.end.month) == (p.end.year, p.end.month)
    )


def _breaks(series: str, start: date, base_start: date | None) -> bool:
    """Flag ``b``: the period starts in the first year after a declared break of the series, or
    a change's base period lies before a break and its period after."""
    at = _decimal_year(start)
    for brk in SERIES[series].breaks:
        if brk.at <= at < brk.at + 1:
            return True
        if base_start is not None and _decimal_year(base_start) < brk.at <= at:
            return True
    return False


def flags_of(row: dict, revised: bool, base_start: date | None = None) -> str:
    """The flags of one series row, letters in the order of :data:`FLAGS` (``p e b d f u r``).

    Args:
        row: a row of ``series.csv`` (typed: ``check_failed`` is a bool).
        revised: whether ``revisions.csv`` holds a revision of this quantity.
        base_start: for a change, the first day of its base period.
    """
    start = date.fromisoformat(row["period_start"])
    on = {
        "p": row["data_status"] == "preliminary",
        "e": row["origin"] == "derived",
        "b": _breaks(row["series"], start, base_start),
        "d": not SERIES[row["series"]].official,
        "f": row["data_status"] == "forecast",
        "u": bool(row["check_failed"]),
        "r": revised,
    }
    return "".join(letter for letter in FLAGS if on[letter])


def estimates_panel(
    series: pd.DataFrame, revisions: pd.DataFrame, urls: dict[str, str]
) -> pd.DataFrame:
    """The panel of best estimates from ``series.csv`` and ``revisions.csv``.

    Args:
        series: the series table (the series' own currency; conversions are not read).
        revisions: the revisions table.
        urls: each release's address, by release id.

    Returns:
        One row per series, segment and period that has a level, a share or a year-on-year
        change, with the columns of ``estimates.csv``, sorted by series, segment, period start
        and end. A row's ``data_status`` is the weakest of its estimates'.
    """
    revised = {
        (r["series"], r["segment"], r["period"], r["measure"], r["base_period"], r["unit"])
        for r in revisions.to_dict("records")
    }
    sources = release_sources(series)
    rows: dict[tuple, dict] = {}
    for r in series.to_dict("records"):
        measure = r["measure"]
        if measure not in _MEASURES or r["series"] not in SERIES:
            continue
        base_start = None
        if measure == "change_pct":
            if not _year_before(r["base_period"], r["period"]):
                continue
            base_start = parse_period(r["base_period"]).start
        key = tuple(r[k] for k in _KEY)
        out = rows.setdefault(
            key,
            {
                **{k: r[k] for k in (*_KEY, "period_kind", "period_start", "period_end")},
                "level_unit": "",
                "change_base_period": "",
                "_statuses": [],
                "_sources": set(),
                "conflicted": False,
                **{f"{m}{s}": math.nan for m in _MEASURES for s in ("", "_low", "_high")},
                **{f"{m}_{s}": "" for m in _MEASURES for s in ("origin", "flags")},
            },
        )
        if out[f"{measure}_origin"]:
            raise ValueError(f"series.csv: two {measure} rows for {'|'.join(key)}")
        quantity = (*key, measure, r["base_period"], r["unit"])
        out[measure], out[f"{measure}_low"], out[f"{measure}_high"] = (
            r["value"],
            r["low"],
            r["high"],
        )
        out[f"{measure}_origin"] = r["origin"]
        out[f"{measure}_flags"] = flags_of(r, quantity in revised, base_start)
        out["_statuses"].append(r["data_status"])
        out["_sources"] |= sources.get(_ref(r), frozenset())
        out["conflicted"] = bool(out["conflicted"] or r["conflicted"])
        if measure == "level":
            out["level_unit"] = r["unit"]
        if measure == "change_pct":
            out["change_base_period"] = r["base_period"]
    for out in rows.values():
        _describe(out, urls)
    table = pd.DataFrame(list(rows.values()), columns=list(RESOURCES["estimates"].columns))
    order = ["series", "segment", "period_start", "period_end", "period"]
    return table.sort_values(order, kind="stable").reset_index(drop=True)


def _describe(out: dict, urls: dict[str, str]) -> None:
    """Complete one row of the panel: status, what its segment is, its labels, its sources,
    whether its level is an open interval, and its values rounded (:data:`SIGNIFICANT_DIGITS`)."""
    out["data_status"] = max(out.pop("_statuses"), key=STATUS_ORDER.index)
    series, segment = out["series"], out["segment"]
    out["segment_kind"] = segment_kind(series, segment)
    out["part_of"] = part_of(series, segment)
    out["series_label_en"], out["series_label_fr"] = (
        SERIES[series].label_en,
        SERIES[series].label_fr,
    )
    out["segment_label_en"] = SEGMENTS[segment].label_en
    out["segment_label_fr"] = SEGMENTS[segment].label_fr
    released = sorted(out.pop("_sources"))
    out["source_release"] = ";".join(released)
    out["source_url"] = " ".join(urls.get(r, "") for r in released)
    out["level_bound"] = _bound(out["level_low"], out["level_high"])
    for m in _MEASURES:
        for suffix in ("", "_low", "_high"):
            out[f"{m}{suffix}"] = round_significant(out[f"{m}{suffix}"], side=suffix[1:])


def series_metadata(figures: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """One row per series of the vocabulary that has a quantity in ``series``: what the
    vocabulary declares of it (labels, definition, official, breaks) and what the data show
    (producers the prints name, kinds of period, span, latest release).

    Args:
        figures: ``published_figures.csv`` (every print, all vintages).
        series: ``series.csv``.
    """
    rows = []
    for code, declared in SERIES.items():
        mine = series[series["series"] == code]
        if mine.empty:
            continue
        prints = figures[figures["series"] == code]
        releases = sorted(set(prints["release_id"]), key=lambda r: (r.split("/", 1)[1][:10], r))
        kinds = set(mine["period_kind"])
        rows.append(
            {
                "series": code,
                "label_en": declared.label_en,
                "label_fr": declared.label_fr,
                "definition": declared.definition,
                "official": declared.official,
                "producers": ";".join(sorted(set(prints["producer"]))),
                "frequencies": ";".join(k for k in PERIOD_KINDS if k in kinds),
                "coverage_start": min(mine["period_start"]),
                "coverage_end": max(mine["period_end"]),
                "breaks": ";".join(f"{b.at:g}: {b.label_en}" for b in declared.breaks),
                "last_release": releases[-1] if releases else "",
                "n_releases": len(releases),
            }
        )
    return pd.DataFrame(rows, columns=list(RESOURCES["series_metadata"].columns))
