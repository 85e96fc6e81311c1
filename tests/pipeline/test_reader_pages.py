"""Every report reads like a publication: measured in headless Chromium at 1280 px, no table
is wider than the page; in its text, no pandas repr, no ``NaN``, ``inf``, ``True`` or ``False``,
and no text cut with an ellipsis. Every notebook shows its tables through the same formatting
layer (``analysis/readers.py``), so every report is checked, ingest and reconcile included.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.browser import WIDTH, Render
from test_reports import NOTEBOOKS  # tests/pipeline is on sys.path (rootdir mode)

READERS = [p.stem for p in NOTEBOOKS]

#: What a reader must never see: pandas reprs, unknown or infinite values as Python writes
#: them, booleans, text cut with an ellipsis.
FORBIDDEN = re.compile(
    r"dtype:|Empty DataFrame|\bName: |\bNaN\b|\bnan\b|\binf\b|\bTrue\b|\bFalse\b|…|\.\.\.$"
)


class _Text(HTMLParser):
    """The visible text of a report, the provenance footer left out (its checksums are
    shortened on purpose, the full value in a title attribute)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("style", "script") or (tag == "footer" and ("class", "provenance") in attrs):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "footer") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)


@pytest.fixture(scope="module")
def site(built: dict) -> Path:
    return built["root"] / "reports"


@pytest.mark.parametrize("stem", READERS)
def test_no_table_is_wider_than_the_page(rendered: dict[str, Render], stem: str) -> None:
    found = rendered[f"html/{stem}.html"].measure
    assert found is not None, "no measure in the dumped page"
    assert found["tables"], "the report shows no table at all"
    assert found["view"] <= WIDTH and found["scroll"] <= found["view"], found
    wide = [t for t in found["tables"] if t["left"] < 0 or t["right"] > found["view"]]
    assert not wide, wide


def test_the_width_check_can_fail(rendered: dict[str, Render]) -> None:
    found = rendered["control:wide"].measure
    assert found is not None and found["tables"][0]["right"] > found["view"]


@pytest.mark.parametrize("stem", READERS)
def test_the_readers_text_has_no_raw_values(site: Path, stem: str) -> None:
    text = visible_text((site / "html" / f"{stem}.html").read_text())
    hits = [text[max(0, m.start() - 50) : m.end() + 20] for m in FORBIDDEN.finditer(text)]
    assert not hits, hits


def test_the_text_check_can_fail() -> None:
    page = "<p>x</p><pre>Name: count, dtype: int64</pre><td>NaN</td><td>inf</td><td>True</td>"
    page += '<footer class="provenance"><p>594751eb70f5…</p></footer>'
    text = visible_text(page)
    assert {m.group(0) for m in FORBIDDEN.finditer(text)} == {
        "Name: ",
        "dtype:",
        "NaN",
        "inf",
        "True",
    }


# ------------------------------------------------------------------------------ provenance


def _expected_releases(stem: str) -> list[str]:
    from digital_exports.analysis import analyses
    from digital_exports.run.params import notebook_defaults, resolve

    root = NOTEBOOKS[0].parents[1]
    t = analyses.load_tables(root / "data" / "processed")
    d = notebook_defaults(root / "notebooks" / f"{stem}.ipynb")
    d |= resolve(stem, d, root, strict=True)  # "latest": as the run resolved it
    if stem.startswith("30"):
        r = analyses.segment_breakdown(t.series, d["series"], d["year"], d["currency"], t.rates)
    elif stem.startswith("40"):
        r = analyses.period_comparison(
            t.series, d["series"], d["period"], d["base_period"], d["currency"], t.rates
        )
    else:
        r = analyses.long_run(t.series, d["start"], d["end"], d["currency"], t.rates)
    return sorted(r.release_ids)


@pytest.mark.parametrize("stem", [s for s in READERS if s[:2] in {"30", "40", "50"}])
def test_a_report_lists_the_releases_its_rows_rest_on(stem: str, tmp_path: Path) -> None:
    """The committed notebook records the releases of its own rows, and its report's
    provenance lists exactly those, not every release."""
    import shutil

    import nbformat

    from digital_exports.base.recorded import recorded_releases
    from digital_exports.run.params import notebook_defaults
    from digital_exports.run.reporting import export_html, releases_of
    from digital_exports.run.steps import STEP_BY_NAME, Job

    path = next(p for p in NOTEBOOKS if p.stem == stem)
    nb = nbformat.read(path, as_version=4)
    recorded = recorded_releases(nb)
    assert recorded and recorded == _expected_releases(stem)
    root = tmp_path / "project"
    shutil.copytree(path.parents[1] / "data" / "processed", root / "data" / "processed")
    job = Job(STEP_BY_NAME[stem], {}, notebook_defaults(path))
    assert releases_of(root, job, nb) == recorded
    export_html(root, job, nb, ("0" * 40, False), recorded)
    page = (root / "reports" / "html" / f"{stem}.html").read_text()
    listed = re.search(r"(?:Releases used|Publications utilisées) \((\d+)\)", page)
    assert listed and int(listed[1]) == len(recorded)
    n_all = len((root / "data" / "processed" / "releases.csv").read_text().splitlines()) - 1
    assert len(recorded) < n_all
    assert all(r in page for r in recorded)
