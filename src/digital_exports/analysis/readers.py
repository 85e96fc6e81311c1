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
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from digital_exports.analysis.labels import (
    code_label,
    has_word,
    number,
    period_label,
    plain,
    readable_reason,
    unit_label,
    word,
)
from digital_exports.base.text import reveal
from digital_exports.contract.periods import parse_period
from digital_exports.contract.vocab import COMPOSITES, STATUS_ORDER

#: The CSS class of a reader's table (styled in ``report/html.py``).
TABLE_CLASS = "reader-table"


@dataclass(frozen=True)
class Column:
    """One column of a reader's table.

    Attributes:
        name: the column of the frame (empty for ``interval`` and ``pct_interval``, which read
            the columns ``low`` and ``high``).
        header: the header shown, in the table's language (units included).
        kind: how values are written: ``text``, ``segment``, ``series`` (labels for codes),
            ``number`` (``decimals`` decimals), ``pct`` (a percentage), ``interval`` (the
            ``low`` and ``high`` columns as ``11,9 à 12,7``), ``pct_interval`` (the same, as
            percentages), ``word`` (a code translated by
            :func:`labels.word`, e.g. ``printed`` -> ``publié``), ``count``, ``period`` (a
            period code as a reader writes it, ``S1 2025``), ``figure`` (text
            already formatted as a number, e.g. a value in a unit that changes from row to
            row: aligned as a number).
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


def _decimals(values: Sequence[float], most: int) -> int:
    """As few decimals as write every finite value exactly, at most ``most``."""
    finite = [v for v in values if math.isfinite(v)]
    return next(
        (d for d in range(most + 1) if all(abs(round(v, d) - v) < 1e-9 for v in finite)), most
    )


def pct(x: float, decimals: int, lang: str) -> str:
    """A percentage in the reader's locale: ``40,3 %`` (French, a narrow no-break space) or
    ``40.3%`` (English); empty when unknown."""
    if _missing(x):
        return ""
    return number(float(x), decimals, lang) + ("\u202f%" if lang == "fr" else "%")


def interval(low: float, high: float, decimals: int, lang: str, unit: str = "") -> str:
    """An interval in words: ``11,9 à 12,7`` / ``11.9 to 12.7``, ``au moins 14 000`` / ``at
    least 14,000`` for an open upper bound, ``au plus -30`` / ``at most -30`` for an open lower
    bound, one number when both bounds are equal; empty when unknown. A negative ``decimals``
    takes as few as write both bounds exactly (at most three)."""
    if _missing(low) or _missing(high):
        return ""
    lo, hi = float(low), float(high)
    if decimals < 0:
        decimals = _decimals([lo, hi], 3)
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
    """A segment's or a series' label for a code, as a table's cell shows it (the code itself
    when the vocabulary does not know it; ``total`` as "Total")."""
    return code_label(code, lang, in_sentence=False)


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
    if kind == "period":
        return period_label(str(value), lang)
    if isinstance(value, bool | np.bool_):
        return word("yes" if value else "no", lang)
    if kind == "word":  # a code the label layer does not know reads as plain words
        return word(str(value), lang) if has_word(str(value), lang) else plain(value)
    return reveal(str(value))  # text from the data: no hidden character reorders it


_NUMERIC = frozenset({"number", "count", "pct", "interval", "pct_interval", "figure"})


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
            Column(
                f"level_{p}",
                w("col_level_of", period=period_label(p, lang), unit=unit),
                "number",
                0,
            ),
            Column(
                "",
                w("col_interval_of", period=period_label(p, lang), unit=unit),
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


def share_table(table: pd.DataFrame, lang: str) -> Any:
    """Digital exports as a share of services exports (:func:`context.services_share`), for
    readers: one row per pair of series and period, the share with its interval, both levels,
    both changes on the year before, and what to read with care."""
    unit = _unit(table.rename(columns={"digital_value": "value"}), lang)
    w = lambda key, **kw: word(key, lang).format(**kw)  # noqa: E731
    if not table.empty:
        table = _with(
            table,
            pair_text=lambda r: w(
                "share_legend",
                series=label_of(r["series"], lang),
                context=label_of(r["context_series"], lang),
            ),
            caveats_text=lambda r: ", ".join(
                w(c) for c in str(r["caveats"]).split(";") if c and has_word(c, lang)
            ),
        )
    columns = [
        Column("period", w("col_period"), "period"),
        Column("pair_text", w("col_pair")),
        Column("share_pct", w("col_share_services"), "pct", 1),
        Column("", w("col_share_interval"), "pct_interval", -1, "share_low", "share_high"),
        Column("digital_value", w("col_digital_level", unit=unit), "number", 0),
        Column("services_value", w("col_services_level", unit=unit), "number", 0),
        Column("digital_change_pct", w("col_digital_change"), "pct", 1),
        Column("services_change_pct", w("col_services_change"), "pct", 1),
        Column("caveats_text", w("col_caveats")),
    ]
    return show(table, columns, lang)


def projection_table(table: pd.DataFrame, lang: str) -> Any:
    """Projections from the first half and their grades (:func:`context.projection_result`),
    for readers: the year asked for and every year that tests the rule."""
    unit = _unit(table, lang)
    w = lambda key, **kw: word(key, lang).format(**kw)  # noqa: E731
    if not table.empty:
        table = _with(
            table,
            ratios_text=lambda r: "; ".join(
                f"{label_of(ref.rsplit(' ', 1)[0], lang)} {ref.rsplit(' ', 1)[-1]}"
                for ref in str(r["ratio_years"]).split("; ")
                if ref and r["ratio_years"] == r["ratio_years"]
            ),
        )
    columns = [
        Column("period", w("col_year"), "period"),
        Column("series", w("col_series"), "series"),
        Column("first_half_value", w("col_first_half", unit=unit), "number", 0),
        Column("ratios_text", w("col_ratios")),
        Column("value", w("col_projection", unit=unit), "number", 0),
        Column("", w("col_interval", unit=unit), "interval", 0, "low", "high"),
        Column("outturn_value", w("col_outturn", unit=unit), "number", 0),
        Column("grade", w("col_grade"), "word"),
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
        Column("first", w("col_first"), "period"),
        Column("last", w("col_last"), "period"),
        Column("n", w("col_n"), "count"),
    ]
    return show(grouped, columns, lang)


def verified_table(table: pd.DataFrame) -> Any:
    """A release's figures and their verdicts (:func:`analyses.verify_release`), for readers
    (in English, the language of notebook 60): labels for segments, measures and periods, the
    interval in the figure's unit as one cell, the verdict in words."""
    if table.empty:
        return show(table, [], _EN)
    shown = _with(
        table,
        interval_text=lambda r: interval_text(r["low"], r["high"], r["unit"]),
        unit_text=lambda r: unit_text(r["unit"]),
        verdict_text=lambda r: plain(r["verdict"]),
    )
    columns = [
        Column("figure_id", "Figure"),
        *_QUANTITY[1:],
        Column("printed", "As printed"),
        Column("interval_text", "Interval", "figure"),
        Column("unit_text", "Unit"),
        Column("verdict_text", "Verdict"),
    ]
    return show(shown, columns, _EN)


