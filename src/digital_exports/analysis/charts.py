"""Deterministic charts: the article's breakdown, a comparison of two periods, the long run.

Every chart carries a source line, marks derived values (hatched, hollow) apart from printed
ones, says when data are preliminary, and uses the Okabe-Ito colour-blind-safe palette. Files
are written by :func:`save` with fixed metadata and a fixed SVG hash salt, so the same data give
the same bytes, through a temporary file and a rename, so an interrupted save leaves no partial
file. Text that comes from the data (outlet names, dates, labels) is drawn as it is, never read
as matplotlib math text: an outlet named ``$\\frac$`` is printed, not parsed.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.ticker
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from digital_exports.analysis.analyses import BREAKS
from digital_exports.analysis.labels import (
    UNIT_LABELS,
    number,
    segment_label,
    short_series_label,
    word,
)
from digital_exports.base.frames import each_row
from digital_exports.tables.outputs import atomic_write

#: Okabe & Ito (2008), a palette readable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
_STYLE: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "digital-exports",
    "svg.fonttype": "path",
    "figure.dpi": 100,
}


def source_line(
    releases: pd.DataFrame, release_ids: list[str], lang: str, producer: str = "Office des Changes"
) -> str:
    """``Source : Office des Changes, données préliminaires, via le360, 2025-10-17`` for the
    releases used (at most three named, the rest counted)."""
    used = releases[releases["release_id"].isin(release_ids)].sort_values("release_id")
    statuses = set(used["data_status"])
    status = word(
        "preliminary"
        if "preliminary" in statuses
        else "final"
        if statuses == {"final"}
        else "unknown",
        lang,
    )
    names = [
        f"{r.outlet}, {r.date_published or r.release_id.split('/')[1][:10]}" for r in each_row(used)
    ]
    shown = "; ".join(names[:3])
    if len(names) > 3:
        shown += f" (+{len(names) - 3})"
    return word("source", lang).format(producer=producer, status=status, outlets=shown)


def _figure(width: float, height: float) -> Figure:
    with mpl.rc_context(_STYLE):
        fig = Figure(figsize=(width, height))
    return fig


def _plain_text(fig: Figure) -> Figure:
    """Turn math-text parsing off for every text of ``fig`` (titles, labels, tick labels,
    legend entries, the source line): a ``$`` from the data is a dollar sign, not markup."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                tick.label1.set_parse_math(False)
                tick.label2.set_parse_math(False)
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig


class _PlainText(Text):
    """A text that is never math text, wrapping included: matplotlib measures the lines of a
    wrapped text as math text whenever they hold two ``$``, even with ``parse_math`` off, and
    then fails on a source line such as ``$\\frac$``."""

    def _get_rendered_text_width(self, text: str) -> int:
        # matplotlib's own Text does the same with its private renderer attribute.
        renderer = self._renderer  # type: ignore[attr-defined]
        width, _height, _descent = renderer.get_text_width_height_descent(
            text, self.get_fontproperties(), ismath=False
        )
        return math.ceil(float(width))


def _footer(fig: Figure, text: str) -> None:
    """The source line at the bottom left, wrapped to the figure's width."""
    footer = _PlainText(
        0.01,
        0.01,
        text,
        fontsize=7.5,
        color="#444444",
        ha="left",
        va="bottom",
        wrap=True,
        parse_math=False,
        transform=fig.transSubfigure,
    )
    footer.set_figure(fig)
    fig.texts.append(footer)


