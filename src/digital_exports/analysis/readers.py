"""Tables for readers: one formatting layer for every notebook's tables.

A reader's table shows labels instead of codes, numbers in the reader's locale (``40,3 %`` in
French, ``40.3%`` in English), the unit in the header, an interval as one cell, nothing where a
value is not known (never ``NaN``, ``inf``, ``True`` or a pandas repr), no row numbers, and
every text whole: cells wrap instead of being cut, and the table never grows wider than the page
(the report's CSS lets long cells break, :func:`table_html` marks the numeric cells that must
not). Text from the data is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from digital_exports.analysis.labels import (
    number,
    segment_label,
    short_series_label,
    unit_label,
    word,
)
from digital_exports.contract.periods import parse_period
from digital_exports.contract.vocab import COMPOSITES, SEGMENTS, SERIES

#: The CSS class of a reader's table (styled in ``report/html.py``).
TABLE_CLASS = "reader-table"


@dataclass(frozen=True)
class Column:
    """One column of a reader's table.

    Attributes:
        name: the column of the frame (for ``interval``: the prefix of ``<name>low``/``high``
            columns is given by ``low`` and ``high``).
        header: the header shown, in the table's language (units included).
        kind: how values are written: ``text``, ``segment``, ``series`` (labels for codes),
            ``number`` (``decimals`` decimals), ``pct`` (a percentage), ``interval`` (the
            ``low`` and ``high`` columns as ``11,9 à 12,7``), ``pct_interval`` (the same, as
            percentages), ``word`` (a code translated by
            :func:`labels.word`, e.g. ``printed`` -> ``publié``), ``count``.
        decimals: decimals of numbers, percentages and intervals.
        low: for ``interval``: the column of the lower bound.
        high: for ``interval``: the column of the upper bound.
    """

    name: str
    header: str
    kind: str = "text"
    decimals: int = 1
    low: str = ""
    high: str = ""


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA or x == ""


def pct(x: float, decimals: int, lang: str) -> str:
    """A percentage in the reader's locale: ``40,3 %`` (French, a narrow no-break space) or
    ``40.3%`` (English); empty when unknown."""
    if _missing(x):
        return ""
    return number(float(x), decimals, lang) + ("\u202f%" if lang == "fr" else "%")


def interval(low: float, high: float, decimals: int, lang: str, unit: str = "") -> str:
    """An interval in words: ``11,9 à 12,7`` / ``11.9 to 12.7``, ``au moins 14 000`` / ``at
    least 14,000`` for an open upper bound, one number when both bounds are equal; empty when
    unknown. A negative ``decimals`` takes as few as write both bounds exactly."""
    if _missing(low) or _missing(high):
        return ""
    lo, hi = float(low), float(high)
    if decimals < 0:  # as few decimals as write both finite bounds exactly (at most three)
        finite = [x for x in (lo, hi) if math.isfinite(x)]
        decimals = next(
            (d for d in range(4) if all(abs(round(x, d) - x) < 1e-9 for x in finite)), 3
        )
    fmt: Callable[[float], str] = (
        (lambda v: pct(v, decimals, lang)) if unit == "%" else (lambda v: number(v, decimals, lang))
    )
    if math.isinf(hi):
        return ("au moins " if lang == "fr" else "at least ") + fmt(lo)
    if math.isinf(lo):
        return ("au plus " if lang == "fr" else "at most ") + fmt(hi)
    if fmt(lo) == fmt(hi):
        return fmt(lo)
    return f"{fmt(lo)} {'à' if lang == 'fr' else 'to'} {fmt(hi)}"


def label_of(code: str, lang: str) -> str:
    """A segment's or a series' label for a code (the code itself when the vocabulary does
    not know it; ``total`` as "Total")."""
    if code == "total":
        return "Total"
    if code in SEGMENTS:
        return segment_label(code, lang)
    if code in SERIES:
        return short_series_label(code, lang)
    return str(code)


def cell(value: Any, column: Column, lang: str, row: pd.Series | None = None) -> str:
    """One value as the reader reads it (plain text, not yet escaped)."""
    kind = column.kind
    if kind in ("interval", "pct_interval"):
        assert row is not None
        unit = "%" if kind == "pct_interval" else ""
        return interval(row[column.low], row[column.high], column.decimals, lang, unit)
    if _missing(value):
        return ""
    if kind == "segment" or kind == "series":
        return label_of(str(value), lang)
    if kind == "number":
        return number(float(value), column.decimals, lang)
    if kind == "count":
        return number(float(value), 0, lang)
    if kind == "pct":
        return pct(float(value), column.decimals, lang)
    if kind == "word":
        if isinstance(value, bool):
            value = "yes" if value else "no"
        return word(str(value), lang)
    if isinstance(value, bool):
        return word("yes" if value else "no", lang)
    return str(value)


_NUMERIC = frozenset({"number", "count", "pct", "interval", "pct_interval"})


def reader_frame(table: pd.DataFrame, columns: Sequence[Column], lang: str) -> pd.DataFrame:
    """``table`` as the reader reads it: one text column per :class:`Column`, headed by its
    header, every value formatted (:func:`cell`); the index is dropped."""
    rows = [[cell(r.get(c.name), c, lang, r) for c in columns] for _i, r in table.iterrows()]
    return pd.DataFrame(rows, columns=[c.header for c in columns])


def table_html(table: pd.DataFrame, columns: Sequence[Column], lang: str, caption: str = "") -> str:
    """A reader's table as HTML: no index, headers with units, escaped text, numeric cells
    right-aligned and kept on one line, text cells wrapping (never cut)."""
    frame = reader_frame(table, columns, lang)
    head = "".join(
        f'<th class="{"num" if c.kind in _NUMERIC else "text"}">{html.escape(c.header)}</th>'
        for c in columns
    )
    body = []
    for values in frame.itertuples(index=False):
        cells = "".join(
            f'<td class="{"num" if c.kind in _NUMERIC else "text"}">{html.escape(str(v))}</td>'
            for c, v in zip(columns, values, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<div class="{TABLE_CLASS}-wrap"><table class="{TABLE_CLASS}">{cap}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


class ReaderTable:
    """A reader's table in a notebook: HTML for the reports, the same text as Markdown for
    anything that shows plain text (no pandas repr in either)."""

    def __init__(
        self, table: pd.DataFrame, columns: Sequence[Column], lang: str, caption: str = ""
    ) -> None:
        self.table, self.columns, self.lang, self.caption = table, list(columns), lang, caption

    def _repr_html_(self) -> str:
        return table_html(self.table, self.columns, self.lang, self.caption)

    def _repr_markdown_(self) -> str:
        from digital_exports.analysis.labels import markdown_text

        frame = reader_frame(self.table, self.columns, self.lang)
        lines = [
            "| " + " | ".join(markdown_text(c.header) for c in self.columns) + " |",
            "|" + "|".join("---:" if c.kind in _NUMERIC else "---" for c in self.columns) + "|",
        ]
        lines += [
            "| " + " | ".join(markdown_text(v) for v in values) + " |"
            for values in frame.itertuples(index=False)
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self._repr_markdown_()


def show(
    table: pd.DataFrame, columns: Sequence[Column], lang: str, caption: str = "", empty: str = ""
) -> Any:
    """What a notebook cell displays for a reader's table: the table, or the sentence
    ``empty`` (Markdown) when it has no row, never ``Empty DataFrame``."""
    from IPython.display import Markdown

    if table.empty:
        return Markdown(empty or word("no_rows", lang))
    return ReaderTable(table, columns, lang, caption)


# ------------------------------------------------------------------ each analysis' table


def _unit(table: pd.DataFrame, lang: str) -> str:
    if "value" in table:  # the unit of the levels known (a row with no level keeps its own)
        table = table[table["value"].notna()]
    units = [u for u in table.get("unit", pd.Series(dtype=str)) if isinstance(u, str) and u]
    return unit_label(units[0], lang) if units else ""


def breakdown_table(table: pd.DataFrame, lang: str) -> Any:
    """The segment breakdown (:func:`analyses.segment_breakdown`) for readers: one row per
    segment and the total; levels and their intervals, printed and computed shares, the change
    on the year before with its interval, where each comes from."""
    unit = _unit(table, lang)
    w = lambda key, **kw: word(key, lang).format(**kw)  # noqa: E731
    columns = [
        Column("segment", w("col_segment"), "segment"),
        Column("value", w("col_level", unit=unit), "number", 0),
        Column("", w("col_interval", unit=unit), "interval", 0, "low", "high"),
        Column("level_origin", w("col_origin"), "word"),
        Column("share_printed_pct", w("col_share_printed"), "pct", 1),
        Column("share_computed_pct", w("col_share_computed"), "pct", 1),
        Column(
            "",
            w("col_share_interval"),
            "pct_interval",
            1,
            "share_computed_low",
            "share_computed_high",
        ),
        Column("change_pct", w("col_change"), "pct", 1),
        Column("", w("col_change_interval"), "pct_interval", 1, "change_low", "change_high"),
        Column("change_origin", w("col_change_origin"), "word"),
        Column("data_status", w("col_status"), "word"),
    ]
    return show(table, columns, lang)


def comparison_table(table: pd.DataFrame, period: str, base_period: str, lang: str) -> Any:
    """Two periods compared (:func:`analyses.period_comparison`) for readers: each segment's
    two levels with their intervals, the computed change with its interval, the printed change
    and whether the interval explains it."""
    unit = _unit(table, lang)
    if not table.empty:  # segments, then composites (ITO and CRM together), then the total
        rank = table["segment"].map(lambda s: 2 if s == "total" else 1 if s in COMPOSITES else 0)
        table = table.assign(_rank=rank).sort_values(["_rank", "segment"], kind="stable")
    w = lambda key, **kw: word(key, lang).format(**kw)  # noqa: E731
    columns = [Column("segment", w("col_segment"), "segment")]
    # The analysis names its columns after the canonical codes (2025-01..2025-06 -> 2025-H1).
    for p in (parse_period(period).canonical, parse_period(base_period).canonical):
        columns += [
            Column(f"level_{p}", w("col_level_of", period=p, unit=unit), "number", 0),
            Column(
                "",
                w("col_interval_of", period=p, unit=unit),
                "interval",
                0,
                f"low_{p}",
                f"high_{p}",
            ),
        ]
    columns += [
        Column("change_pct", w("col_change"), "pct", 1),
        Column("", w("col_change_interval"), "pct_interval", 1, "change_low", "change_high"),
        Column("printed_change_pct", w("col_printed_change"), "pct", 1),
        Column("printed_within_computed", w("col_rounding_explains"), "word"),
    ]
    return show(table, columns, lang)


def long_run_summary(table: pd.DataFrame, lang: str) -> Any:
    """What the long-run chart draws, for readers: one row per series and kind of period, with
    the first and last period and the number of levels."""
    if table.empty:
        return show(table, [], lang)
    grouped = (
        table.sort_values("period_start")
        .groupby(["series", "period_kind"], sort=True)
        .agg(first=("period", "first"), last=("period", "last"), n=("value", "size"))
        .reset_index()
    )
    w = lambda key: word(key, lang)  # noqa: E731
    columns = [
        Column("series", w("col_series"), "series"),
        Column("period_kind", w("col_kind"), "word"),
        Column("first", w("col_first")),
        Column("last", w("col_last")),
        Column("n", w("col_n"), "count"),
    ]
    return show(grouped, columns, lang)


_MEASURES = {"level": "level", "share_pct": "share", "change_pct": "change"}


def verified_table(table: pd.DataFrame) -> Any:
    """A release's figures and their verdicts (:func:`analyses.verify_release`), for readers
    (in English, the language of notebook 60): labels for segments and measures, the interval
    as one cell, the verdict in words."""
    if table.empty:
        return show(table, [], "en")
    shown = table.assign(
        measure=table["measure"].map(lambda m: _MEASURES.get(m, m)),
        verdict=table["verdict"].str.replace("_", " "),
        unit=table["unit"].map(lambda u: "%" if u == "pct" else unit_label(u, "en")),
    )
    columns = [
        Column("figure_id", "Figure"),
        Column("segment", "Segment", "segment"),
        Column("period", "Period"),
        Column("measure", "Measure"),
        Column("printed", "As printed"),
        Column("", "Interval", "interval", -1, "low", "high"),
        Column("unit", "Unit"),
        Column("verdict", "Verdict"),
    ]
    return show(shown, columns, "en")


def verdict_counts(table: pd.DataFrame) -> Any:
    """How many of a release's figures have each verdict, most frequent first."""
    if table.empty:
        return show(table, [], "en")
    counts = (
        table["verdict"].str.replace("_", " ").value_counts().rename_axis("verdict").reset_index()
    )
    counts = counts.sort_values(["count", "verdict"], ascending=[False, True])
    return show(counts, [Column("verdict", "Verdict"), Column("count", "Figures", "count")], "en")
