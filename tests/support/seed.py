"""The replication of the seed article (le360, 17 October 2025), asserted on any copy of the
processed tables: by release name and by properties, so that it holds whatever else is added."""

from __future__ import annotations

from pathlib import Path

from digital_exports.analysis import analyses as analysis

SEED = "le360/2025-10-17-exportations-numeriques"
#: Every figure the article prints: (segment, period, measure, as printed).
SEED_FIGURES = {
    ("total", "2025-H1", "level", "13,4"),
    ("total", "2024-H1", "level", "12,9"),
    ("total", "2025-H1", "change_pct", "3,5"),
    ("total", "2024", "level", "26,2"),
    ("total", "2024", "change_pct", "0,2"),
    ("ITO", "2024", "share_pct", "40,3"),
    ("CRM", "2024", "share_pct", "37,4"),
    ("ESO", "2024", "share_pct", "13,2"),
    ("BPO", "2024", "share_pct", "8,9"),
    ("KPO", "2024", "share_pct", "0,2"),
    ("ESO", "2023", "level", "3,23"),
    ("ESO", "2024", "level", "3,46"),
    ("ESO", "2024", "change_pct", "7,1"),
    ("BPO", "2024", "change_pct", "16,9"),
    ("BPO", "2024", "level", "2,33"),
}
SEED_SHARES = {"ITO": 40.3, "CRM": 37.4, "ESO": 13.2, "BPO": 8.9, "KPO": 0.2}
#: The verdicts a figure of the article may have: every one of them agrees with the rest.
AGREEING = {"consistent", "consistent_if_coarse", "consistent_if_truncated"}


def assert_seed_replicated(processed: Path) -> None:
    """Every number of the article is in the tables, its chart's shares come out of the
    pipeline, and every one of its figures agrees with everything else known."""
    tables = analysis.load_tables(processed)
    seed = tables.figures[tables.figures["release_id"] == SEED]
    printed = set(
        zip(seed["segment"], seed["period"], seed["measure"], seed["value_printed"], strict=True)
    )
    assert printed == SEED_FIGURES, SEED_FIGURES ^ printed
    breakdown = analysis.segment_breakdown(
        tables.series, "digital_outsourcing_exports", 2024, "MAD", tables.rates
    ).table.set_index("segment")
    for segment, share in SEED_SHARES.items():
        assert breakdown.loc[segment, "share_printed_pct"] == share
        low, high = breakdown.loc[segment, ["share_computed_low", "share_computed_high"]]
        assert low - 0.05 <= share <= high + 0.05, segment
    total = breakdown.loc["total"]
    assert total["low"] <= 26250 and total["high"] >= 26150  # within what "26,2 milliards" allows
    verified = analysis.verify_release(SEED, tables.figures, tables.series, tables.checks).table
    assert len(verified) == len(SEED_FIGURES)
    assert set(verified["verdict"]) <= AGREEING, verified[["figure_id", "verdict", "evidence"]]
