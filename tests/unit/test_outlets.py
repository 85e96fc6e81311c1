"""Who printed what right: each outlet's prints counted once per verdict and conflict."""

from __future__ import annotations

import pandas as pd

from digital_exports.model.outlets import outlet_scores


def test_an_outlet_is_scored_on_its_own_prints():
    figures = pd.DataFrame(
        {
            "release_id": ["a/2025-01-01-x", "a/2025-01-01-x", "a/2026-01-01-y", "b/2025-02-01-z"],
            "figure_id": ["f1", "f2", "f3", "g1"],
            "outlet": ["A", "A", "A (via B)", "B"],
        }
    )
    checks = pd.DataFrame(
        {
            "printed_ref": [
                "a/2025-01-01-x#f1",
                "a/2025-01-01-x#f1",
                "a/2025-01-01-x#f2",
                "b/2025-02-01-z#g1",
            ],
            "verdict": ["consistent", "contradicted", "consistent_if_coarse", "not_checkable"],
        }
    )
    conflicts = pd.DataFrame(
        {
            "release_id": ["a/2026-01-01-y", "b/2025-02-01-z"],
            "figure_id": ["f3", "g1"],
            "agreement": ["conflict", "conflict"],
            "chosen": [False, True],
        }
    )
    table = outlet_scores(figures, checks, conflicts).set_index("outlet_folder")
    a, b = table.loc["a"], table.loc["b"]
    assert (a.n_releases, a.n_prints, a.n_checked) == (2, 3, 2)
    # f1 has one consistent and one contradicting check: contradicted, not consistent
    assert (a.n_consistent, a.n_contradicted) == (1, 1)
    assert (a.n_in_conflict, a.n_conflicts_lost) == (1, 1)
    assert a.latest_release == "a/2026-01-01-y" and a.outlet == "A; A (via B)"
    assert (b.n_checked, b.n_in_conflict, b.n_conflicts_lost) == (0, 1, 0)
