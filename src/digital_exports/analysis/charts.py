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
import textwrap
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.ticker
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.typing import LineStyleType

from digital_exports.analysis.analyses import BREAKS, PANEL_MIN_POINTS, sub_annual_groups
from digital_exports.analysis.labels import (
    UNIT_LABELS,
    number,
    outlet_label,
    period_label,
    segment_label,
    short_series_label,
    word,
)
from digital_exports.analysis.readers import label_of
from digital_exports.base.frames import each_row
from digital_exports.base.text import reveal
from digital_exports.contract.vocab import COMPOSITES, CONTEXT_SERIES, SEGMENT_SETS, SEGMENTS
from digital_exports.tables.outputs import atomic_write

#: Okabe & Ito (2008), a palette readable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
_STYLE: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "digital-exports",
    "svg.fonttype": "none",  # text as text: searchable, editable, smaller
    "pdf.fonttype": 42,  # TrueType fonts embedded, as journals ask
    "figure.dpi": 100,
}


def source_line(
    releases: pd.DataFrame, release_ids: list[str], lang: str, producer: str = "Office des Changes"
) -> str:
    """``Source : Office des Changes, données préliminaires, via le360 (2025-10-17, ...) ;
    L'Economiste (...)`` for the releases used: every outlet, the primary one first (the
    outlet of the first release of ``release_ids``, which the analyses order by use), each
    with its dates; nothing is cut (the chart wraps the line)."""
    used = releases[releases["release_id"].isin(release_ids)]
    order = {r: i for i, r in enumerate(release_ids)}
    used = used.assign(_order=used["release_id"].map(order)).sort_values("_order")
    statuses = set(used["data_status"])
    status = word(
        "preliminary"
        if "preliminary" in statuses
        else "final"
        if statuses == {"final"}
        else "unknown",
        lang,
    )
    outlets: dict[str, list[str]] = {}
    for r in each_row(used):
        # a release without a printed date is said to be so: its folder's date is a
        # placeholder, not a publication date
        date = r.date_published or word("date_not_printed", lang)
        dates = outlets.setdefault(outlet_label(r.outlet, lang), [])
        if date not in dates:
            dates.append(date)
    shown = ("; " if lang == "en" else " ; ").join(
        f"{outlet} ({', '.join(sorted(dates))})" for outlet, dates in outlets.items()
    )
    return word("source", lang).format(producer=producer, status=status, outlets=shown)


def long_run_producers(lang: str) -> str:
    """The producers of the long-run chart's series, in ``lang``."""
    return word("producers_long_run", lang)


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
        shown = reveal(text.get_text())  # no hidden character reorders text from the data
        if shown != text.get_text():
            text.set_text(shown)
    return fig


class _LocaleFormatter(mpl.ticker.Formatter):
    """Tick labels in the chart's locale (``-12,5`` in French, ``-12.5`` in English), with as
    many decimals as the tick step needs, and an optional suffix (`` %``)."""

    def __init__(self, lang: str, suffix: str = "") -> None:
        self.lang, self.suffix = lang, suffix
        self._decimals = 0

    def set_locs(self, locs: Any) -> None:
        super().set_locs(locs)
        # The fewest decimals (at most three) that write every tick exactly: 2,5 and 7,5 stay
        # 2,5 and 7,5, never 2 and 8.
        self._decimals = next(
            (d for d in range(4) if all(abs(round(x, d) - x) < 1e-9 for x in locs)), 3
        )

    def __call__(self, x: float, pos: int | None = None) -> str:
        return number(x, self._decimals, self.lang) + self.suffix


def _pct_suffix(lang: str) -> str:
    return "\u202f%" if lang == "fr" else "%"


def _pct(x: float, lang: str) -> str:
    return number(x, 1, lang) + _pct_suffix(lang)


def _renderer(fig: Figure) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()


def _wrap(text: str, fig: Figure, fontsize: float) -> str:
    """``text`` broken into lines that fit the figure's width (whole words, nothing cut)."""
    chars = int(fig.get_figwidth() * 72 / (fontsize * 0.56))
    return "\n".join(textwrap.wrap(text, width=max(chars, 20), break_long_words=False))