def segment_breakdown(table: pd.DataFrame, year: int, lang: str, source: str) -> Figure:
    """Horizontal bars of each segment's share of the total, labelled with its value.

    A printed share is a solid bar; a share computed from levels is hatched and labelled
    ``calculé``/``derived``. Segments with no known share are listed as not available.
    """
    rows = table[table["segment"] != "total"].copy()
    rows["share"] = rows["share_printed_pct"].where(
        rows["share_printed_pct"].notna(), rows["share_computed_pct"]
    )
    rows["printed"] = rows["share_printed_pct"].notna()
    known = rows[rows["share"].notna()].sort_values("share")
    missing = rows[rows["share"].isna()]
    with mpl.rc_context(_STYLE):
        fig = _figure(7.5, 3.8)
        ax = fig.add_axes((0.36, 0.2, 0.56, 0.62))
        for i, r in enumerate(each_row(known)):
            colour = PALETTE[list(rows["segment"]).index(r.segment) % len(PALETTE)]
            ax.barh(
                i,
                r.share,
                color=colour if r.printed else "white",
                edgecolor=colour,
                hatch=None if r.printed else "///",
                linewidth=1.2,
            )
            label = f"{number(r.share, 1, lang)} %"
            if not r.printed:
                label += f" ({word('derived', lang)})"
            ax.text(r.share + 0.8, i, label, va="center", fontsize=9)
        ax.set_yticks(range(len(known)), [segment_label(s, lang) for s in known["segment"]])
        ax.set_xlim(0, max(50.0, float(known["share"].max()) * 1.25) if len(known) else 50.0)
        ax.set_xlabel(word("share", lang))
        title = word("breakdown_title", lang).format(year=year)
        fig.text(0.02, 0.93, title, fontsize=12, fontweight="bold", va="bottom")
        if len(missing):
            absent = ", ".join(segment_label(s, lang) for s in missing["segment"])
            colon = " :" if lang == "fr" else ":"
            fig.text(
                0.02,
                0.88,
                f"{word('not_available', lang)}{colon} {absent}",
                fontsize=8.5,
                color="#444444",
                va="bottom",
            )
        _footer(fig, source)
    return _plain_text(fig)


def period_comparison(
    table: pd.DataFrame, period: str, base_period: str, lang: str, source: str
) -> Figure:
    """Change of each segment between two periods, with the interval allowed by rounding
    (bars) and the printed change (a diamond) where there is one."""
    if "change_low" in table:
        rows = table[table["change_low"].notna()].reset_index(drop=True)
    else:
        rows = pd.DataFrame(columns=["segment", "change_low", "change_high", "change_pct"])
    with mpl.rc_context(_STYLE):
        height = 2.2 + 0.45 * max(len(rows), 1)
        fig = _figure(7.5, height)
        ax = fig.add_axes((0.3, 1.05 / height, 0.62, 1 - 1.6 / height))
        for i, (_label, r) in enumerate(rows.iterrows()):
            ax.plot(
                [r["change_low"], r["change_high"]],
                [i, i],
                color=PALETTE[0],
                linewidth=6,
                solid_capstyle="butt",
                alpha=0.6,
            )
            ax.plot(r["change_pct"], i, "o", color=PALETTE[0], markersize=5)
            if not math.isnan(r["printed_change_pct"]):
                ax.plot(r["printed_change_pct"], i, "D", color=PALETTE[1], markersize=6)
            ax.text(
                r["change_high"],
                i + 0.25,
                f" {number(r['change_pct'], 1, lang)} %",
                fontsize=8,
                va="bottom",
            )
        if rows.empty:
            ax.text(
                0.5,
                0.5,
                word("not_available", lang),
                transform=ax.transAxes,
                ha="center",
                va="center",
                color="#444444",
            )
        ax.axvline(0, color="#888888", linewidth=0.8)
        ax.set_yticks(range(len(rows)), [segment_label(s, lang) for s in rows["segment"]])
        ax.set_ylim(-0.7, max(len(rows), 1) - 0.3)
        ax.set_xlabel(word("change", lang))
        ax.set_title(
            word("comparison_title", lang).format(period=period, base=base_period),
            loc="left",
            fontsize=12,
            fontweight="bold",
        )
        legend = (
            "barre : intervalle calculé, point : valeur calculée, losange : variation publiée"
            if lang == "fr"
            else "bar: computed interval, dot: computed value, diamond: printed change"
        )
        fig.text(0.01, 0.38 / height, legend, fontsize=7.5, color="#444444")
        _footer(fig, source)
    return _plain_text(fig)


