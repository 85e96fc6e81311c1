"""The key figures: for each series, the latest year and the latest period shorter than a year
that the data hold, with the level, its change on the same period a year before, the largest
part's share, intervals, flags, status and sources. Read from ``estimates.csv`` and
``releases.csv`` (never typed by hand), shown at the top of ``reports/index.html`` and of the
README, in English."""

from __future__ import annotations

import dataclasses
import html
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digital_exports.analysis.labels import number
from digital_exports.base.hashing import sha256_file, sha256_text
from digital_exports.base.text import reveal
from digital_exports.contract.periods import recency
from digital_exports.contract.vocab import SEGMENTS, SERIES
from digital_exports.tables.io import read_records
from digital_exports.tables.outputs import atomic_write


@dataclass(frozen=True)
class KeyFigure:
    """One series in one period, as the front page shows it (texts in English).

    Attributes:
        series: the series code.
        label: the series' short label.
        period: the period code.
        level: the level with its interval (``26.2 bn MAD (26.15–26.25)``).
        change: the change on the same period a year before, with its interval, or ``—``.
        largest: the largest part of the total and its share, or ``—``.
        flags: the row's flags (``estimates.csv``), letters; empty when none.
        status: ``preliminary``, ``final``, ``unknown`` or ``forecast``.
        sources: ``(release id, address)`` of the releases the figures come from.
    """

    series: str
    label: str
    period: str
    level: str
    change: str
    largest: str
    flags: str
    status: str
    sources: tuple[tuple[str, str], ...]


def _decimals(*bounds: float) -> int:
    """The fewest decimals (0 to 3) that write an interval's finite bounds exactly (a print's
    rounding gives bounds such as 26.15 and 26.25: two decimals, the point one fewer)."""
    finite = [x for x in bounds if math.isfinite(x)]
    for d in range(4):
        if all(abs(round(x, d) - x) <= 1e-9 * max(1.0, abs(x)) for x in finite):
            return d
    return 3


def level_text(value: float, low: float, high: float, unit: str) -> str:
    """A level in billions of its currency with its interval: ``26.2 bn MAD (26.15–26.25)``,
    ``at least 14 bn MAD`` for an open interval."""
    currency = unit.split()[0]
    v, lo, hi = value / 1000, low / 1000, high / 1000
    if math.isinf(hi) and math.isfinite(lo):
        return f"at least {number(lo, _decimals(lo), 'en')} bn {currency}"
    if math.isinf(lo) and math.isfinite(hi):
        return f"at most {number(hi, _decimals(hi), 'en')} bn {currency}"
    d = _decimals(lo, hi)
    point = number(v, max(d - 1, 0), "en") if math.isfinite(v) else "—"
    return f"{point} bn {currency} ({number(lo, d, 'en')}–{number(hi, d, 'en')})"


def change_text(value: float, low: float, high: float, base: str) -> str:
    """A change with its interval and base: ``+0.2 % on 2023 (0.15 to 0.25)``."""
    if math.isnan(low) and math.isnan(high):
        return "—"
    d = _decimals(low, high)
    point = f"{value:+.{max(d - 1, 0)}f} %" if math.isfinite(value) else "interval only"
    return f"{point} on {base} ({low:.{d}f} to {high:.{d}f})"