def _notes_below(fig: Figure, notes: list[tuple[str, float]]) -> None:
    """Place each note (text, font size) below everything drawn so far, in order, left
    aligned and wrapped to the figure's width: the notes never overlap the axes, their tick
    labels or legends, nor each other. They may fall below the figure's bottom edge; the
    figure is saved and shown with a tight bounding box, so nothing is cut."""
    renderer = _renderer(fig)
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes]
    boxes += [t.get_window_extent(renderer) for t in fig.texts if t.get_text()]
    boxes += [lg.get_window_extent(renderer) for lg in fig.legends]
    bottom = min(b.y0 for b in boxes if b is not None) / fig.dpi  # inches from the bottom
    gap = 0.08
    for text, size in notes:
        if not text:
            continue
        y = bottom - gap
        t = fig.text(
            0.01,
            y / fig.get_figheight(),
            _wrap(text, fig, size),
            fontsize=size,
            color="#444444",
            ha="left",
            va="top",
            parse_math=False,
            linespacing=1.3,
        )
        bottom = t.get_window_extent(renderer).y0 / fig.dpi


def text_boxes(fig: Figure) -> list[tuple[str, Any]]:
    """Every text a reader sees in ``fig`` with its box in display units, after a draw: titles,
    axis labels, the tick labels within the axes' limits, texts, legend entries. For tests of
    overlapping text and of the chart's language."""
    renderer = _renderer(fig)
    fig.draw(renderer)
    texts: list[Text] = list(fig.texts)
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title]  # type: ignore[attr-defined]
        texts += [ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = min(lo, hi), max(lo, hi)
            for tick in axis.get_major_ticks():
                if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9 and tick.label1.get_visible():
                    texts.append(tick.label1)
        legend = ax.get_legend()
        if legend is not None:
            texts += list(legend.get_texts())
            texts.append(legend.get_title())
    for legend in fig.legends:
        texts += list(legend.get_texts())
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in texts
        if t.get_visible() and t.get_text().strip()
    ]


def _segment_colour(code: str) -> str:
    order = [c for c in SEGMENTS if c not in COMPOSITES]
    return PALETTE[order.index(code) % len(PALETTE)] if code in order else "#555555"


