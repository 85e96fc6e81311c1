"""The model's step as one function: printed figures -> series, conversions, conflicts,
checks and revisions. Notebook 20 calls it, so what it narrates is what the runner runs."""

from __future__ import annotations

import pandas as pd


def build_series_tables(figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Reconcile the printed figures, derive what they imply and check every identity.

    Prints that a later release of the same producer declares it revises are earlier vintages:
    they leave the reconciliation and are listed in ``revisions.csv`` (``revisions``).
    The prints are prepared and grouped once and each group is reconciled once. Conflicts are
    decided by evidence: the identities computed from the other quantities say which print they
    support, and the conflicted groups alone are decided again to keep that print
    (``reconcile.CONFLICT_RULE``). One graph of estimates (``derive.Graph``: printed, derived,
    and the relations among them) gives the derived rows and the checks.

    Returns:
        ``series.csv`` (one row per quantity, printed or derived, in the series' own currency,
        with a summary of its checks), ``conversions.csv`` (levels printed in another currency,
        with theirs), ``conflicts.csv`` (every print of a quantity whose prints disagree, the
        kept one and why), ``checks.csv`` (one row per check) and ``revisions.csv`` (one row per
        quantity and pair of consecutive vintages of one producer) and ``estimates.csv`` (the panel
        of best estimates, one row per series, segment and period, flagged).
    """
    from digital_exports.model.checks import check_identities
    from digital_exports.model.derive import build_graph, derived_rows, estimates_from_series
    from digital_exports.model.estimates import estimates_panel, series_metadata
    from digital_exports.model.evidence import (
        conflict_evidence,
        split_currencies,
        with_check_summary,
    )
    from digital_exports.model.outlets import outlet_scores
    from digital_exports.model.reconcile import (
        Quantity,
        decide,
        decision_tables,
        group_prints,
        prepare_prints,
    )
    from digital_exports.model.revisions import split_vintages

    urls = dict(zip(figures["release_id"], figures["url"], strict=True))
    every_print = figures  # every vintage: an outlet's superseded prints count too
    figures, revisions = split_vintages(figures)
    prints = prepare_prints(figures)  # once: canonical periods, widths, producers
    groups = group_prints(prints)
    decisions = decide(groups)  # every group once
    graph = build_graph(estimates_from_series(decision_tables(decisions)[0]))
    conflicted = [key for key, d in decisions.items() if d.conflicted]
    if conflicted:
        # Only the conflicted groups are decided again, with the identities' evidence; the
        # graph is rebuilt only if that changed a kept print.
        redecided = decide(groups, conflict_evidence(groups, conflicted, graph), conflicted)
        if any(redecided[k].row != decisions[k].row for k in conflicted):
            decisions = {**decisions, **redecided}
            graph = build_graph(estimates_from_series(decision_tables(decisions)[0]))
        else:
            decisions = {**decisions, **redecided}  # the same rows, the reasons now with evidence
    printed, conflicts = decision_tables(decisions)
    checks = check_identities(graph.every, prints, graph.relations)
    # A forecast stands in series.csv only where no outturn of the quantity exists: one derived
    # from printed outturns replaces it (it stays in published_figures.csv and checks.csv).
    forecast_only = [
        status == "forecast" and (Quantity(*key[:5]), key[5]) in graph.derived
        for key, status in ((k, decisions[k].row["data_status"]) for k in sorted(decisions))
    ]
    printed = printed[~pd.Series(forecast_only, index=printed.index, dtype=bool)]
    series = pd.concat([printed, derived_rows(graph.derived)], ignore_index=True)
    order = ["series", "segment", "measure", "period_start", "period_end", "base_period", "unit"]
    series = series.sort_values(order, kind="stable").reset_index(drop=True)
    own, other = split_currencies(series)
    own = with_check_summary(own, checks)
    projected, every_check = _projected(own, checks)
    return {
        "series.csv": own,
        "conversions.csv": with_check_summary(other, checks),
        "conflicts.csv": conflicts,
        "checks.csv": every_check,
        "revisions.csv": revisions,
        "estimates.csv": estimates_panel(own, revisions, urls),
        "series_metadata.csv": series_metadata(figures, own),
        "projections.csv": projected,
        "outlets.csv": outlet_scores(every_print, checks, conflicts),
    }


def _projected(series: pd.DataFrame, checks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``projections.csv``, and ``checks.csv`` with the grading of the projections whose year
    has an outturn. The grading joins the checks after the series' check summaries and the
    outlets' scores are made: it grades the package's method, never a print."""
    from digital_exports.model.projection import projection_checks, projections

    projected = projections(series)
    graded = projection_checks(projected)
    every = pd.concat([checks, graded], ignore_index=True) if len(graded) else checks
    return projected, every.sort_values("check_id", kind="stable").reset_index(drop=True)