def long_run(
    table: pd.DataFrame, start: int, end: int, currency: str, lang: str, source: str
) -> Figure:
    """Annual levels of every series on one time axis (top) and the sub-annual figures
    (bottom). Each scope is its own line; official series are solid, industry or press
    estimates dashed with hollow markers; derived points are hollow; error bars are the
    intervals (an open bound is drawn as an arrow); series breaks are marked."""
    annual = table[table["period_kind"] == "year"]
    sub = table[table["period_kind"] != "year"]
    unit_label = UNIT_LABELS[lang][currency]
    with mpl.rc_context(_STYLE):
        fig = _figure(9.0, 8.0)
        top = fig.add_axes((0.08, 0.48, 0.88, 0.44))
        bottom = fig.add_axes((0.08, 0.13, 0.88, 0.26))
        names = sorted(set(table["series"]))
        for k, name in enumerate(names):
            colour = PALETTE[k % len(PALETTE)]
            rows = annual[annual["series"] == name].sort_values("year")
            if len(rows):
                _draw(top, rows, rows["year"].astype(float), colour, short_series_label(name, lang))
            for j, (segment, g) in enumerate(sub[sub["series"] == name].groupby("segment")):
                mid = (
                    pd.to_datetime(g["period_start"])
                    + (pd.to_datetime(g["period_end"]) - pd.to_datetime(g["period_start"])) / 2
                )
                x = mid.dt.year + (mid.dt.day_of_year - 1) / 365.0
                _draw(
                    bottom,
                    g,
                    x,
                    colour,
                    f"{short_series_label(name, lang)} ({segment})",
                    marker="osD^v"[j % 5],
                    connect=False,
                )
        for ax in (top, bottom):
            ax.set_xlim(start - 0.5, end + 0.5)
            ax.set_ylabel(unit_label)
            ax.grid(axis="y", color="#dddddd", linewidth=0.6)
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        for x, _name, text in BREAKS:
            if start <= x <= end:
                top.axvline(x, color="#888888", linestyle=":", linewidth=1)
                top.text(
                    x,
                    1.0,
                    f" {text}",
                    transform=top.get_xaxis_transform(),
                    rotation=90,
                    fontsize=6.5,
                    va="top",
                    ha="left",
                    color="#555555",
                )
        top.set_title(
            word("long_run_title", lang).format(start=start, end=end),
            loc="left",
            fontsize=12,
            fontweight="bold",
        )
        bottom.set_title(word("sub_annual", lang), loc="left", fontsize=10)
        top.legend(loc="upper left", fontsize=7, frameon=False)
        bottom.legend(loc="upper left", fontsize=6.5, frameon=False, ncol=2)
        key = (
            "plein : officiel ; tirets, creux : estimation de la profession ou de la presse ; "
            "point creux : calculé"
            if lang == "fr"
            else "solid: official; dashed, hollow: industry or press estimate; hollow point: "
            "derived"
        )
        fig.text(0.01, 0.045, key, fontsize=7, color="#444444")
        _footer(fig, source)
    return _plain_text(fig)


def _draw(
    ax: Axes,
    rows: pd.DataFrame,
    x: pd.Series,
    colour: str,
    label: str,
    marker: str = "o",
    connect: bool = True,
) -> None:
    scale = 1000.0  # millions -> billions
    y = rows["value"] / scale
    official = bool(rows["official"].iloc[0])
    if connect and len(rows) > 1:
        ax.plot(x, y, color=colour, linestyle="-" if official else "--", linewidth=1.2)
    for xi, r in zip(x, each_row(rows), strict=True):
        hollow = r.origin == "derived" or not official
        low = r.low / scale
        high = r.high / scale if math.isfinite(r.high) else r.value / scale * 1.15
        ax.plot([xi, xi], [low, high], color=colour, linewidth=1)
        if not math.isfinite(r.high):
            ax.annotate("", (xi, high), (xi, low), arrowprops={"arrowstyle": "->", "color": colour})
        ax.plot(
            xi,
            r.value / scale,
            marker,
            color=colour,
            markersize=5,
            markerfacecolor="white" if hollow else colour,
        )
    ax.plot(
        [],
        [],
        marker,
        color=colour,
        label=label,
        linestyle="-" if official else "--",
        markerfacecolor=colour if official else "white",
    )


def save(fig: Figure, stem: Path) -> list[Path]:
    """Write ``<stem>.svg`` and ``<stem>.png`` with fixed metadata (no date, no software
    version), so that the same figure gives the same bytes; return the two paths.

    The extension is appended to the whole name (a stem such as
    ``period_comparison_2025-01..2025-06`` keeps its dots), and each file is rendered in memory
    first and then written atomically: an error or an interrupt leaves the previous file.
    """
    paths = [stem.with_name(stem.name + ".svg"), stem.with_name(stem.name + ".png")]
    _plain_text(fig)
    rendered = []
    with mpl.rc_context(_STYLE):
        for fmt, kwargs in (
            ("svg", {"metadata": {"Date": None, "Creator": None}}),
            ("png", {"dpi": 110, "metadata": {"Software": None}}),
        ):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, **kwargs)
            rendered.append(buffer.getvalue())
    for path, data in zip(paths, rendered, strict=True):
        atomic_write(path, data)
    return paths
