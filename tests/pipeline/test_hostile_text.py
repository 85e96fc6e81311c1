"""Text from the data is data, never markup: the contract refuses code-like fields that are not
codes; whatever free text it allows (title, outlet, producer, notes, a figure's note) reaches
every report escaped, renders inert in Chromium and is never read as matplotlib math text; and
the reports' last guard refuses a page that would run a script or load a remote resource.

The end-to-end part runs the pipeline once, under umask 022, on a copy of the project (a git
repository of its own) with one more release full of payloads, and then checks the rendered
reports, the file modes and the provenance footers after a new commit.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from support.hostile import BAD_MATH, HOSTILE_CSV, HOSTILE_ID, HOSTILE_YML, PAYLOAD, git
from support.project import copy_world
from test_reports import PROVENANCE, scan, text_of

from digital_exports.analysis import analyses as analysis
from digital_exports.analysis import charts
from digital_exports.analysis.labels import Note
from digital_exports.contract.errors import ReleaseFormatError
from digital_exports.contract.releases import add_checksums, load_releases
from digital_exports.report import html as report
from digital_exports.run.paramfile import load_param_file
from digital_exports.run.reporting import current_reports
from digital_exports.run.runner import run
from digital_exports.run.steps import plan_jobs
from digital_exports.tables.io import read_table
from digital_exports.tables.outputs import atomic_write

# ------------------------------------------------------------------------------ the contract


@pytest.mark.parametrize(
    "figure_id",
    [
        '"a.level\n<script>alert(1)</script>"',
        "x](javascript:alert(1))",
        "a level",
        "$\\frac$",
    ],
)
def test_a_figure_id_that_is_not_a_code_is_refused_by_the_contract(raw_folder, figure_id):
    raw_folder.edit("figures.csv", "a.level,", f"{figure_id},")
    with pytest.raises(ReleaseFormatError) as err:
        load_releases(raw_folder.raw, raw_folder.root)
    message = str(err.value)
    assert re.search(r"le360/2025-10-17-test/figures\.csv, line [23], field 'figure_id'", message)
    assert "letters, digits, '.', '-' or '_'" in message


def test_the_free_text_fields_of_the_payload_release_are_allowed(tmp_path):
    release = tmp_path / "data" / "raw" / HOSTILE_ID
    release.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (release / "release.yml").write_text(HOSTILE_YML, encoding="utf-8")
    (release / "figures.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    add_checksums(tmp_path / "data" / "raw")
    [found] = load_releases(tmp_path / "data" / "raw", tmp_path)
    assert found.meta["outlet"] == "Outlet " + PAYLOAD
    assert found.figures[0].row["note"] == "note " + PAYLOAD


# ------------------------------------------------------------------------------ Markdown, HTML


def _markdown_notebook(*texts: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "Markdown(x)",
            execution_count=i + 1,
            outputs=[
                nbformat.v4.new_output(
                    "execute_result", {"text/markdown": t, "text/plain": "md"}, execution_count=1
                )
            ],
        )
        for i, t in enumerate(texts)
    ]
    return nb


def test_markdown_from_the_data_is_escaped(tmp_path):
    result = analysis.Result(
        pd.DataFrame(
            [
                {
                    "figure_id": "# " + PAYLOAD,
                    "printed": PAYLOAD,
                    "verdict": "**bold**",
                    "evidence": f"1. {PAYLOAD} | - {PAYLOAD}\n<script>x</script>",
                }
            ]
        ),
        notes=[Note("note_text", {"text": PAYLOAD}), Note("note_text", {"text": "> " + PAYLOAD})],
    )
    nb = _markdown_notebook(analysis.evidence_markdown(result), analysis.notes_markdown(result))
    for page in report.export_notebook(nb, tmp_path, "x", PROVENANCE, title="x"):
        html = page.read_text("utf-8")
        assert "<script" not in html and "javascript:" not in [
            u[:11] for _t, _a, u in scan(html).links
        ]
        assert report.unsafe_html(html) == []
        body = html[html.index("<main") : html.index('<footer class="provenance"')]
        assert not re.search(r"<(h\d|em|ol|blockquote|img|a|code)\b", body.split("</nav>", 1)[1])
        text = text_of(html)
        assert PAYLOAD in text and "# " + PAYLOAD in text and "**bold**" in text


@pytest.mark.parametrize(
    "output",
    [
        {"text/html": "<script>console.error(1)</script>"},
        {"text/html": '<a href="javascript:alert(1)">x</a>'},
        {"text/html": '<a href=" JaVa&#x53;cript:alert(1)">x</a>'},
        {"text/html": '<img src="https://example.com/x.png">'},
        {"text/html": '<p onclick="alert(1)">x</p>'},
        {"text/markdown": "[x](javascript:alert(1))"},
        {"text/markdown": "![t](https://example.com/t.png)"},
    ],
)
def test_the_last_guard_refuses_a_page_that_would_run_or_load_something(tmp_path, output):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "x",
            execution_count=1,
            outputs=[nbformat.v4.new_output("display_data", {**output, "text/plain": "x"})],
        )
    ]
    with pytest.raises(report.UnsafeReportError, match="not written"):
        report.export_notebook(nb, tmp_path, "x", PROVENANCE, title="x")
    assert list(tmp_path.iterdir()) == []


def test_chart_text_from_the_data_is_never_math_text(tmp_path):
    t = analysis.load_tables(Path(__file__).resolve().parents[2] / "data" / "processed")
    r = analysis.segment_breakdown(t.series, "digital_outsourcing_exports", 2024, "MAD", t.rates)
    source = f"Source : {BAD_MATH} {PAYLOAD}"
    figure = charts.segment_breakdown(r.table, 2024, "fr", source)
    written = charts.save(figure, tmp_path / "c", r.table, charts.cite(figure, source, "fr"))
    assert [p.stat().st_size > 0 for p in written] == [True] * 5
    assert BAD_MATH in written[-1].read_text()  # the citation keeps the text as it is


def test_outputs_get_the_mode_the_umask_gives(tmp_path):
    for mask, mode in ((0o022, 0o644), (0o027, 0o640), (0o077, 0o600)):
        old = os.umask(mask)
        try:
            path = atomic_write(tmp_path / f"f{mask:o}", b"x")
        finally:
            os.umask(old)
        assert path.stat().st_mode & 0o777 == mode, oct(mask)


# ------------------------------------------------------------------------------ end to end


def _pages(root: Path) -> list[Path]:
    return [root / "reports" / "index.html", *sorted((root / "reports" / "html").glob("*.html"))]


def test_the_payload_reaches_the_reports_escaped(hostile):
    root = hostile["root"]
    stems = {p.name for p in (root / "reports" / "html").glob("*.html")}
    assert "60_verify_release__release-0hostile~2F2025-10-18-payload.html" in stems
    n_jobs = len(plan_jobs(root, [], load_param_file(hostile["params"])))
    assert "60_verify_release.html" in stems and len(stems) == 2 * n_jobs  # reader and code
    pages = {p.name: p.read_text("utf-8") for p in _pages(root)}
    # Not vacuous: the outlet is shown (escaped) in notebook 10's table of qualified prints.
    assert "Outlet &lt;script&gt;console.error" in pages["10_ingest_releases.html"]
    for name, html in pages.items():
        assert report.unsafe_html(html) == [], name
        assert "<script" not in html, name
        hrefs = [u for t, a, u in scan(html).links if a == "href"]
        assert not [u for u in hrefs if "javascript" in u.lower()], name
    # The table keeps the text as it was printed: data is data.
    releases = read_table(root / "data" / "processed" / "releases.csv")
    assert (releases["outlet"] == "Outlet " + PAYLOAD).any()


def test_the_payload_renders_inert_in_chromium(rendered):
    """Every page of the world (``conftest.rendered``), the payload release's own report and
    the index included: no console message, no remote or failed load."""
    pages = {n: r for n, r in rendered.items() if not n.startswith("control:")}
    assert "html/60_verify_release__release-0hostile~2F2025-10-18-payload.html" in pages
    problems = {n: r.problems() for n, r in pages.items() if r.problems()}
    assert problems == {}, problems


def test_a_range_period_writes_its_declared_outputs(hostile):
    figures = hostile["root"] / "reports" / "figures"
    stem = "period_comparison_digital_outsourcing_exports_2025-01..2025-06_2024-01..2024-06_fr_MAD"
    assert (figures / f"{stem}.svg").stat().st_size > 0
    assert (figures / f"{stem}.png").stat().st_size > 0


def test_outputs_are_readable_by_group_and_others_under_umask_022(hostile):
    root = hostile["root"]
    changed = set(git(root, "status", "--porcelain").split())
    assert "data/processed/releases.csv" in changed  # rewritten by this run, not copied
    # What the run wrote: reports/, and the committed files it rewrote (a file it left as it
    # was keeps the mode of its copy: 0664 from a `git archive`, whose tar.umask is 002).
    written = [
        p
        for folder in ("reports", "data/processed", "notebooks")
        for p in (root / folder).rglob("*")
        if p.is_file()
        and not p.name.startswith(".")
        and (folder == "reports" or p.relative_to(root).as_posix() in changed)
    ]
    modes = {p.relative_to(root).as_posix(): oct(p.stat().st_mode & 0o777) for p in written}
    assert {m for m in modes.values()} == {"0o644"}, modes


def test_the_footers_state_the_commit_read_when_the_run_started(hostile):
    root = hostile["root"]
    for page in (root / "reports" / "html").glob("*.html"):
        text = text_of(page.read_text("utf-8"))
        assert re.search(rf"(git commit|commit git) {hostile['commit']}", text), page.name
        # The tree was clean when the run started; the run itself rewrote committed files.
        assert "uncommitted" not in text and "non validées" not in text, page.name


def test_a_new_commit_refreshes_the_footers_without_rerunning(hostile, tmp_path):
    root = copy_world(hostile["root"], tmp_path / "project")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "outputs of the payload run")
    commit = git(root, "rev-parse", "HEAD")
    out = io.StringIO()
    assert run(root, [], hostile["params"], force=False, n_workers=2, out=out) == 0
    log = out.getvalue()
    n_jobs = len(plan_jobs(root, [], load_param_file(hostile["params"])))
    assert "start " not in log and log.count("provenance footer refreshed") == n_jobs, log
    manifest = json.loads((root / "reports" / "manifest.json").read_text())
    assert manifest["git"] == {"commit": commit, "dirty": False}
    for page in (root / "reports" / "html").glob("*.html"):
        text = text_of(page.read_text("utf-8"))
        assert re.search(rf"(git commit|commit git) {commit}", text), page.name
        assert "uncommitted" not in text and "non validées" not in text, page.name
    out = io.StringIO()
    assert run(root, [], hostile["params"], force=False, n_workers=2, out=out) == 0
    assert "refreshed" not in out.getvalue() and out.getvalue().count("skip ") == n_jobs


def test_the_report_of_a_deleted_release_is_no_longer_linked(hostile, tmp_path):
    root = copy_world(hostile["root"], tmp_path / "project")
    html = root / "reports" / "html"
    stem = "60_verify_release__release-0hostile~2F2025-10-18-payload"
    assert (html / f"{stem}.html").is_file()
    n_jobs = len(plan_jobs(root, [], load_param_file(hostile["params"])))
    for name in ("release.yml", "figures.csv"):
        (root / "data" / "raw" / HOSTILE_ID / name).unlink()
    kept = current_reports(root)
    assert stem not in [s for _step, s, _p in kept] and len(kept) == n_jobs - 1
    assert not (html / f"{stem}.html").exists() and not (html / f"{stem}.code.html").exists()
