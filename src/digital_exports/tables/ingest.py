"""Raw releases -> one tidy table of printed figures (``published_figures.csv``).

Grain: one row per printed figure of one release. Every row keeps the figure as printed (value,
unit, qualifier) beside the number it stands for in a canonical unit and the interval that its
printing implies.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from digital_exports.contract.periods import parse_period
from digital_exports.contract.releases import Release, load_releases, revised_by, superseded_by
from digital_exports.tables.outputs import write_tables
from digital_exports.tables.schemas import RESOURCES


def _ahead(end: date, published: str | None) -> bool:
    """Whether a period that ends on ``end`` ends after the release's publication date."""
    return bool(published) and end.isoformat() > str(published)


def published_figures(releases: list[Release]) -> pd.DataFrame:
    """One row per printed figure, sorted by release id and figure id.

    Columns: those of ``RESOURCES["published_figures"]`` (tables/schemas.py). ``value``, ``low``
    and ``high`` are in ``unit`` (``MAD mn``, ``USD mn``, ``EUR mn``, ``pct`` or the rate's
    own); ``low``/``high`` may be infinite for ``plus de``/``moins de`` prints;
    ``low_fine``/``high_fine`` are the interval if every printed digit were significant (they
    differ only for a round number, ``coarse``); ``step`` is one unit of the last printed digit.
    ``data_status`` is the release's, or ``forecast`` for a figure whose qualifier marks a
    forecast or a target, or whose period ends after the release was published (a page cannot
    print the outturn of months still to come, whatever its words). Releases superseded by a
    later transcription of the same page are left out. ``revises`` repeats the release's
    declaration (``;``-separated ids of earlier releases of its producer whose figures it
    revises), so that reconciliation sees vintages without reading ``data/raw/``.
    ``period_start`` and ``period_end`` are ISO dates.
    """
    rows = []
    gone = superseded_by(releases)
    for release in releases:
        if release.release_id in gone:
            continue
        meta = release.meta
        for fig in release.figures:
            period = parse_period(fig.row["period"])
            rows.append(
                {
                    "release_id": release.release_id,
                    "figure_id": fig.row["figure_id"],
                    "series": fig.row["series"],
                    "segment": fig.row["segment"],
                    "period": period.code,
                    "period_start": period.start.isoformat(),
                    "period_end": period.end.isoformat(),
                    "period_kind": period.kind,
                    "measure": fig.row["measure"],
                    "base_period": fig.row["base_period"],
                    "value_printed": fig.row["value"],
                    "unit_printed": fig.row["unit"],
                    "qualifier": fig.row["qualifier"],
                    "interval_rule": fig.reading.family.value,
                    "reading": fig.reading.declared,
                    "value": fig.reading.value,
                    "low": fig.reading.low,
                    "high": fig.reading.high,
                    "low_fine": fig.reading.low_fine,
                    "high_fine": fig.reading.high_fine,
                    "step": fig.reading.step,
                    "coarse": fig.reading.coarse,
                    "unit": fig.reading.unit,
                    "data_status": "forecast"
                    if fig.reading.forecast or _ahead(period.end, meta["date_published"])
                    else meta["data_status"],
                    "producer": meta["producer"],
                    "outlet": meta["outlet"],
                    "date_published": meta["date_published"] or "",
                    "url": meta["url"],
                    "note": fig.row["note"],
                    "revises": ";".join(meta.get("revises") or []),
                }
            )
    table = pd.DataFrame(rows, columns=list(RESOURCES["published_figures"].columns))
    return table.sort_values(["release_id", "figure_id"], kind="stable").reset_index(drop=True)


def releases_table(releases: list[Release]) -> pd.DataFrame:
    """One row per release: id, outlet, dates, status, producer, URL, number of figures, and
    which release supersedes it (empty when it is current), which earlier releases of its
    producer it revises and which later ones revise it (``;``-separated ids), and the sha256 of
    its ``figures.csv`` as verified against ``SHA256SUMS``: every later step reads releases from
    this table, never from ``data/raw/``."""
    gone = superseded_by(releases)
    later = revised_by(releases)
    rows = [
        {
            "release_id": r.release_id,
            "outlet": r.meta["outlet"],
            "title": r.meta["title"],
            "date_published": r.meta["date_published"] or "",
            "date_note": r.meta.get("date_note") or "",
            "data_status": r.meta["data_status"],
            "producer": r.meta["producer"],
            "language": r.meta["language"],
            "n_figures": len(r.figures),
            "url": r.meta["url"],
            "supersedes": ";".join(r.meta.get("supersedes") or []),
            "superseded_by": gone.get(r.release_id, ""),
            "revises": ";".join(r.meta.get("revises") or []),
            "revised_by": ";".join(later.get(r.release_id, [])),
            "figures_sha256": r.figures_sha256,
        }
        for r in releases
    ]
    return pd.DataFrame(rows, columns=list(RESOURCES["releases"].columns))


def coverage(table: pd.DataFrame) -> pd.DataFrame:
    """Number of printed figures per series (rows) and period kind (columns), with totals."""
    counts = pd.crosstab(table["series"], table["period_kind"], margins=True, margins_name="all")
    order = [k for k in ("year", "half", "quarter", "month", "range", "all") if k in counts]
    return counts[order].rename_axis(index="series", columns=None)


def ingest_step(raw_dir: Path, out_dir: Path, root: Path | None = None) -> dict[str, pd.DataFrame]:
    """Verify and read the raw releases, then write ``published_figures.csv`` and
    ``releases.csv`` to ``out_dir`` (all or nothing).

    Raises:
        ChecksumError, ReleaseFormatError: on bad input, before anything is written.
    """
    releases = load_releases(raw_dir, root)
    tables = {
        "published_figures.csv": published_figures(releases),
        "releases.csv": releases_table(releases),
    }
    write_tables(tables, out_dir)
    return tables
