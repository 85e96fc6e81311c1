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

from digital_exports.contract.periods import parse_period
from digital_exports.contract.vocab import SERIES, STATUS_ORDER
from digital_exports.tables.schemas import FLAGS, RESOURCES

_MEASURES = ("level", "share_pct", "change_pct")
_KEY = ("series", "segment", "period")


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


def estimates_panel(series: pd.DataFrame, revisions: pd.DataFrame) -> pd.DataFrame:
    """The panel of best estimates from ``series.csv`` and ``revisions.csv``.

    Args:
        series: the series table (the series' own currency; conversions are not read).
        revisions: the revisions table.

    Returns:
        One row per series, segment and period that has a level, a share or a year-on-year
        change, with the columns of ``estimates.csv``, sorted by series, segment, period start
        and end. A row's ``data_status`` is the weakest of its estimates'.
    """
    revised = {
        (r["series"], r["segment"], r["period"], r["measure"], r["base_period"], r["unit"])
        for r in revisions.to_dict("records")
    }
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
        if measure == "level":
            out["level_unit"] = r["unit"]
        if measure == "change_pct":
            out["change_base_period"] = r["base_period"]
    for out in rows.values():
        out["data_status"] = max(out.pop("_statuses"), key=STATUS_ORDER.index)
    table = pd.DataFrame(list(rows.values()), columns=list(RESOURCES["estimates"].columns))
    order = ["series", "segment", "period_start", "period_end", "period"]
    return table.sort_values(order, kind="stable").reset_index(drop=True)
