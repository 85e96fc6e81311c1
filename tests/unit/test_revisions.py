"""Vintages: a producer's declared revision replaces its earlier print; undeclared or other
producers' disagreements stay conflicts; the contract refuses impossible declarations."""

from __future__ import annotations

import pandas as pd
import pytest
from frames import fig, frame

from digital_exports.contract.errors import ReleaseFormatError
from digital_exports.contract.releases import load_releases
from digital_exports.model.reconcile import reconcile
from digital_exports.model.revisions import split_vintages
from digital_exports.report.changes import Outcome, compare, counts
from digital_exports.tables.io import encode_table
from digital_exports.tables.schemas import RESOURCES, VERDICTS

A, B, C = "oc/2025-10-17-prelim", "oc/2026-04-20-revised", "oc/2026-10-20-final"


def with_revises(row: dict, revises: str = "") -> dict:
    return {**row, "revises": revises}


def test_the_latest_vintage_is_the_estimate_and_each_pair_is_a_row():
    figures = frame(
        with_revises(fig(A, "h1", "total", "2024-H1", "level", "12,9", date="2025-10-17")),
        with_revises(fig(B, "h1", "total", "2024-H1", "level", "13,1", date="2026-04-20"), A),
        with_revises(fig(C, "h1", "total", "2024-H1", "level", "13,12", date="2026-10-20"), B),
        with_revises(fig(A, "t", "total", "2024", "level", "26,2", date="2025-10-17")),
    )
    current, revisions = split_vintages(figures)
    assert sorted(current["release_id"] + "#" + current["figure_id"]) == [f"{A}#t", f"{C}#h1"]
    assert revisions["vintage"].tolist() == [2, 3]
    first, second = revisions.to_dict("records")
    assert (first["earlier_release_id"], first["later_release_id"]) == (A, B)
    assert first["revision"] == pytest.approx(200)
    assert first["revision_pct"] == pytest.approx(100 * 200 / 12900)
    assert first["beyond_rounding"]  # [12 850, 12 950] and [13 050, 13 150] share no value
    assert second["revision"] == pytest.approx(20) and not second["beyond_rounding"]
    series, conflicts = reconcile(current)
    h1 = series[series["period"] == "2024-H1"].iloc[0]
    assert h1["value"] == 13120 and h1["agreement"] == "agree" and conflicts.empty


def test_without_a_declaration_a_disagreement_stays_a_conflict():
    figures = frame(
        with_revises(fig(A, "h1", "total", "2024-H1", "level", "12,9", date="2025-10-17")),
        with_revises(fig(B, "h1", "total", "2024-H1", "level", "13,1", date="2026-04-20")),
    )
    current, revisions = split_vintages(figures)
    assert len(current) == 2 and revisions.empty
    assert reconcile(current)[0]["conflicted"].item()


def test_another_producers_print_of_the_same_quantity_is_not_retired():
    figures = frame(
        with_revises(fig(A, "h1", "total", "2024-H1", "level", "12,9", date="2025-10-17")),
        with_revises(
            fig("press/2025-10-18-x", "h1", "total", "2024-H1", "level", "12,8", producer="MTNRA")
        ),
        with_revises(fig(B, "h1", "total", "2024-H1", "level", "13,1", date="2026-04-20"), A),
    )
    current, revisions = split_vintages(figures)
    assert set(current["release_id"]) == {"press/2025-10-18-x", B} and len(revisions) == 1
    assert reconcile(current)[0]["conflicted"].item()


@pytest.mark.parametrize(
    ("producer", "folder", "needle"),
    [
        ("MTNRA", "2026-04-20-revised", "a release of another producer"),
        ("Office des Changes", "2025-01-01-older", "published before this one"),
    ],
)
def test_the_contract_refuses_a_revision_that_is_not_a_later_vintage(
    raw_folder, producer, folder, needle
):
    revising = raw_folder.raw / "le360" / folder
    revising.mkdir()
    text = (raw_folder.release / "release.yml").read_text(encoding="utf-8")
    text = text.replace("2025-10-17", folder[:10]).replace("Office des Changes", producer)
    text += "revises: [le360/2025-10-17-test]\n"
    (revising / "release.yml").write_text(text, encoding="utf-8")
    (revising / "figures.csv").write_bytes((raw_folder.release / "figures.csv").read_bytes())
    raw_folder.seal()
    with pytest.raises(ReleaseFormatError, match=needle) as err:
        load_releases(raw_folder.raw)
    assert "field 'revises'" in str(err.value) and f"le360/{folder}/release.yml" in str(err.value)


def _tables(releases: list[tuple[str, str]], series: list[tuple]) -> dict[str, bytes | None]:
    """Schema-valid ``releases.csv`` and ``series.csv`` bytes from the few columns that matter:
    releases ``(id, sha256)``, series ``(segment, value, low, high, conflicted, inputs)``."""
    release_rows = [
        {
            **{f.name: "" for f in RESOURCES["releases"].fields},
            "release_id": rid,
            "figures_sha256": sha,
            "outlet": "o",
            "title": "t",
            "data_status": "unknown",
            "producer": "p",
            "language": "fr",
            "n_figures": 1,
            "url": "u",
        }
        for rid, sha in releases
    ]
    series_rows = [
        {
            **{f.name: "" for f in RESOURCES["series"].fields},
            **{f"checks_{v}": 0 for v in VERDICTS},
            "series": "digital_outsourcing_exports",
            "segment": segment,
            "period": "2024",
            "period_kind": "year",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "measure": "level",
            "value": value,
            "low": low,
            "high": high,
            "low_fine": low,
            "high_fine": high,
            "unit": "MAD mn",
            "origin": "printed",
            "n_sources": 1,
            "conflicted": conflicted,
            "data_status": "preliminary",
            "inputs": inputs,
            "check_failed": False,
        }
        for segment, value, low, high, conflicted, inputs in series
    ]
    return {
        "releases.csv": encode_table("releases.csv", pd.DataFrame(release_rows)),
        "series.csv": encode_table("series.csv", pd.DataFrame(series_rows)),
    }


def test_changes_name_moved_narrowed_and_new_conflicts_with_their_releases():
    before = _tables(
        [("r/1", "aa")],
        [("total", 100.0, 99.0, 101.0, False, "r/1#a"), ("ITO", 40.0, 35.0, 45.0, False, "r/1#b")],
    )
    after = _tables(
        [("r/1", "aa"), ("r/2", "bb")],
        [
            ("total", 102.0, 101.0, 103.0, True, "r/1#a;r/2#a"),
            ("ITO", 40.0, 39.5, 40.5, False, "r/1#b;r/2#b"),
            ("CRM", 30.0, 29.0, 31.0, False, "r/2#c"),
        ],
    )
    rows = compare(before, after)
    found = {(r["change"], r["quantity"], r["releases"]) for r in rows}
    assert found == {
        ("new_release", "r/2", "r/2"),
        ("moved", "digital_outsourcing_exports|total|2024|level", "r/2"),
        ("new_conflict", "digital_outsourcing_exports|total|2024|level", "r/2"),
        ("interval_narrowed", "digital_outsourcing_exports|ITO|2024|level", "r/2"),
        ("new", "digital_outsourcing_exports|CRM|2024|level", "r/2"),
    }
    line = Outcome(True, "git HEAD abc", counts(rows)).line
    assert line == (
        "what changed (compared with git HEAD abc): 1 new release, 1 quantity new, "
        "1 estimate moved, 1 new conflict, 0 new contradictions, 0 revisions"
    )
    assert Outcome(False, "git HEAD abc", {}).line.startswith("what changed: nothing")
