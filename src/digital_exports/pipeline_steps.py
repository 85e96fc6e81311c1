"""The pipeline's steps as functions: each reads its declared inputs and writes its outputs.

Notebooks call these so that what they narrate is exactly what the command line runs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from digital_exports.ingest import published_figures, releases_table
from digital_exports.outputs import write_tables
from digital_exports.releases import load_releases


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


#: Numeric columns of ``published_figures.csv``; the rest is text.
_FIGURE_NUMBERS = ("value", "low", "high", "low_fine", "high_fine", "step")


def read_published_figures(path: Path) -> pd.DataFrame:
    """Read ``published_figures.csv`` back with text columns kept as text (``"0,2"`` stays
    ``"0,2"``, an empty base period stays empty), the numbers as floats and ``coarse`` as a
    boolean."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in _FIGURE_NUMBERS:
        table[column] = table[column].astype(float)
    table["coarse"] = table["coarse"] == "True"
    return table


def build_series_tables(figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Reconcile the printed figures, derive what they imply and check every identity.

    Prints that a later release of the same producer declares it revises are earlier vintages:
    they leave the reconciliation and are listed in ``revisions.csv`` (``revisions``).
    Conflicts are decided by evidence: a first reconciliation finds them, the identities computed
    from the other quantities say which print they support, and a second reconciliation keeps
    that print (``reconcile.CONFLICT_RULE``).

    Returns:
        ``series.csv`` (one row per quantity, printed or derived, in the series' own currency,
        with a summary of its checks), ``conversions.csv`` (levels printed in another currency,
        with theirs), ``conflicts.csv`` (every print of a quantity whose prints disagree, the
        kept one and why), ``checks.csv`` (one row per check) and ``revisions.csv`` (one row per
        quantity and pair of consecutive vintages of one producer).
    """
    from digital_exports.checks import check_identities
    from digital_exports.derive import derive, derived_rows, estimates_from_series
    from digital_exports.evidence import conflict_evidence, split_currencies, with_check_summary
    from digital_exports.reconcile import prepare_prints, reconcile
    from digital_exports.revisions import split_vintages

    figures, revisions = split_vintages(figures)
    first, _ = reconcile(figures)
    evidence = conflict_evidence(figures, first, estimates_from_series(first))
    printed, conflicts = reconcile(figures, evidence)
    estimates = estimates_from_series(printed)
    derived = derive(estimates)
    every = {**estimates, **{key: e for key, (e, _r) in derived.items()}}
    checks = check_identities(every, prepare_prints(figures))
    series = pd.concat([printed, derived_rows(derived)], ignore_index=True)
    order = ["series", "segment", "measure", "period_start", "period_end", "base_period", "unit"]
    series = series.sort_values(order, kind="stable").reset_index(drop=True)
    own, other = split_currencies(series)
    return {
        "series.csv": with_check_summary(own, checks),
        "conversions.csv": with_check_summary(other, checks),
        "conflicts.csv": conflicts,
        "checks.csv": checks,
        "revisions.csv": revisions,
    }
