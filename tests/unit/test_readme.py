"""The README is for the economist: short, its key figures, data availability table and rates'
coverage generated from the tables (never typed), and the front page's key figures escaped."""

from __future__ import annotations

import math
import re
from pathlib import Path

from digital_exports.report import keyfigures, readme

ROOT = Path(__file__).resolve().parents[2]
GENERATED = re.compile(r"<!-- generated: .*?<!-- end generated: [a-z-]+ -->", re.S)


def test_the_generated_sections_follow_the_tables():
    assert readme.update(ROOT, check=True), (
        "README.md's generated sections (key figures, data availability, rates) differ from "
        "data/processed/: run make all"
    )
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in readme.SECTIONS:
        assert f"<!-- generated: {name} " in text and f"<!-- end generated: {name} -->" in text


def test_the_readme_is_short_and_the_developers_guide_is_apart():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    written = GENERATED.sub("", text).splitlines()  # the generated tables grow with the data
    assert len(written) <= 200, f"README.md has {len(written)} hand-written lines; expected <= 200"
    for heading in (
        "Key figures",
        "Quick start",
        "Where the data are",
        "How to cite a number",
        "When a new release comes out",
        "Data availability statement",
    ):
        assert f"\n## {heading}\n" in text
    assert "(CONTRIBUTING.md)" in text and (ROOT / "CONTRIBUTING.md").is_file()
    assert "## Reliability" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_a_level_reads_with_its_interval_and_an_open_bound_as_words():
    assert keyfigures.level_text(26200.0, 26150.0, 26250.0, "MAD mn") == (
        "26.2 bn MAD (26.15–26.25)"
    )
    assert keyfigures.level_text(math.nan, 14000.0, math.inf, "MAD mn") == "at least 14 bn MAD"
    assert keyfigures.change_text(3.5, 3.45, 3.55, "2024-H1") == "+3.5 % on 2024-H1 (3.45 to 3.55)"
    assert keyfigures.change_text(math.nan, math.nan, math.nan, "") == "—"


def test_text_from_the_data_is_escaped_in_both_blocks():
    evil = keyfigures.KeyFigure(
        "digital_outsourcing_exports",
        "<script>x</script>|",
        "2025",
        "1 bn MAD (0.95–1.05)",
        "—",
        "—",
        "",
        "preliminary",
        (("o/2025-01-01-a", "javascript:alert(1)"),),
    )
    page = keyfigures.html_block([evil])
    assert "<script>" not in page and "javascript:" not in page.split("href")[0]
    assert 'href="javascript' not in page
    md = keyfigures.markdown([evil])
    assert "<script>" not in md and "\\|" in md
