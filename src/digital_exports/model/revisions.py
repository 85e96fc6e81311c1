"""Vintages of one statistic: a producer's later release that declares it revises an earlier one.

A release declares ``revises: [<release id>, ...]`` in its ``release.yml`` (validated by the
contract: an earlier release of the same producer printing at least one of the same quantities).
For every quantity that both print, the earlier print is an earlier *vintage* of the same
statistic, not a second opinion: the latest vintage is the estimate that reconciliation sees, and
every vintage stays visible in ``published_figures.csv`` and in ``revisions.csv``.

Only declared revisions count. Two prints of one quantity attributed to the same producer
without a declaration stay what reconciliation makes of them (agreement or conflict, chosen by
evidence): most such pairs in the data are press reprints of one Office des Changes figure, and
a reprint that disagrees with the bulletin is far more often a misprint than a revision. A
revision is a fact the transcriber reads on the page ("chiffres révisés", "données
définitives"), so it is stated once, in the release that makes it.

Grain of ``revisions.csv``: one row per quantity, producer and pair of consecutive vintages.
"""

from __future__ import annotations

import itertools
import math

import pandas as pd

from digital_exports.contract.releases import earliest_date
from digital_exports.model.reconcile import KEY, prepare_prints
from digital_exports.tables.io import empty_table
from digital_exports.tables.schemas import RESOURCES


def revises_closure(figures: pd.DataFrame) -> dict[str, set[str]]:
    """Release id -> every release it revises, directly or through a chain (C revises B which
    revises A: C revises A), read from the ``revises`` column of the printed figures."""
    direct: dict[str, set[str]] = {}
    if "revises" in figures:
        for release, declared in zip(figures["release_id"], figures["revises"], strict=True):
            text = declared if isinstance(declared, str) else ""
            direct.setdefault(release, set()).update(r for r in text.split(";") if r)
    closure: dict[str, set[str]] = {}

    def reach(release: str, seen: frozenset[str]) -> set[str]:
        if release in closure:
            return closure[release]
        found: set[str] = set()
        for old in direct.get(release, ()):
            if old not in seen:  # the contract orders vintages by date: no cycles, but be safe
                found |= {old} | reach(old, seen | {old})
        closure[release] = found
        return found

    for release in direct:
        reach(release, frozenset({release}))
    return closure


def _group_key(r: dict) -> tuple:
    return (*(r[k] for k in KEY), r["unit"], r["data_status"] == "forecast", r["producer_key"])


def split_vintages(figures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Separate the latest vintage of each revised quantity from the earlier ones.

    Args:
        figures: the printed figures (``published_figures.csv``), with a ``revises`` column
            (``;``-separated release ids, as the release declares them); without it, nothing is
            a revision.

    Returns:
        ``(current, revisions)``: the printed figures without the prints that a later release of
        the same producer revises (same rows and columns otherwise, original order), and one row
        per quantity, producer and pair of consecutive vintages (columns
        the columns of ``revisions.csv``), ordered by publication date. ``revision`` is later minus
        earlier in ``unit`` (percentage points for a share or a change), ``revision_pct`` the
        same relative to the earlier value; ``beyond_rounding`` is true when the two prints'
        intervals (round numbers at their coarse precision) share no value, i.e. rounding
        cannot explain the revision.
    """
    closure = revises_closure(figures)
    empty = empty_table("revisions.csv")
    if not any(closure.values()):
        return figures, empty
    prints = prepare_prints(figures)
    prints["_row"] = range(len(prints))
    groups: dict[tuple, list[dict]] = {}
    for r in prints.to_dict("records"):
        groups.setdefault(_group_key(r), []).append(r)
    retired: set[int] = set()
    rows: list[dict] = []
    for key in sorted(groups):
        group = groups[key]
        releases = {r["release_id"] for r in group}
        linked = [
            r
            for r in group
            if closure.get(r["release_id"], set()) & releases
            or any(r["release_id"] in closure.get(o, set()) for o in releases)
        ]
        if len(linked) < 2:
            continue
        linked.sort(
            key=lambda r: (
                earliest_date(r["release_id"], r["date_published"]),
                r["release_id"],
                r["figure_id"],
            )
        )
        for r in linked:
            if any(r["release_id"] in closure.get(o["release_id"], set()) for o in linked):
                retired.add(r["_row"])
        for n, (old, new) in enumerate(itertools.pairwise(linked), start=2):
            rows.append(_revision_row(key, n, old, new))
    current = figures.iloc[[i for i in range(len(figures)) if i not in retired]]
    revisions = pd.DataFrame(rows, columns=list(RESOURCES["revisions"].columns))
    return current.reset_index(drop=True), revisions


def _revision_row(key: tuple, vintage: int, old: dict, new: dict) -> dict:
    series, segment, period, measure, base_period, unit, _forecast, producer = key
    change = new["value"] - old["value"]
    relative = (
        100 * change / abs(old["value"])
        if math.isfinite(change) and old["value"] not in (0, 0.0)
        else math.nan
    )
    overlap = min(old["high"], new["high"]) - max(old["low"], new["low"])
    both_points = old["high"] == old["low"] and new["high"] == new["low"]
    # Rounding intervals are half-open: two that only touch share no value (as in reconcile).
    beyond = overlap < 0 or (overlap == 0 and not (both_points and change == 0))
    out = {
        "series": series,
        "segment": segment,
        "period": period,
        "measure": measure,
        "base_period": base_period,
        "unit": unit,
        "producer": producer,
        "vintage": vintage,
        "revision": change,
        "revision_pct": relative,
        "beyond_rounding": bool(beyond),
    }
    for side, r in (("earlier", old), ("later", new)):
        out[f"{side}_release_id"] = r["release_id"]
        out[f"{side}_figure_id"] = r["figure_id"]
        out[f"{side}_date_published"] = r["date_published"]
        out[f"{side}_data_status"] = r["data_status"]
        out[f"{side}_value_printed"] = r["value_printed"]
        out[f"{side}_value"] = r["value"]
        out[f"{side}_low"] = r["low"]
        out[f"{side}_high"] = r["high"]
    return out