def verdict_counts(table: pd.DataFrame) -> Any:
    """How many of a release's figures have each verdict, most frequent first."""
    if table.empty:
        return show(table, [], "en")
    counts = table["verdict"].map(plain).value_counts().rename_axis("verdict").reset_index()
    counts = counts.sort_values(["count", "verdict"], ascending=[False, True])
    return show(counts, [Column("verdict", "Verdict"), Column("count", "Figures", "count")], "en")


# ------------------------------------------------- the tables of notebooks 10 and 20 (English)

#: The language of notebooks 10, 20 and 60 (they take no ``lang`` parameter).
_EN = "en"
#: Most decimals shown for a value in a reader's table: levels are in millions (a tenth of a
#: million is finer than any print), percentages to the hundredth, exchange rates to four.
_PCT_DECIMALS, _LEVEL_DECIMALS, _RATE_DECIMALS = 2, 1, 4


def _most_decimals(unit: Any) -> int:
    if unit == "pct":
        return _PCT_DECIMALS
    return _RATE_DECIMALS if " per " in str(unit) else _LEVEL_DECIMALS


#: How period kinds head the coverage table's columns.
_KIND_HEADERS = {
    "year": "Years",
    "half": "Halves",
    "quarter": "Quarters",
    "month": "Months",
    "range": "Year-to-date totals",
    "all": "All",
}