def segment_breakdown(table: pd.DataFrame, year: int, lang: str, source: str) -> Figure:
    """Horizontal bars of each segment's share of the total, labelled with its value.

    A printed share is a solid bar; a share computed from levels is hatched (the legend says
    so). Segments with no known share are listed as not available.
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
        ax = fig.add_axes((0.36, 0.14, 0.56, 0.68))
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
            ax.text(r.share + 0.8, i, _pct(r.share, lang), va="center", fontsize=9)
        ax.set_yticks(range(len(known)), [segment_label(s, lang) for s in known["segment"]])
        ax.set_xlim(0, max(50.0, float(known["share"].max()) * 1.25) if len(known) else 50.0)
        ax.xaxis.set_major_formatter(_LocaleFormatter(lang))
        ax.set_xlabel(word("share", lang))
        if (~known["printed"]).any():
            handles = [
                Patch(
                    facecolor="#777777", edgecolor="#777777", label=word("key_printed_bar", lang)
                ),
                Patch(
                    facecolor="white",
                    edgecolor="#777777",
                    hatch="///",
                    label=word("key_derived_bar", lang),
                ),
            ]
            ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
        title = word("breakdown_title", lang).format(year=year)
        fig.set_label(title)  # read by cite()
        fig.text(0.02, 0.93, title, fontsize=12, fontweight="bold", va="bottom")
        if len(missing):
            absent = ", ".join(segment_label(s, lang) for s in missing["segment"])
            colon = " :" if lang == "fr" else ":"
            fig.text(
                0.02,
                0.87,
                f"{word('not_available', lang)}{colon} {absent}",
                fontsize=8.5,
                color="#444444",
                va="bottom",
            )
        _notes_below(fig, [(source, 7.5)])
    return _plain_text(fig)


def period_comparison(
    table: pd.DataFrame, period: str, base_period: str, lang: str, source: str
) -> Figure:
    """Change of each segment between two periods, with the interval allowed by rounding
    (bars), the computed change (a dot, hollow when a level is derived) and the printed change
    (a diamond) where there is one. Segments come first, then the total, then composites
    (ITO and CRM together) below a rule; segments with no level in one period are listed as
    not available."""
    rows, absent = _comparison_rows(table)
    labels = [
        word("composite_of", lang).format(label=segment_label(s, lang))
        if s in COMPOSITES
        else label_of(s, lang)
        for s in rows["segment"]
    ]
    with mpl.rc_context(_STYLE):
        height = 2.0 + 0.42 * max(len(rows), 1)
        fig = _figure(7.5, height)
        ax = fig.add_axes((0.3, 0.75 / height, 0.62, 1 - 1.35 / height))
        _comparison_marks(ax, rows, lang)
        ax.axvline(0, color="#888888", linewidth=0.8)
        ax.set_yticks(range(len(rows)), labels)
        ax.set_ylim(-0.7, max(len(rows), 1) - 0.2)
        ax.xaxis.set_major_formatter(_LocaleFormatter(lang))
        ax.set_xlabel(word("change", lang))
        fig.set_label(  # read by cite()
            word("comparison_title", lang).format(
                period=period_label(period, lang), base=period_label(base_period, lang)
            )
        )
        ax.set_title(
            str(fig.get_label()),
            loc="left",
            fontsize=12,
            fontweight="bold",
        )
        fig.legend(
            handles=_comparison_key(lang, derived=bool(rows["derived"].any())),
            loc="upper left",
            bbox_to_anchor=(0.0, 0.0),
            bbox_transform=ax.transAxes,
            ncol=2,
            fontsize=7.5,
            frameon=False,
        )
        notes = []
        if absent:
            colon = " :" if lang == "fr" else ":"
            names = ", ".join(label_of(s, lang) for s in absent)
            notes.append((f"{word('not_available', lang)}{colon} {names}", 8.0))
        _place_legend_below_axis(fig, ax)
        _notes_below(fig, [*notes, (source, 7.5)])
    return _plain_text(fig)


def _comparison_rows(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The segments with a change, in drawing order (composites, then the total, then the
    segments, bottom to top), whether a level behind each is derived, and those without one."""
    columns = ["segment", "change_low", "change_high", "change_pct", "printed_change_pct"]
    if "change_low" not in table:
        table = pd.DataFrame(columns=columns)
    known = table[table["change_low"].notna()].copy()
    absent = [s for s in table["segment"] if s not in set(known["segment"])]
    origin_cols = [c for c in table.columns if c.startswith("origin_")]
    known["derived"] = (known[origin_cols] == "derived").any(axis=1) if origin_cols else False
    known["rank"] = [2 if s in COMPOSITES else 1 if s == "total" else 0 for s in known["segment"]]
    rows = known.sort_values(["rank", "segment"], ascending=[False, False]).reset_index(drop=True)
    return rows, absent


def _comparison_marks(ax: Axes, rows: pd.DataFrame, lang: str) -> None:
    """Per segment: the interval (bar), the computed change (dot) and the printed one
    (diamond); a rule above the composites; a word when there is nothing to draw."""
    for i, r in enumerate(each_row(rows)):
        ax.plot(
            [r.change_low, r.change_high],
            [i, i],
            color=PALETTE[0],
            linewidth=6,
            solid_capstyle="butt",
            alpha=0.6,
        )
        ax.plot(
            r.change_pct,
            i,
            "o",
            color=PALETTE[0],
            markersize=5,
            markerfacecolor="white" if r.derived else PALETTE[0],
        )
        if not math.isnan(r.printed_change_pct):
            ax.plot(r.printed_change_pct, i, "D", color=PALETTE[1], markersize=6)
        ax.text(r.change_high, i + 0.22, " " + _pct(r.change_pct, lang), fontsize=8, va="bottom")
    composites = int((rows["rank"] == 2).sum())
    if composites and composites < len(rows):
        ax.axhline(composites - 0.5, color="#999999", linewidth=0.8, linestyle="--")
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


def _comparison_key(lang: str, derived: bool) -> list[Line2D]:
    """The legend of the comparison chart (the hollow dot only when a level is derived)."""
    handles = [
        Line2D([], [], color=PALETTE[0], linewidth=6, alpha=0.6, label=word("key_interval", lang)),
        Line2D([], [], color=PALETTE[0], marker="o", linestyle="", label=word("key_point", lang)),
        Line2D([], [], color=PALETTE[1], marker="D", linestyle="", label=word("key_printed", lang)),
    ]
    if derived:
        handles.append(
            Line2D(
                [],
                [],
                color=PALETTE[0],
                marker="o",
                markerfacecolor="white",
                linestyle="",
                label=word("key_point_derived", lang),
            )
        )
    return handles


