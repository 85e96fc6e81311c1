"""Reconciling several prints of one quantity."""

from __future__ import annotations

import math

import pytest
from frames import SERIES, fig, frame

from digital_exports.model.reconcile import reconcile


def one(series, segment="total", period="2024", measure="level"):
    rows = series[
        (series["segment"] == segment)
        & (series["period"] == period)
        & (series["measure"] == measure)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_agreeing_prints_give_their_intersection_and_the_most_precise_value():
    series, conflicts = reconcile(
        frame(
            fig("a/2025-10-17-x", "f1", "total", "2024", "level", "26,2"),
            fig("b/2026-02-23-y", "f2", "total", "2024", "level", "26,22", date="2026-02-23"),
            fig("c/2026-01-30-z", "f3", "total", "2024", "level", "26", date="2026-01-30"),
        )
    )
    row = one(series)
    assert (row["low"], row["high"], row["value"]) == (26215.0, 26225.0, 26220.0)
    assert row["agreement"] == "agree" and not row["conflicted"]
    assert row["n_sources"] == 3 and row["best_release_id"] == "b/2026-02-23-y"
    assert conflicts.empty


def test_a_year_to_date_range_and_the_half_are_one_quantity():
    series, _ = reconcile(
        frame(
            fig("a/2025-10-17-x", "f1", "total", "2025-01..2025-06", "level", "13,4"),
            fig("b/2025-10-17-y", "f2", "total", "2025-H1", "level", "13,4"),
        )
    )
    assert one(series, period="2025-H1")["n_sources"] == 2


def test_a_conflict_keeps_every_candidate_and_chooses_by_the_rule():
    s = "offshoring_receipts"
    series, conflicts = reconcile(
        frame(
            fig(
                "challenge/2016-08-01-a",
                "OFF-001",
                "total",
                "2011",
                "level",
                "6,86",
                series=s,
                status="unknown",
                date="",
            ),
            fig(
                "map/2016-08-09-b",
                "OFF-002",
                "total",
                "2011",
                "level",
                "6,68",
                series=s,
                status="unknown",
                date="2016-08-09",
            ),
            fig(
                "le360/2016-08-10-c",
                "OFF-003",
                "total",
                "2011",
                "level",
                "6,8",
                series=s,
                status="unknown",
                date="2016-08-10",
            ),
        )
    )
    row = one(series, period="2011")
    assert row["agreement"] == "conflict" and row["conflicted"]
    # 6,86 and 6,8 agree once 6,8 may be a truncation; 6,86 is the more precise of the two.
    assert row["value"] == 6860.0 and row["best_release_id"] == "challenge/2016-08-01-a"
    assert len(conflicts) == 3 and conflicts["chosen"].sum() == 1
    assert conflicts.loc[conflicts["chosen"], "value_printed"].item() == "6,86"


def test_final_data_win_a_conflict_over_more_precise_preliminary_data():
    series, _ = reconcile(
        frame(
            fig("a/2025-10-17-x", "f1", "total", "2024", "level", "26,21", status="preliminary"),
            fig("b/2026-10-17-y", "f2", "total", "2024", "level", "26,5", status="final"),
        )
    )
    row = one(series)
    assert row["conflicted"] and row["value"] == 26500.0 and row["data_status"] == "final"


def test_a_truncated_print_is_not_a_plain_conflict():
    series, conflicts = reconcile(
        frame(
            fig("a/2025-10-20-x", "f1", "ESO", "2024", "level", "3,462"),
            fig("b/2025-10-24-y", "f2", "ESO", "2024", "level", "3,4"),
        )
    )
    row = one(series, segment="ESO")
    assert row["agreement"] == "consistent_if_truncated" and not row["conflicted"]
    # Only the less precise print is widened: 3,4 may truncate 3,462, not the reverse.
    assert (row["low"], row["high"], row["value"]) == (3461.5, 3462.5, 3462.0)
    assert set(conflicts["agreement"]) == {"consistent_if_truncated"}


def test_prints_that_only_touch_do_not_agree():
    # 7,2 stands for [7.15, 7.25) and 7,3 for [7.25, 7.35): no value in common.
    series, _ = reconcile(
        frame(
            fig("a/2014-01-01-x", "f1", "total", "2013", "level", "7,2"),
            fig("b/2014-01-01-y", "f2", "total", "2013", "level", "7,3"),
        )
    )
    # Same precision: neither may be a truncation of the other (producers that differ).
    assert one(series, period="2013")["agreement"] == "conflict"


def test_an_open_bound_agrees_with_a_rounded_print():
    series, _ = reconcile(
        frame(
            fig("a/2025-10-17-x", "f1", "ITO", "2024", "share_pct", "40", qualifier="plus de"),
            fig("b/2025-10-17-y", "f2", "ITO", "2024", "share_pct", "40,3"),
        )
    )
    row = one(series, segment="ITO", measure="share_pct")
    assert (row["low"], row["high"]) == (40.25, 40.35) and row["agreement"] == "agree"
    series, _ = reconcile(
        frame(
            fig(
                "a/2021-02-03-x",
                "f1",
                "total",
                "2019",
                "level",
                "14",
                unit="MMDH",
                qualifier="plus de",
            ),
        )
    )
    assert math.isinf(one(series, period="2019")["high"])


def test_the_same_quantity_in_two_currencies_stays_two_rows():
    series, conflicts = reconcile(
        frame(
            fig("a/2025-10-17-x", "f1", "total", "2024", "level", "26,2"),
            fig(
                "b/2025-10-24-y", "f2", "total", "2024", "level", "2,8", unit="milliards de dollars"
            ),
        )
    )
    assert sorted(series["unit"]) == ["MAD mn", "USD mn"] and conflicts.empty


@pytest.mark.parametrize("other", ["outsourcing_exports_mtnra", "offshoring_receipts"])
def test_different_scopes_are_never_merged(other):
    series, conflicts = reconcile(
        frame(
            fig("a/2024-04-01-x", "f1", "total", "2023", "level", "17,9", series=other),
            fig("b/2025-10-17-y", "f2", "total", "2023", "level", "26,17", series=SERIES),
        )
    )
    assert len(series) == 2 and conflicts.empty