def value_text(value: Any, unit: Any, lang: str = _EN) -> str:
    """A value of a processed table in its unit, as few decimals as it needs (at most one for
    a level in millions, two for a percentage, four for an exchange rate): ``2,325``,
    ``37.35%``, ``9.9424``; empty when unknown."""
    if _missing(value):
        return ""
    x = float(value)
    decimals = _decimals([x], _most_decimals(unit))
    return pct(x, decimals, lang) if unit == "pct" else number(x, decimals, lang)


def interval_text(low: Any, high: Any, unit: Any, lang: str = _EN) -> str:
    """An interval of a processed table in its unit (:func:`interval` with the decimals that
    write both bounds, within :func:`value_text`'s limits)."""
    if _missing(low) or _missing(high):
        return ""
    decimals = _decimals([float(low), float(high)], _most_decimals(unit))
    return interval(float(low), float(high), decimals, lang, "%" if unit == "pct" else "")


def unit_text(unit: Any, lang: str = _EN) -> str:
    """A processed table's unit in words (``MAD mn`` -> ``MAD million``, ``pct`` -> ``%``)."""
    if _missing(unit):
        return ""
    return "%" if unit == "pct" else unit_label(str(unit), lang)


def as_printed(value: Any, unit: Any) -> str:
    """A figure exactly as the outlet printed it, number and unit (``10,578 milliards de
    dirhams``, ``37,4 %``)."""
    parts = [str(p).strip() for p in (value, unit) if not _missing(p)]
    return " ".join(p for p in parts if p)


def _with(table: pd.DataFrame, **columns: Callable[[pd.Series], str]) -> pd.DataFrame:
    """``table`` with text columns computed row by row (the formatting a column kind cannot
    express: a unit that changes from row to row), and ``measure_text``, the measure in
    words, when it has a measure."""
    if "measure" in table:
        columns = {"measure_text": lambda r: plain(r["measure"]), **columns}
    extra = {name: [fn(r) for _i, r in table.iterrows()] for name, fn in columns.items()}
    return table.assign(**extra)


#: The columns that name a quantity: its series, segment, period and measure.
_QUANTITY = (
    Column("series", "Series", "series"),
    Column("segment", "Segment", "segment"),
    Column("period", "Period", "period"),
    Column("measure_text", "Measure"),
)


def coverage_table(counts: pd.DataFrame) -> Any:
    """Printed figures per series and kind of period (:func:`tables.ingest.coverage`), for
    readers: series by label, one column per kind of period, totals."""
    table = counts.reset_index()
    table["series"] = table["series"].map(lambda s: "All series" if s == "all" else s)
    columns = [Column("series", "Series", "series")]
    columns += [Column(k, _KIND_HEADERS[k], "count") for k in counts.columns if k in _KIND_HEADERS]
    return show(table, columns, _EN)


def status_table(release_list: pd.DataFrame) -> Any:
    """Releases and printed figures per data status, most final first."""
    counts = release_list.groupby("data_status")["n_figures"].agg(releases="size", figures="sum")
    order = [s for s in STATUS_ORDER if s in counts.index]
    table = counts.loc[order].reset_index()
    columns = [
        Column("data_status", "Data status", "word"),
        Column("releases", "Releases", "count"),
        Column("figures", "Printed figures", "count"),
    ]
    return show(table, columns, _EN)


def prints_table(figures: pd.DataFrame, *, sources: bool = True) -> Any:
    """Printed figures and the interval each print stands for: what was printed, the
    qualifier, the interval in the figure's unit. With ``sources``, the outlet and the series
    come first (for figures of several releases)."""
    table = _with(
        figures,
        printed=lambda r: as_printed(r["value_printed"], r["unit_printed"]),
        interval_text=lambda r: interval_text(r["low"], r["high"], r["unit"]),
        unit_text=lambda r: unit_text(r["unit"]),
    )
    columns = [Column("outlet", "Outlet"), *_QUANTITY] if sources else [*_QUANTITY[1:]]
    columns += [
        Column("qualifier", "Qualifier"),
        Column("printed", "As printed"),
        Column("interval_text", "Interval", "figure"),
        Column("unit_text", "Unit"),
    ]
    return show(table, columns, _EN)