def _place_legend_below_axis(fig: Figure, ax: Any) -> None:
    """Move the figure legend anchored at ``ax``'s bottom below the axis' tick labels and
    label."""
    renderer = _renderer(fig)
    box = ax.get_tightbbox(renderer)
    for legend in fig.legends:
        y = (box.y0 - 4) / fig.bbox.height
        legend.set_bbox_to_anchor((0.01, y), transform=fig.transFigure)


def long_run(
    table: pd.DataFrame, start: int, end: int, currency: str, lang: str, source: str
) -> Figure:
    """Annual levels of every series on one time axis (top), and the sub-annual figures below
    it, one panel per kind of period (halves, quarters, year-to-date totals, months: never
    summed on one axis) and one for composites (ITO and CRM together), one colour per
    segment. Official series are solid, industry or press estimates dashed with hollow
    markers; derived points are hollow (the legend says so); error bars are the intervals (an
    open bound is drawn as an arrow); series breaks are numbered lines, explained below."""
    panels = _sub_annual_panels(table, lang)
    n_rows = math.ceil(len(panels) / 2)
    # Inches from one row of sub-annual panels to the next: 2.75, or more where a panel's legend
    # runs longer (one entry a line below 1 inch).
    pitches = [
        max(
            2.75,
            *(2.1 + 0.135 * _legend_lines(g) for _t, g in panels[2 * r : 2 * r + 2]),
        )
        for r in range(n_rows)
    ]
    with mpl.rc_context(_STYLE):
        height = 5.2 + sum(pitches)
        fig = _figure(9.0, height)
        top = fig.add_axes((0.08, 1 - 4.4 / height, 0.62, 3.7 / height))
        fig.set_label(word("long_run_title", lang).format(start=start, end=end))  # for cite()
        breaks = _annual_panel(top, table, start, end, lang)
        axes = [top]
        panel_h = 1.3 / height
        for i, (title, rows) in enumerate(panels):
            col, row = i % 2, i // 2
            y0 = 1 - (5.35 + sum(pitches[:row])) / height - panel_h
            ax = fig.add_axes((0.08 + col * 0.47, y0, 0.38, panel_h))
            _draw_sub_panel(ax, rows, lang)
            ax.set_title(title, loc="left", fontsize=9.5)
            axes.append(ax)
        for ax in axes:
            ax.set_ylabel(UNIT_LABELS[lang][currency], fontsize=8 if ax is not top else 10)
            ax.grid(axis="y", color="#dddddd", linewidth=0.6)
            ax.yaxis.set_major_formatter(_LocaleFormatter(lang))
        notes = []
        if breaks:
            items = "; ".join(
                f"{n}. {b.label(lang)} ({_year_text(x, lang)})"
                for n, (x, b) in enumerate(breaks, 1)
            )
            notes.append((word("breaks", lang).format(items=items), 7.5))
        _notes_below(fig, [*notes, (source, 7.5)])
    return _plain_text(fig)


