"""Who printed what right: one row per outlet folder of ``data/raw/``, with how many of its
prints the identities could check, how many they found consistent or contradicted, and how
many of its prints were in a conflict and not kept (``outlets.csv``)."""

from __future__ import annotations

import pandas as pd

from digital_exports.tables.schemas import RESOURCES

#: Verdicts that say a print agrees with the other data (rounding, coarse reading, truncation or
#: an outlet's own conversion explain any difference).
_CONSISTENT = (
    "consistent",
    "consistent_if_coarse",
    "consistent_if_truncated",
    "converted_at_other_rate",
)


def outlet_scores(
    figures: pd.DataFrame, checks: pd.DataFrame, conflicts: pd.DataFrame
) -> pd.DataFrame:
    """One row per outlet folder: releases, prints, prints checked (a check with a verdict
    other than ``not_checkable`` bears on them), consistent, contradicted, in a conflict, and
    conflicts lost (in a conflict, and another print kept); its latest release.

    A print counts once per column whatever the number of checks bearing on it: it is
    *contradicted* when any check contradicts it, *consistent* when every check of it is.
    """
    prints = figures.assign(
        folder=figures["release_id"].str.split("/").str[0],
        ref=figures["release_id"] + "#" + figures["figure_id"],
    )
    judged = checks[checks["verdict"] != "not_checkable"]
    by_print = judged.groupby("printed_ref")["verdict"].agg(set)
    conflict = conflicts[conflicts["agreement"] == "conflict"]
    conflict_refs = set(conflict["release_id"] + "#" + conflict["figure_id"])
    lost_refs = set(
        conflict.loc[~conflict["chosen"].astype(bool), "release_id"]
        + "#"
        + conflict.loc[~conflict["chosen"].astype(bool), "figure_id"]
    )
    rows = []
    for folder, mine in prints.groupby("folder", sort=True):
        verdicts = [by_print.get(ref, set()) for ref in mine["ref"]]
        releases = sorted(set(mine["release_id"]), key=lambda r: (r.split("/", 1)[1][:10], r))
        rows.append(
            {
                "outlet_folder": folder,
                "outlet": "; ".join(sorted(set(mine["outlet"]))),
                "n_releases": len(releases),
                "n_prints": len(mine),
                "n_checked": sum(bool(v) for v in verdicts),
                "n_consistent": sum(bool(v) and v <= set(_CONSISTENT) for v in verdicts),
                "n_contradicted": sum("contradicted" in v for v in verdicts),
                "n_in_conflict": sum(ref in conflict_refs for ref in mine["ref"]),
                "n_conflicts_lost": sum(ref in lost_refs for ref in mine["ref"]),
                "latest_release": releases[-1],
            }
        )
    return pd.DataFrame(rows, columns=list(RESOURCES["outlets"].columns))