def conflicts_table(conflicts: pd.DataFrame, *, agreement: bool = False) -> Any:
    """Prints of quantities whose prints disagree (``conflicts.csv``), for readers: the print,
    its release, whether it is the one kept and why. With ``agreement``, the reading under
    which they agree."""
    table = _with(
        conflicts,
        printed=lambda r: as_printed(r["value_printed"], r["unit_printed"]),
        agreement_text=lambda r: plain(r["agreement"]),
    )
    columns = [
        *_QUANTITY,
        Column("printed", "As printed"),
        Column("release_id", "Release"),
    ]
    columns += [Column("agreement_text", "Agreement")] if agreement else []
    columns += [Column("chosen", "Kept", "word")]
    columns += [] if agreement else [Column("chosen_because", "Why it is kept")]
    return show(table, columns, _EN)


def checks_table(checks: pd.DataFrame, verdicts: Sequence[str], *, verdict: bool = True) -> Any:
    """The checks with the given verdicts, for readers: what is checked and how, the print
    checked and where it comes from, and the reason, whole."""
    rows = checks[checks["verdict"].isin(verdicts)]
    table = _with(
        rows,
        verdict_text=lambda r: plain(r["verdict"]),
        reason_text=lambda r: readable_reason(r["reason"]),
    )
    columns = [Column("verdict_text", "Verdict")] if verdict else []
    columns += [
        Column("description", "Check"),
        Column("formula", "Formula"),
        Column("printed_value", "As printed"),
        Column("printed_ref", "Print checked"),
        Column("reason_text", "Reason"),
    ]
    return show(table, columns, _EN)


def verdict_summary_table(summary: pd.DataFrame) -> Any:
    """Checks per kind and verdict (:func:`model.checks.verdict_summary`), for readers."""
    table = summary.reset_index()
    table["kind"] = table["kind"].map(lambda k: "All checks" if k == "all" else plain(k))
    columns = [Column("kind", "Kind of check")]
    columns += [Column(v, plain(v).capitalize(), "count") for v in summary.columns]
    return show(table, columns, _EN)


def series_table(series: pd.DataFrame) -> Any:
    """Rows of ``series.csv`` for readers: the quantity, its value and interval in its unit,
    whether it is printed or derived, how its prints agree, its data status."""
    table = _with(
        series,
        value_text=lambda r: value_text(r["value"], r["unit"]),
        interval_text=lambda r: interval_text(r["low"], r["high"], r["unit"]),
        unit_text=lambda r: unit_text(r["unit"]),
        agreement_text=lambda r: plain(r["agreement"]),
        prints=lambda r: "" if r["origin"] == "derived" else number(r["n_sources"], 0, _EN),
    )
    columns = [
        *_QUANTITY[1:],
        Column("base_period", "Base period", "period"),
        Column("value_text", "Value", "figure"),
        Column("interval_text", "Interval", "figure"),
        Column("unit_text", "Unit"),
        Column("origin", "Origin", "word"),
        Column("agreement_text", "Agreement of the prints"),
        Column("prints", "Prints", "figure"),
        Column("data_status", "Data status", "word"),
    ]
    return show(table, columns, _EN)


def revisions_table(revisions: pd.DataFrame) -> Any:
    """Pairs of consecutive vintages (``revisions.csv``), for readers."""
    table = _with(
        revisions,
        revision_text=lambda r: value_text(r["revision"], r["unit"]),
        unit_text=lambda r: unit_text(r["unit"]),
    )
    columns = [
        *_QUANTITY,
        Column("earlier_release_id", "Earlier release"),
        Column("earlier_value_printed", "Earlier print"),
        Column("later_release_id", "Later release"),
        Column("later_value_printed", "Later print"),
        Column("revision_text", "Revision", "figure"),
        Column("unit_text", "Unit"),
        Column("revision_pct", "Revision (%)", "pct", 1),
        Column("beyond_rounding", "Beyond rounding", "word"),
    ]
    return show(table, columns, _EN, empty="No release declares that it revises another.")


def written(paths: Sequence[Path], root: Path) -> Any:
    """The files a step wrote, as a Markdown list of paths relative to the project."""
    from IPython.display import Markdown

    from digital_exports.analysis.labels import markdown_text

    lines = [f"- {markdown_text(p.relative_to(root).as_posix())}" for p in paths]
    return Markdown("Written:\n\n" + "\n".join(lines))
