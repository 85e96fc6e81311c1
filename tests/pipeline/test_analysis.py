"""The analyses on the committed tables: the article's numbers come out of the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from digital_exports.analysis import analyses as analysis
from digital_exports.analysis.labels import say

ROOT = Path(__file__).resolve().parents[2]
SEED = "le360/2025-10-17-exportations-numeriques"


@pytest.fixture(scope="module")
def tables():
    return analysis.load_tables(ROOT / "data" / "processed")


def test_the_2024_breakdown_reproduces_the_article_shares(tables):
    r = analysis.segment_breakdown(
        tables.series, "digital_outsourcing_exports", 2024, "MAD", tables.rates
    )
    t = r.table.set_index("segment")
    assert t.loc[["ITO", "CRM", "ESO", "BPO", "KPO"], "share_printed_pct"].tolist() == [
        40.3,
        37.4,
        13.2,
        8.9,
        0.2,
    ]
    for seg in ("ITO", "CRM", "ESO", "BPO", "KPO"):
        printed = t.loc[seg, "share_printed_pct"]
        assert (
            t.loc[seg, "share_computed_low"] - 0.05
            <= printed
            <= t.loc[seg, "share_computed_high"] + 0.05
        )
    assert t.loc["total", "value"] == 26220.0


def test_2023_says_plainly_what_is_not_known(tables):
    r = analysis.segment_breakdown(
        tables.series, "digital_outsourcing_exports", 2023, "MAD", tables.rates
    )
    said = {lang: [say(n, lang) for n in r.notes] for lang in ("en", "fr")}
    assert (
        "IT outsourcing (ITO) 2023: no level, share and change published or derivable" in said["en"]
    )
    assert (
        "Services informatiques (ITO) 2023\u00a0: pas de donnée publiée ni calculable "
        "(niveau, part et variation)" in said["fr"]
    )
    assert r.table.set_index("segment").loc["BPO", "level_origin"] == "derived"


def test_the_half_year_comparison_says_rounding_explains_the_printed_change(tables):
    r = analysis.period_comparison(
        tables.series, "digital_outsourcing_exports", "2025-H1", "2024-H1", "MAD", tables.rates
    )
    total = r.table.set_index("segment").loc["total"]
    assert total["printed_change_pct"] == 3.5 and total["printed_within_computed"] == "yes"
    assert total["change_pct"] == pytest.approx(100 * (13.4 / 12.9 - 1))


def test_the_seed_article_is_verified_number_by_number(tables):
    r = analysis.verify_release(SEED, tables.figures, tables.series, tables.checks)
    assert len(r.table) >= 14 and r.table["verdict"].ne("").all()
    assert set(r.table["verdict"]) <= {"consistent", "consistent_if_truncated"}


def test_the_press_dollar_figure_is_checked_not_repeated(tables):
    c = tables.checks[tables.checks["kind"] == "currency_conversion"]
    # The outlets' dollars are not the World Bank rate's: their own rate, not a contradiction.
    assert len(c) >= 1 and set(c["verdict"]) == {"converted_at_other_rate"}
    assert c["reason"].str.contains("MAD per USD").all()
    assert c["computed_high"].max() < 2700  # 26 2xx MAD mn / 9.94 MAD per USD


def test_an_unknown_release_is_a_message(tables):
    r = analysis.verify_release(
        "le360/1999-01-01-nothing", tables.figures, tables.series, tables.checks
    )
    assert r.table.empty and "No release 'le360/1999-01-01-nothing'" in say(r.notes[0], "en")