def _sub_annual_panels(table: pd.DataFrame, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """The long-run chart's sub-annual panels: one per kind of period with enough levels to
    read a trend (``analyses.PANEL_MIN_POINTS``; the report's table and a note under the chart
    give the others), then one for the composites; each with its title in ``lang``."""
    return [
        (word("composites" if k == "composites" else f"sub_{k}", lang), g)
        for k, g in sub_annual_groups(table)
        if len(g) >= PANEL_MIN_POINTS
    ]


def _annual_panel(top: Axes, table: pd.DataFrame, start: int, end: int, lang: str) -> list:
    """Draw the annual levels of every series, the numbered series breaks, the title and the
    legend on ``top``; return the breaks drawn (year, break) for the note below."""
    annual = table[table["period_kind"] == "year"]
    names = sorted(set(table["series"]))
    colours = {name: PALETTE[k % len(PALETTE)] for k, name in enumerate(names)}
    for name in names:
        rows = annual[annual["series"] == name].sort_values("year")
        if len(rows):
            label = short_series_label(name, lang)
            _draw(top, rows, rows["year"].astype(float), colours[name], label)
    top.set_xlim(start - 0.5, end + 0.5)
    top.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    breaks = [(x, b) for x, _name, b in BREAKS if start <= x <= end]
    for n, (x, _b) in enumerate(breaks, start=1):
        top.axvline(x, color="#888888", linestyle=":", linewidth=1)
        top.text(
            x,
            1.01,
            str(n),
            transform=top.get_xaxis_transform(),
            fontsize=7.5,
            ha="center",
            va="bottom",
            color="#555555",
        )
    top.set_title(
        word("long_run_title", lang).format(start=start, end=end),
        loc="left",
        fontsize=12,
        fontweight="bold",
        pad=16,
    )
    handles, _labels = top.get_legend_handles_labels()
    top.legend(
        handles=[*handles, *_style_handles(lang)],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7,
        frameon=False,
    )
    return breaks


def _year_text(x: float, lang: str) -> str:
    """A break's place on the time axis: ``2023``, or ``mi-2016``/``mid-2016``."""
    if float(x).is_integer():
        return str(int(x))
    return f"{'mi-' if lang == 'fr' else 'mid-'}{int(x)}"


def _style_handles(lang: str) -> list[Any]:
    """Legend entries for the marks' styles: official, estimate, derived."""
    styles: tuple[tuple[str, str, LineStyleType], ...] = (
        ("key_official", "#555555", "-"),
        ("key_estimate", "white", "--"),
        ("key_derived_point", "white", ""),
    )
    return [
        Line2D(
            [],
            [],
            color="#555555",
            marker="o",
            markerfacecolor=face,
            linestyle=line,
            label=word(key, lang),
        )
        for key, face, line in styles
    ]


#: Colours for a panel's entries once the palette's preferred colour of an entry is taken (Paul
#: Tol's muted scheme, after the Okabe-Ito palette above).
EXTRA_COLOURS = ("#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#117733", "#888888")
#: Up to this many entries, a panel's legend has two columns (long labels beyond it: one).
_TWO_COLUMNS = 6


def _legend_lines(rows: pd.DataFrame) -> int:
    """How many lines a sub-annual panel's legend takes."""
    n = rows.groupby(["series", "segment"]).ngroups
    return math.ceil(n / 2) if n <= _TWO_COLUMNS else n


def _entries(rows: pd.DataFrame, lang: str) -> dict[tuple[str, str], tuple[str, str]]:
    """Each (series, segment) of a panel -> its legend label and colour, both unique in the
    panel: a segment's own colour (black for a whole series), or the next free one when another
    entry has it; a label that two series share names its series."""
    found: list[tuple[tuple[str, str], str, str]] = []
    for name, segment in sorted(
        {(str(a), str(b)) for a, b in zip(rows["series"], rows["segment"], strict=True)}
    ):
        if segment in COMPOSITES:
            label = word("composite_of", lang).format(label=segment_label(segment, lang))
            colour = "#555555"
        elif segment in ("total",) or segment not in SEGMENTS:
            label, colour = short_series_label(name, lang), "#000000"
        else:
            label, colour = segment_label(segment, lang), _segment_colour(segment)
        if segment in SEGMENTS and segment not in COMPOSITES and name not in SEGMENT_SETS:
            label = short_series_label(name, lang)
        found.append(((name, segment), label, colour))
    labels = [label for _k, label, _c in found]
    out: dict[tuple[str, str], tuple[str, str]] = {}
    used: set[str] = set()
    for (name, segment), label, colour in found:
        if labels.count(label) > 1:
            label = f"{label} – {short_series_label(name, lang)}"
        if colour in used:
            colour = next(c for c in (*PALETTE, *EXTRA_COLOURS) if c not in used)
        used.add(colour)
        out[(name, segment)] = (label, colour)
    return out


def _draw_sub_panel(ax: Any, rows: pd.DataFrame, lang: str) -> None:
    """One sub-annual panel: one colour per entry (a segment, or the series' label for a whole
    series), points at the middle of their period."""
    mid = (
        pd.to_datetime(rows["period_start"])
        + (pd.to_datetime(rows["period_end"]) - pd.to_datetime(rows["period_start"])) / 2
    )
    x = mid.dt.year + (mid.dt.day_of_year - 1) / 365.0
    rows = rows.assign(_x=x.to_numpy())
    entries = _entries(rows, lang)
    for (name, segment), g in rows.groupby(["series", "segment"], sort=True):
        label, colour = entries[(str(name), str(segment))]
        g = g.sort_values("_x")
        _draw(ax, g, g["_x"], colour, label, connect=False)
    # Levels from zero (a small interval must not look long), with room above the highest
    # bound (an open bound is drawn 15 % above its value, as in _draw).
    highs = [
        (h if math.isfinite(h) else v * 1.15) / 1000.0
        for v, h in zip(rows["value"], rows["high"], strict=True)
    ]
    ax.set_ylim(0, max(highs) * 1.12)
    lo, hi = float(rows["_x"].min()), float(rows["_x"].max())
    ax.set_xlim(math.floor(lo) - 0.3, math.ceil(hi) + 0.3)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, nbins=5))
    ax.tick_params(labelsize=8)
    ncol = 2 if len(entries) <= _TWO_COLUMNS else 1
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16), fontsize=6.5, frameon=False, ncol=ncol)


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


