"""Figure regression: the charts drawn from a frozen copy of the processed tables match the
baseline images; the properties of the charts (one language, no overlapping text, locale
ticks) are checked on the current tables.

nbval does not compare images, so the charts are compared here with
``matplotlib.testing.compare.compare_images`` (RMS tolerance below). The baselines are drawn from
``tests/fixtures/chart_tables/`` (the four tables the analyses read, as they were when the
baselines were last accepted), so that a new release, which changes the current tables and so
the long-run chart, never breaks this test: the test watches the drawing code, not the data.
To accept a deliberate change of a chart, run ``python tests/pipeline/test_charts.py``: it
copies the current tables into the fixture and rewrites the baselines; look at them before
committing.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest
from matplotlib.testing.compare import compare_images

from digital_exports.analysis import analyses as analysis
from digital_exports.analysis import charts, labels
from digital_exports.contract.vocab import SEGMENTS, SERIES

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "tests" / "baseline"
PROCESSED = ROOT / "data" / "processed"
#: The tables the baselines are drawn from (see the module's docstring).
FROZEN = ROOT / "tests" / "fixtures" / "chart_tables"
FROZEN_TABLES = ("published_figures.csv", "series.csv", "checks.csv", "releases.csv")
TOLERANCE = 2.0  # RMS difference per pixel on a 0-255 scale


def draw(name: str, processed: Path = PROCESSED):
    t = analysis.load_tables(processed)
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
    if name in ("long_run_fr", "long_run_en"):
        lang = name[-2:]
        r = analysis.long_run(t.series, 2004, 2025, "MAD", t.rates)
        source = charts.source_line(
            t.releases, r.release_ids, lang, producer=charts.long_run_producers(lang)
        )
        return charts.long_run(r.table, 2004, 2025, "MAD", lang, source)
    if name == "period_comparison_2025H1_en":
        r = analysis.period_comparison(
            t.series, "digital_outsourcing_exports", "2025-H1", "2024-H1", "MAD", t.rates
        )
        return charts.period_comparison(
            r.table, "2025-H1", "2024-H1", "en", charts.source_line(t.releases, r.release_ids, "en")
        )
    if name == "segment_breakdown_2024_en":
        r = analysis.segment_breakdown(
            t.series, "digital_outsourcing_exports", 2024, "MAD", t.rates
        )
        return charts.segment_breakdown(
            r.table, 2024, "en", charts.source_line(t.releases, r.release_ids, "en")
        )
    raise KeyError(name)


NAMES = (
    "segment_breakdown_2024_fr",
    "segment_breakdown_2023_en_usd",
    "period_comparison_2025H1_fr",
    "long_run_fr",
    "long_run_en",
)
#: Every chart in both languages, for the checks on text (not compared with a baseline).
ALL = (*NAMES, "period_comparison_2025H1_en", "segment_breakdown_2024_en")


@functools.cache
def boxes_of(name: str) -> tuple:
    """The text boxes of chart ``name`` drawn from the current tables, once per session (the
    text tests only read them)."""
    return tuple(charts.text_boxes(draw(name)))


@pytest.mark.parametrize("name", NAMES)
def test_chart_matches_its_baseline(name, tmp_path):
    written = charts.save(draw(name, FROZEN), tmp_path / name)
    result = compare_images(str(BASELINE / f"{name}.png"), str(written[1]), tol=TOLERANCE)
    assert result is None, result


def test_saved_charts_are_byte_identical_and_carry_no_date(tmp_path):
    import pandas as pd
    from PIL import Image

    data = pd.DataFrame({"segment": ["ITO"], "value": [10578.0]})
    made = [
        charts.save(draw("segment_breakdown_2024_fr"), tmp_path / d, data, "Chart: x.")
        for d in ("a", "b")
    ]
    first, second = made
    assert [p.suffix for p in first] == [".svg", ".png", ".pdf", ".csv", ".txt"]
    for x, y in zip(first, second, strict=True):
        assert x.read_bytes() == y.read_bytes()
    svg = first[0].read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    # publication formats: text as text in the SVG, 300 dpi, a PDF without dates, the data
    assert "<text" in svg and "Répartition des services numériques 2024" in svg
    with Image.open(first[1]) as png:
        assert round(png.info["dpi"][0]) == charts.PNG_DPI == 300
    pdf = first[2].read_bytes()
    assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf
    assert first[3].read_text() == "segment,value\n" + "ITO,10578.0\n"
    assert first[4].read_text() == "Chart: x.\n"


def test_the_article_chart_says_where_its_data_come_from():
    fig = draw("segment_breakdown_2024_fr")
    texts = [t.get_text() for t in fig.texts]
    assert any(
        t.replace("\n", " ").startswith("Source : Office des Changes, données préliminaires, via")
        and "le360 (2025-10-17" in t
        for t in texts
    ), texts
    assert "Répartition des services numériques 2024" in texts


# ----------------------------------------------------------------------------- text


@pytest.mark.parametrize("name", ALL)
def test_no_two_texts_of_a_chart_overlap(name):
    """Titles, tick labels, value labels, legend entries, break numbers, notes and the source
    line: no two boxes intersect."""
    boxes = boxes_of(name)
    assert len(boxes) > 5
    clashes = [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]
    assert not clashes, clashes


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


def _label_layer(lang: str) -> set[str]:
    """Every word the label layer can put on a chart in ``lang``."""
    texts = list(labels._WORDS[lang].values()) + list(labels.UNIT_LABELS[lang].values())
    for term in SEGMENTS.values():
        texts.append(term.label_fr if lang == "fr" else term.label_en)
    for term in SERIES.values():
        texts.append(term.short_fr if lang == "fr" else term.short_en)
        texts += [b.label(lang) for b in term.breaks]
    return set().union(*map(_words, texts))


def _chart_words(fig_or_boxes) -> set[str]:
    """The words of a chart's texts (a figure, or its text boxes), outlets' names left out
    (they are data, in their own language: the part of the source line after "via")."""
    found: set[str] = set()
    boxes = fig_or_boxes if isinstance(fig_or_boxes, tuple) else charts.text_boxes(fig_or_boxes)
    for text, _box in boxes:
        flat = text.replace("\n", " ")
        found |= _words(flat.split(" via ")[0] if flat.startswith("Source") else flat)
    return found


@pytest.mark.parametrize("name", ALL)
def test_a_chart_speaks_one_language(name):
    """No word that only the other language's label layer has: no English break label in the
    French chart, no "OMC" in the English one."""
    lang = "en" if "_en" in name else "fr"
    other = "fr" if lang == "en" else "en"
    foreign = _label_layer(other) - _label_layer(lang)
    assert foreign, "the label layers cannot be told apart"
    assert not (_chart_words(boxes_of(name)) & foreign), _chart_words(boxes_of(name)) & foreign


def test_the_language_check_can_fail():
    fig = draw("long_run_fr")
    fig.text(0.5, 0.5, SERIES["offshoring_receipts"].breaks[0].label_en)
    assert _chart_words(fig) & (_label_layer("en") - _label_layer("fr"))


@pytest.mark.parametrize("name", ALL)
def test_tick_labels_follow_the_locale(name):
    """French ticks have a decimal comma (``-12,5``), English ones a decimal point."""
    lang = "en" if "_en" in name else "fr"
    fig = draw(name)
    ticks = [
        t.get_text()
        for ax in fig.axes
        for axis in (ax.xaxis, ax.yaxis)
        for t in axis.get_ticklabels()
        if any(ch.isdigit() for ch in t.get_text())
    ]
    assert ticks
    wrong = "." if lang == "fr" else ","
    assert not [t for t in ticks if wrong in t], ticks
    if name.startswith("period_comparison"):
        assert any(("," if lang == "fr" else ".") in t for t in ticks), ticks


@pytest.mark.parametrize(
    ("name", "entry"),
    [
        ("segment_breakdown_2023_en_usd", "computed share (hatched)"),
        ("period_comparison_2025H1_fr", "variation calculée sur un niveau calculé"),
        ("long_run_fr", "calculé (point creux)"),
    ],
)
def test_derived_marks_have_a_legend_entry(name, entry):
    assert entry in [t for t, _box in boxes_of(name)]


def test_the_source_line_names_every_outlet_primary_first_uncut():
    t = analysis.load_tables(ROOT / "data" / "processed")
    r = analysis.long_run(t.series, 2004, 2025, "MAD", t.rates)
    line = charts.source_line(t.releases, r.release_ids, "en")
    used = t.releases.set_index("release_id").loc[r.release_ids]
    assert "(+" not in line
    assert all(outlet in line for outlet in set(used["outlet"]))
    assert line.split(" via ", 1)[1].startswith(used["outlet"].iloc[0])  # the primary source
    shown = " ".join(text.replace("\n", " ") for text, _box in boxes_of("long_run_en"))
    assert all(outlet in shown for outlet in set(used["outlet"]))


def test_sub_annual_panels_split_by_kind_with_labels_and_composites_apart():
    fig = draw("long_run_fr")
    titles = [ax.get_title(loc="left") for ax in fig.axes[1:]]
    assert "Semestres" in titles and "Trimestres" in titles
    # a panel is drawn only with enough levels to read a trend; the composites' comes last
    t = analysis.load_tables(PROCESSED)
    groups = dict(
        analysis.sub_annual_groups(analysis.long_run(t.series, 2004, 2025, "MAD", t.rates).table)
    )
    drawn = [k for k, g in groups.items() if len(g) >= analysis.PANEL_MIN_POINTS]
    assert len(titles) == len(drawn) and ("composites" in drawn) == (
        "Agrégats de segments" in titles
    )
    if "composites" in drawn:
        assert titles[-1] == "Agrégats de segments"
    for ax in fig.axes[1:]:
        entries = [x.get_text() for x in ax.get_legend().get_texts()]
        assert entries and not [e for e in entries if re.fullmatch(r"[A-Z_]+", e)], entries
        composite = ax.get_title(loc="left") == "Agrégats de segments"
        assert all(("agrégat" in e) == composite for e in entries), entries
        colours = [h.get_color() for h in ax.get_legend().legend_handles]
        assert len(set(colours)) == len(colours), (entries, colours)


if __name__ == "__main__":
    import shutil

    BASELINE.mkdir(parents=True, exist_ok=True)
    FROZEN.mkdir(parents=True, exist_ok=True)
    for table in FROZEN_TABLES:
        shutil.copyfile(PROCESSED / table, FROZEN / table)
    for n in NAMES:
        for path in charts.save(draw(n, FROZEN), BASELINE / n):
            if path.suffix != ".png":
                path.unlink()
        print(f"wrote {BASELINE / n}.png", file=sys.stderr)
