"""Figure regression: the charts drawn from the committed tables match the baseline images.

nbval does not compare images, so the charts are compared here with
``matplotlib.testing.compare.compare_images`` (RMS tolerance below). To accept a deliberate
change of a chart, run ``python tests/pipeline/test_charts.py`` to rewrite the baselines and
look at them before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from matplotlib.testing.compare import compare_images

from digital_exports.analysis import analyses as analysis
from digital_exports.analysis import charts

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "tests" / "baseline"
TOLERANCE = 2.0  # RMS difference per pixel on a 0-255 scale


def draw(name: str):
    t = analysis.load_tables(ROOT / "data" / "processed")
    if name == "segment_breakdown_2024_fr":
        r = analysis.segment_breakdown(
            t.series, "digital_outsourcing_exports", 2024, "MAD", t.rates
        )
        return charts.segment_breakdown(
            r.table, 2024, "fr", charts.source_line(t.releases, r.release_ids, "fr")
        )
    if name == "segment_breakdown_2023_en_usd":
        r = analysis.segment_breakdown(
            t.series, "digital_outsourcing_exports", 2023, "USD", t.rates
        )
        return charts.segment_breakdown(
            r.table, 2023, "en", charts.source_line(t.releases, r.release_ids, "en")
        )
    if name == "period_comparison_2025H1_fr":
        r = analysis.period_comparison(
            t.series, "digital_outsourcing_exports", "2025-H1", "2024-H1", "MAD", t.rates
        )
        return charts.period_comparison(
            r.table, "2025-H1", "2024-H1", "fr", charts.source_line(t.releases, r.release_ids, "fr")
        )
    if name == "long_run_fr":
        r = analysis.long_run(t.series, 2004, 2025, "MAD", t.rates)
        return charts.long_run(
            r.table, 2004, 2025, "MAD", "fr", charts.source_line(t.releases, r.release_ids, "fr")
        )
    raise KeyError(name)


NAMES = (
    "segment_breakdown_2024_fr",
    "segment_breakdown_2023_en_usd",
    "period_comparison_2025H1_fr",
    "long_run_fr",
)


@pytest.mark.parametrize("name", NAMES)
def test_chart_matches_its_baseline(name, tmp_path):
    written = charts.save(draw(name), tmp_path / name)
    result = compare_images(str(BASELINE / f"{name}.png"), str(written[1]), tol=TOLERANCE)
    assert result is None, result


def test_saved_charts_are_byte_identical_and_carry_no_date(tmp_path):
    first = charts.save(draw("segment_breakdown_2024_fr"), tmp_path / "a")
    second = charts.save(draw("segment_breakdown_2024_fr"), tmp_path / "b")
    for x, y in zip(first, second, strict=True):
        assert x.read_bytes() == y.read_bytes()
    svg = first[0].read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_the_article_chart_says_where_its_data_come_from():
    fig = draw("segment_breakdown_2024_fr")
    texts = [t.get_text() for t in fig.texts]
    assert any(
        t.startswith("Source : Office des Changes, données préliminaires, via")
        and "le360, 2025-10-17" in t
        for t in texts
    ), texts
    assert "Répartition des services numériques 2024" in texts


if __name__ == "__main__":
    BASELINE.mkdir(parents=True, exist_ok=True)
    for n in NAMES:
        charts.save(draw(n), BASELINE / n)
        (BASELINE / f"{n}.svg").unlink()
        print(f"wrote {BASELINE / n}.png", file=sys.stderr)