#: Notes are placed below the axes, possibly below the figure's edge: save the whole drawing
#: (the notebooks' inline display does the same).
_PAD_INCHES = 0.12


def _tight(fig: Figure) -> dict[str, Any]:
    """The figure's tight bounding box (inches, padded), measured once with the Agg renderer
    and given to every format: ``bbox_inches="tight"`` would draw the figure once more per
    format to measure it (0.3 s of the long-run chart's 1.3 s)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    return {"bbox_inches": fig.get_tightbbox(renderer).padded(_PAD_INCHES)}


#: Resolution of the PNG: 300 dpi, what journals ask of a raster figure.
PNG_DPI = 300


def save(
    fig: Figure, stem: Path, data: pd.DataFrame | None = None, citation: str = ""
) -> list[Path]:
    """Write the chart for publication, with fixed metadata (no date, no software version), so
    that the same figure gives the same bytes; return the paths written.

    Files: ``<stem>.svg`` (text kept as text), ``<stem>.png`` (300 dpi), ``<stem>.pdf``
    (fonts embedded); with ``data``, ``<stem>.csv``: exactly the table the chart was drawn
    from; with ``citation``, ``<stem>.txt``: one line saying how to cite it.

    The extension is appended to the whole name (a stem such as
    ``period_comparison_2025-01..2025-06`` keeps its dots), and each file is rendered in memory
    first and then written atomically: an error or an interrupt leaves the previous file.
    """
    _plain_text(fig)
    rendered: dict[str, bytes] = {}
    with mpl.rc_context(_STYLE):
        tight = _tight(fig)
        for fmt, kwargs in (
            ("svg", {"metadata": {"Date": None, "Creator": None}, **tight}),
            ("png", {"dpi": PNG_DPI, "metadata": {"Software": None}, **tight}),
            (
                "pdf",
                {"metadata": {"CreationDate": None, "Creator": None, "Producer": None}, **tight},
            ),
        ):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, **kwargs)
            rendered[fmt] = buffer.getvalue()
    if data is not None:
        rendered["csv"] = data.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if citation:
        rendered["txt"] = (" ".join(citation.split()) + "\n").encode("utf-8")
    paths = []
    for ext, content in rendered.items():
        paths.append(atomic_write(stem.with_name(f"{stem.name}.{ext}"), content))
    return paths


def cite(fig: Figure, source: str, lang: str) -> str:
    """The one line that says how to cite a chart: its title (the label each chart function
    gives its figure), its source line, and this package for the computations."""
    title = " ".join(str(fig.get_label()).split()).rstrip(".")
    lines = (" ".join(line.split()).rstrip(".") for line in source.splitlines())
    return word("cite_chart", lang).format(title=title, source=". ".join(x for x in lines if x))


def services_share(table: pd.DataFrame, lang: str, source: str) -> Figure:
    """The share of each digital series in services exports, year by year (report 70).

    One line per pair of series (digital series / services series): a dot for each year with
    the interval the prints allow (a vertical bar), joined only to the pair's previous year
    (``joins_previous``): never across a scope or a measure, never to a projected year. A
    projected year is a hollow dot. The pairs over the first context series (the monthly
    indicators) are drawn solid; those over another measure of services (the balance of
    payments) dotted and lighter, as a check. The main pair's latest share and the year before
    are in the subtitle and written beside its dots.
    """
    from digital_exports.analysis.context import main_pair

    annual = table[table["period_kind"] == "year"] if not table.empty else table
    main = main_pair(table) if not table.empty else None
    with mpl.rc_context(_STYLE):
        fig = _figure(7.5, 4.6)
        ax = fig.add_axes((0.1, 0.16, 0.86, 0.6))
        pairs = list(
            dict.fromkeys(
                zip(annual.get("series", []), annual.get("context_series", []), strict=True)
            )
        )
        pairs.sort(key=lambda p: (p != main, p[1] != CONTEXT_SERIES[0]))
        handles = [
            _share_pair(ax, annual, pair, PALETTE[i % len(PALETTE)], pair == main, lang)
            for i, pair in enumerate(pairs)
        ]
        if len(annual) and annual["projected"].astype(bool).any():
            handles.append(
                Line2D([], [], color="#777777", marker="o", markerfacecolor="white",
                       linestyle="", label=word("share_projected", lang))
            )  # fmt: skip
        if len(annual):
            years = sorted({int(y) for y in annual["year"]})
            ax.set_xticks(years, [str(y) for y in years])
            ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
            ax.set_ylim(0, max(float(annual["share_high"].max()) * 1.25, 1.0))
        ax.yaxis.set_major_formatter(_LocaleFormatter(lang))
        ax.set_ylabel(word("share_axis", lang))
        title = word("share_title", lang)
        fig.set_label(title)  # read by cite()
        fig.text(0.02, 0.93, _wrap(title, fig, 12), fontsize=12, fontweight="bold", va="bottom")
        subtitle = _share_subtitle(table, main, lang)
        if subtitle:
            fig.text(0.02, 0.85, _wrap(subtitle, fig, 9.5), fontsize=9.5, color="#333333",
                     va="bottom")  # fmt: skip
        if handles:
            fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.1),
                       bbox_transform=ax.transAxes, fontsize=7.5, frameon=False)  # fmt: skip
        _notes_below(fig, [(source, 7.5)])
    return _plain_text(fig)


def _share_pair(
    ax: Axes, annual: pd.DataFrame, pair: tuple[str, str], colour: str, main: bool, lang: str
) -> Line2D:
    """Draw one pair of series of the share chart; return its legend entry."""
    name, context = pair
    solid = context == CONTEXT_SERIES[0]
    dash: LineStyleType = "-" if solid else ":"
    alpha, marker = (1.0, "o") if solid else (0.7, "s")
    rows = annual[(annual["series"] == name) & (annual["context_series"] == context)]
    previous = None
    for r in each_row(rows.sort_values("year")):
        ax.plot([r.year, r.year], [r.share_low, r.share_high], color=colour, linewidth=1.4,
                alpha=alpha)  # fmt: skip
        hollow = bool(r.projected) or not solid
        face = "white" if hollow else colour
        ax.plot(r.year, r.share_pct, marker, color=colour, alpha=alpha, markerfacecolor=face,
                markersize=6 if solid else 5)  # fmt: skip
        if r.joins_previous and previous is not None:
            ax.plot([previous.year, r.year], [previous.share_pct, r.share_pct], color=colour,
                    linewidth=1.6 if main else 1.1, linestyle=dash, alpha=alpha)  # fmt: skip
        if main:
            ax.annotate(_pct(float(r.share_pct), lang), (float(r.year), float(r.share_pct)),
                        xytext=(0, 8), textcoords="offset points", ha="center", fontsize=8.5,
                        color=colour)  # fmt: skip
        previous = r
    label = word("share_legend", lang).format(
        series=short_series_label(name, lang), context=short_series_label(context, lang)
    )
    return Line2D([], [], color=colour, marker=marker, linestyle=dash,
                  markerfacecolor=colour if solid else "white", label=label)  # fmt: skip


def _share_subtitle(table: pd.DataFrame, main: tuple[str, str] | None, lang: str) -> str:
    """The main pair's latest share against the year before, in words; empty without two
    annual points."""
    from digital_exports.analysis.context import share_direction

    moved = share_direction(table) if main is not None else None
    if moved is None or main is None:
        return ""
    direction, before, last = moved
    return word(f"share_subtitle_{direction}", lang).format(
        series=short_series_label(main[0], lang),
        share=_pct(float(last["share_pct"]), lang),
        year=last["year"],
        before=_pct(float(before["share_pct"]), lang),
        before_year=before["year"],
    )


def projection(table: pd.DataFrame, lang: str, source: str) -> Figure:
    """The projection and its backtest, on two panels (report 80).

    Left: the year asked for, its projected interval (a bar) and central value (a tick), with
    its outturn (a dot) once printed. Right: every year that tests the rule, each as the
    projected interval's distance from the outturn in percent (the outturn is the zero line):
    a bar crossing zero held the outturn. Percent keeps a 7-billion legacy year and a
    26-billion year on one scale.
    """
    target = table[table["is_target"].astype(bool)] if not table.empty else table
    tests = table[table["grade"].isin(["inside", "outside"])] if not table.empty else table
    with mpl.rc_context(_STYLE):
        fig = _figure(7.5, 4.0)
        left = fig.add_axes((0.1, 0.2, 0.22, 0.6))
        _projection_panel(left, target, lang)
        _backtest_panel(fig.add_axes((0.44, 0.2, 0.52, 0.6)), tests, lang)
        title = word("projection_title", lang)
        fig.set_label(title)  # read by cite()
        fig.text(0.02, 0.9, _wrap(title, fig, 12), fontsize=12, fontweight="bold", va="bottom")
        keys = (
            (PALETTE[0], 0.5, "projection_interval"),
            (PALETTE[2], 0.6, "inside"),
            (PALETTE[3], 0.6, "outside"),
        )
        handles = [
            Line2D([], [], color=c, linewidth=6, alpha=a, label=word(k, lang)) for c, a, k in keys
        ]
        handles.insert(1, Line2D([], [], color=PALETTE[3], marker="o", linestyle="",
                                 label=word("projection_outturn", lang)))  # fmt: skip
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.2),
                   bbox_transform=left.transAxes, ncol=4, fontsize=7.5, frameon=False)  # fmt: skip
        _notes_below(fig, [(source, 7.5)])
    return _plain_text(fig)


def _projection_panel(ax: Axes, target: pd.DataFrame, lang: str) -> None:
    """The year asked for: its projected interval in billions, central value and outturn."""
    unit = ""
    for r in each_row(target):
        unit = UNIT_LABELS[lang].get(str(r.unit).split()[0], str(r.unit))
        if not math.isnan(r.low):
            ax.plot([0, 0], [r.low / 1000, r.high / 1000], color=PALETTE[0], linewidth=10,
                    alpha=0.5, solid_capstyle="butt")  # fmt: skip
            ax.plot([-0.25, 0.25], [r.value / 1000] * 2, color=PALETTE[0], linewidth=1.5)
            for y in (r.low, r.high):
                ax.annotate(number(y / 1000, 1, lang), (0.12, y / 1000), fontsize=8, va="center",
                            xytext=(6, 0), textcoords="offset points")  # fmt: skip
        if not math.isnan(r.outturn_value):
            ax.plot(0, r.outturn_value / 1000, "o", color=PALETTE[3], markersize=6)
        ax.set_xticks([0], [str(r.period)])
    ax.set_xlim(-0.8, 0.8)
    ax.yaxis.set_major_formatter(_LocaleFormatter(lang))
    ax.set_ylabel(word("projection_axis", lang).format(unit=unit))


def _backtest_panel(ax: Axes, tests: pd.DataFrame, lang: str) -> None:
    """Every graded year: the projected interval's distance from the outturn, in percent."""
    labels = []
    for i, r in enumerate(each_row(tests)):
        low, high = (100 * (b / r.outturn_value - 1) for b in (r.low, r.high))
        colour = PALETTE[2] if r.grade == "inside" else PALETTE[3]
        ax.plot([i, i], [low, high], color=colour, linewidth=10, alpha=0.6, solid_capstyle="butt")
        name = textwrap.fill(short_series_label(r.series, lang), 18, break_long_words=False)
        labels.append(f"{r.period}\n{name}")
    ax.axhline(0, color="#444444", linewidth=1)
    ax.set_xticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlim(-0.7, max(len(labels), 1) - 0.3)
    ax.yaxis.set_major_formatter(_LocaleFormatter(lang))
    ax.set_ylabel(word("projection_error_axis", lang))
    ax.set_title(word("projection_backtest", lang), loc="left", fontsize=9.5)
