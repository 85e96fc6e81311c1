"""Evidence between quantities: which print of a conflict the identities support, and what the
checks say of each row of ``series.csv``.

* :func:`conflict_evidence`: for each conflicted quantity, the identities (computed from the
  *other* quantities, never from the conflicted one itself) whose interval each print agrees
  with. The print with the most support is kept (``reconcile.CONFLICT_RULE``): with two 2026-H1
  totals of 14,2 and 14,5 and segments that add up to 14,2, 14,2 is kept, and
  ``conflicts.csv`` says why.
* :func:`split_currencies`: ``series.csv`` holds one row per quantity, in the series' own
  currency; prints in another currency (an outlet's conversion) go to ``conversions.csv``.
* :func:`with_check_summary`: each row of either table gets the count of the checks on it by
  verdict, and ``check_failed`` when one of them fails.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from digital_exports.base.frames import each_row
from digital_exports.model.checks import FAILING, VERDICTS, same_producer
from digital_exports.model.derive import Graph, usable
from digital_exports.model.intervals import Interval, fmt_interval, overlaps
from digital_exports.model.reconcile import KEY, Evidence, Groups, Quantity, own_units


def conflict_evidence(groups: Groups, conflicted: Iterable[tuple], graph: Graph) -> Evidence:
    """For each conflicted quantity ``(*KEY, unit)``, per print (release, figure order), the
    identities that support it.

    Args:
        groups: the prints by quantity (``reconcile.group_prints``).
        conflicted: the group keys ``(*KEY, unit, is_forecast)`` whose prints conflict.
        graph: the estimates and relations of the reconciliation before evidence.
    """
    by_target: dict[tuple[Quantity, str], list] = {}
    for r in graph.relations:
        if usable(r) and r.kind != "shares_sum_100":
            by_target.setdefault((r.target, r.unit), []).append(r)
    evidence: dict[tuple, list[list[str]]] = {}
    for group_key in conflicted:
        key = group_key[:-1]
        group = groups.get((*key, False), [])
        support: list[list[str]] = [[] for _ in group]
        for rel in by_target.get((Quantity(*key[:5]), key[5]), []):
            try:
                computed = rel.compute()
            except ZeroDivisionError:
                continue
            for i, p in enumerate(group):
                if not same_producer(rel, p["producer_key"]):
                    continue
                if overlaps(computed, Interval(p["low"], p["high"])):
                    support[i].append(f"{rel.kind} {rel.formula} = {fmt_interval(computed)}")
        evidence[key] = support
    return evidence


def split_currencies(series: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(own, other)``: the rows in each series' own currency, and levels printed in another
    currency (kept apart, checked through the conversion)."""
    own = own_units(list(zip(series["series"], series["measure"], series["unit"], strict=True)))
    other = pd.Series(
        [
            m == "level" and own.get(s, u) != u
            for s, m, u in zip(series["series"], series["measure"], series["unit"], strict=True)
        ],
        index=series.index,
        dtype=bool,
    )
    return (
        series[~other].reset_index(drop=True),
        series[other].reset_index(drop=True),
    )


def with_check_summary(table: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """``table`` with, per row, the number of checks on its quantity (same key and unit) by
    verdict, and ``check_failed`` when any of them fails."""
    out = table.copy()
    target_unit = checks["check_id"].str.split(":").str[1]  # the target's ref, see checks._base
    refs = [Quantity(*(getattr(r, k) for k in KEY)).ref for r in each_row(out)]
    counts = checks.assign(ref=target_unit).groupby(["ref", "verdict"]).size().unstack(fill_value=0)
    for v in VERDICTS:
        column = counts[v] if v in counts else pd.Series(dtype=int)
        out[f"checks_{v}"] = [int(column.get(ref, 0)) for ref in refs]
    out["check_failed"] = out[[f"checks_{v}" for v in FAILING]].sum(axis=1) > 0
    return out