def _latest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest annual row and the latest row of a shorter period, oldest first."""
    out = []
    for annual in (True, False):
        mine = [r for r in rows if (r["period_kind"] == "year") == annual]
        if mine:
            out.append(max(mine, key=lambda r: recency(r["period"])))
    return sorted(out, key=lambda r: (r["period_end"], r["period"]))


def _largest(rows: list[dict[str, Any]], series: str, period: str) -> str:
    parts = [
        r
        for r in rows
        if r["series"] == series
        and r["period"] == period
        and r["segment_kind"] in ("ecosystem", "legacy_segment")
        and math.isfinite(r["share_pct"])
    ]
    if not parts:
        return "—"
    top = max(parts, key=lambda r: r["share_pct"])
    return f"{SEGMENTS[top['segment']].label_en}: {top['share_pct']:.1f} % of the total"


def key_figures(processed: Path) -> list[KeyFigure]:
    """The key figures of the tables in ``processed``: for every series of the vocabulary, in
    its declared order, that has a level of its total (exchange rates aside), the latest year
    and the latest shorter period."""
    estimates = read_records(processed / "estimates.csv")
    urls = {r["release_id"]: r["url"] for r in read_records(processed / "releases.csv")}
    out = []
    for code, declared in SERIES.items():
        if not declared.money:
            continue
        totals = [
            r
            for r in estimates
            if r["series"] == code and r["segment"] == "total" and not math.isnan(r["level_low"])
        ]
        for r in _latest(totals):
            released = [s for s in r["source_release"].split(";") if s]
            out.append(
                KeyFigure(
                    series=code,
                    label=declared.short_en,
                    period=r["period"],
                    level=level_text(r["level"], r["level_low"], r["level_high"], r["level_unit"]),
                    change=change_text(
                        r["change_pct"],
                        r["change_pct_low"],
                        r["change_pct_high"],
                        r["change_base_period"],
                    ),
                    largest=_largest(estimates, code, r["period"]),
                    flags="".join(sorted(set(r["level_flags"] + r["change_pct_flags"]))),
                    status=r["data_status"],
                    sources=tuple((s, urls.get(s, "")) for s in released),
                )
            )
    return out + context_figures(processed)


def context_figures(processed: Path) -> list[KeyFigure]:
    """Two more key figures, where the tables allow them: the latest annual share of digital
    exports in services exports (report 70's main pair), against the year before, and the
    projection of the latest year with a first half and no outturn (report 80, flag f).

    They need pandas and the share's computation (a fifth of a second), and every run, a no-op
    one too, rewrites the index and the README: so they are kept in ``reports/.state`` under
    the digest of the tables they are computed from, and computed again only when one
    changes."""
    inputs = [processed / n for n in ("series.csv", "projections.csv", "releases.csv")]
    digest = sha256_text("".join(sha256_file(p) if p.is_file() else "-" for p in inputs))
    cache = processed.parent.parent / "reports" / ".state" / "context_figures.json"
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if kept.get("digest") == digest:
            return [_figure_of(f) for f in kept["figures"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    figures = _context_figures(processed)
    if cache.parent.is_dir():
        payload = {"digest": digest, "figures": [dataclasses.asdict(f) for f in figures]}
        atomic_write(cache, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))
    return figures


def _figure_of(kept: dict[str, Any]) -> KeyFigure:
    return KeyFigure(**{**kept, "sources": tuple(tuple(s) for s in kept["sources"])})


def _context_figures(processed: Path) -> list[KeyFigure]:
    from digital_exports.analysis.context import (
        main_annual,
        main_pair,
        services_share,
        share_direction,
    )
    from digital_exports.model.currency import Rates
    from digital_exports.model.reconcile import weakest_status
    from digital_exports.tables.io import empty_table, read_table

    if not (processed / "series.csv").is_file():
        return []
    series = read_table(processed / "series.csv")
    path = processed / "projections.csv"
    projections = read_table(path) if path.is_file() else empty_table("projections")
    urls = {r["release_id"]: r["url"] for r in read_records(processed / "releases.csv")}
    out = []
    own = SERIES[next(iter(SERIES))].currency
    table = services_share(series, projections, 1900, 2099, own, Rates.from_series(series)).table
    pair = main_pair(table) if not table.empty else None
    if pair is not None:
        moved = share_direction(table)
        last = main_annual(table).iloc[-1]
        d = _decimals(last["share_low"], last["share_high"])
        change = "—"
        if moved is not None:
            direction, before, _ = moved
            said = {"fell": "fell", "rose": "rose", "unclear": "moved within rounding"}
            change = f"{said[direction]} from {before['share_pct']:.1f} % in {before['year']}"
        releases = sorted(
            {r for side in ("digital", "services") for r in last[f"{side}_release"].split(";") if r}
        )
        out.append(
            KeyFigure(
                series=pair[0],
                label=f"{SERIES[pair[0]].short_en}, share of {SERIES[pair[1]].short_en}",
                period=str(last["period"]),
                level=f"{last['share_pct']:.1f} % ({last['share_low']:.{d}f}–"
                f"{last['share_high']:.{d}f})",
                change=change,
                largest="—",
                flags="e" if "derived" in str(last["caveats"]) else "",
                status=weakest_status([last["digital_status"], last["services_status"]]),
                sources=tuple((r, urls.get(r, "")) for r in releases if r),
            )
        )
    waiting = projections[
        (projections["series"] == next(iter(SERIES)))
        & (projections["grade"] == "no_outturn")
        & projections["low"].notna()
    ]
    for r in waiting.sort_values("period").to_dict("records")[-1:]:
        out.append(
            KeyFigure(
                series=r["series"],
                label=f"{SERIES[r['series']].short_en}, projected from {r['first_half_period']}",
                period=str(r["period"]),
                level=f"{r['value'] / 1000:.1f} bn {r['unit'].split()[0]} "
                f"({r['low'] / 1000:.1f}–{r['high'] / 1000:.1f})",
                change="—",
                largest="—",
                flags="f",
                status="forecast",
                sources=((r["first_half_release"], urls.get(r["first_half_release"], "")),),
            )
        )
    return out


def headline(figures: list[KeyFigure]) -> str:
    """One sentence on the first series' latest figures (plain text, English)."""
    if not figures:
        return "No level of any series is in the tables yet."
    first = [f for f in figures if f.series == figures[0].series]
    parts = [
        f"{f.level.split(' (')[0]} in {f.period}"
        + (f" ({f.change.split(' (')[0]})" if f.change != "—" else "")
        for f in reversed(first)
    ]
    status = first[-1].status
    return f"{first[0].label}: " + "; ".join(parts) + f" ({status} data)."


_FLAG_NOTE = (
    "Flags (Eurostat/SDMX): p preliminary, e estimated (derived), b break in series, d "
    "definition differs (not official), f forecast, u low reliability (a check failed), r "
    "revised. Intervals are what the printed rounding allows."
)
_COLUMNS = (
    "series",
    "period",
    "level (interval)",
    "change (interval)",
    "largest part",
    "flags",
    "status",
    "source",
)


def _escape(text: str) -> str:
    """Text from the data for HTML: escaped, its hidden characters shown."""
    return html.escape(reveal(text))


def cell_md(text: str) -> str:
    """Text from data in a Markdown table cell: pipes, brackets and markup characters
    escaped."""
    out = reveal(text).replace("\\", "\\\\")
    for ch in "|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def markdown(figures: list[KeyFigure]) -> str:
    """The key figures as a Markdown block (headline, table, note) for the README."""
    lines = [
        cell_md(headline(figures)),
        "",
        "| " + " | ".join(_COLUMNS) + " |",
        "|" + "---|" * len(_COLUMNS),
    ]
    for f in figures:
        sources = ", ".join(
            f"[{cell_md(rid)}](<{url}>)"
            if url.startswith(("https://", "http://")) and not set(url) & set("<> ")
            else cell_md(rid)
            for rid, url in f.sources
        )
        cells = (f.label, f.period, f.level, f.change, f.largest, f.flags, f.status)
        lines.append("| " + " | ".join(cell_md(c) for c in cells) + f" | {sources} |")
    lines += ["", _FLAG_NOTE]
    return "\n".join(lines)


def html_block(figures: list[KeyFigure]) -> str:
    """The key figures as an HTML section for the index page (every text escaped)."""
    e = _escape
    rows = []
    for f in figures:
        sources = ", ".join(
            f'<a href="{e(url)}">{e(rid)}</a>'
            if url.startswith(("https://", "http://"))
            else e(rid)
            for rid, url in f.sources
        )
        cells = (f.label, f.period, f.level, f.change, f.largest, f.flags, f.status)
        rows.append(
            "<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + f"<td>{sources}</td></tr>"
        )
    head = "".join(f"<th>{e(c)}</th>" for c in _COLUMNS)
    return (
        '<section class="key-figures"><h2 id="key-figures">Key figures</h2>'
        f'<p class="headline">{e(headline(figures))}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="muted">{e(_FLAG_NOTE)}</p></section>'
    )


_OUTLET_COLUMNS = (
    "outlet",
    "releases",
    "prints",
    "checked",
    "consistent",
    "contradicted",
    "in a conflict",
    "conflicts lost",
    "latest release",
)


def outlets_block(processed: Path, verified: dict[str, str]) -> str:
    """The index's section "Who printed what right": ``outlets.csv`` as a table, each outlet's
    latest release linked to its verification report when one was made (else the command
    that makes it); every text escaped.

    Args:
        processed: the folder of the tables.
        verified: release id -> the address (relative to the index) of its verification
            report, for the releases that have one.
    """
    path = processed / "outlets.csv"
    if not path.is_file():
        return ""
    e = _escape
    rows = []
    for r in read_records(path):
        release = r["latest_release"]
        link = (
            f'<a href="{e(verified[release])}"><code>{e(release)}</code></a>'
            if release in verified
            else f"<code>{e(release)}</code>"
        )
        counts = (
            r["n_releases"],
            r["n_prints"],
            r["n_checked"],
            r["n_consistent"],
            r["n_contradicted"],
            r["n_in_conflict"],
            r["n_conflicts_lost"],
        )
        cells = f"<td>{e(r['outlet'])}</td>" + "".join(f"<td>{n}</td>" for n in counts)
        rows.append(f"<tr>{cells}<td>{link}</td></tr>")
    head = "".join(f"<th>{e(c)}</th>" for c in _OUTLET_COLUMNS)
    return (
        '<section class="outlets"><h2 id="outlets">Who printed what right</h2><p>For each '
        "outlet, how many of its prints the identities could check, found consistent "
        "(rounding explains any difference) or contradicted, and how many were in a conflict "
        "and not kept (<code>data/processed/outlets.csv</code>). The latest release links to "
        "its verification report, number by number, when one was made; "
        '<code>make run ARGS="--only 60 -p release=&lt;release&gt;"</code> makes one.</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )
