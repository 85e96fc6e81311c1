"""The model's step as one function: printed figures -> series, conversions, conflicts,
checks and revisions. Notebook 20 calls it, so what it narrates is what the runner runs."""

from __future__ import annotations

import pandas as pd


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
        quantity and pair of consecutive vintages of one producer) and ``estimates.csv`` (the panel
        of best estimates, one row per series, segment and period, flagged).
    """
    from digital_exports.base.frames import each_row
    from digital_exports.model.checks import check_identities
    from digital_exports.model.derive import derive, derived_rows, estimates_from_series
    from digital_exports.model.estimates import estimates_panel
    from digital_exports.model.evidence import (
        conflict_evidence,
        split_currencies,
        with_check_summary,
    )
    from digital_exports.model.reconcile import KEY, Quantity, prepare_prints, reconcile
    from digital_exports.model.revisions import split_vintages

    figures, revisions = split_vintages(figures)
    first, _ = reconcile(figures)
    evidence = conflict_evidence(figures, first, estimates_from_series(first))
    printed, conflicts = reconcile(figures, evidence)
    estimates = estimates_from_series(printed)
    derived = derive(estimates)
    every = {**estimates, **{key: e for key, (e, _r) in derived.items()}}
    checks = check_identities(every, prepare_prints(figures))
    # A forecast stands in series.csv only where no outturn of the quantity exists: one derived
    # from printed outturns replaces it (it stays in published_figures.csv and checks.csv).
    forecast_only = [
        row.data_status == "forecast"
        and (Quantity(*(getattr(row, k) for k in KEY)), row.unit) in derived
        for row in each_row(printed)
    ]
    printed = printed[~pd.Series(forecast_only, index=printed.index, dtype=bool)]
    series = pd.concat([printed, derived_rows(derived)], ignore_index=True)
    order = ["series", "segment", "measure", "period_start", "period_end", "base_period", "unit"]
    series = series.sort_values(order, kind="stable").reset_index(drop=True)
    own, other = split_currencies(series)
    own = with_check_summary(own, checks)
    return {
        "series.csv": own,
        "conversions.csv": with_check_summary(other, checks),
        "conflicts.csv": conflicts,
        "checks.csv": checks,
        "revisions.csv": revisions,
        "estimates.csv": estimates_panel(own, revisions),
    }
