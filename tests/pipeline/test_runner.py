"""The pipeline runner on a copy of the project: incremental, parallel, locked, and safe when a
step fails."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from support.project import ORPHAN, copy_project, snapshot

from digital_exports.run.fingerprint import notebook_source_digest
from digital_exports.run.params import ParameterError
from digital_exports.run.runner import RunLock, Runner, RunnerError, run
from digital_exports.run.steps import STEPS, plan_jobs


def downstream_of(name: str) -> set[str]:
    """The steps that read, directly or not, what step ``name`` writes."""
    found: set[str] = set()
    while True:
        more = {s.name for s in STEPS if ({name} | found) & set(s.after)} - found
        if not more:
            return found
        found |= more


ROOT = Path(__file__).resolve().parents[2]


def test_parameters_are_typed_and_checked_before_anything_runs():
    jobs = plan_jobs(ROOT, ["year=2023", "lang=en"], None)
    by_step = {j.step.name: j for j in jobs}
    assert by_step["30_segment_breakdown"].params == {"year": 2023, "lang": "en"}
    assert by_step["50_long_run"].params == {"lang": "en"}
    assert by_step["10_ingest_releases"].params == {}
    assert plan_jobs(ROOT, ["year=latest"], None)[2].is_default  # the default value
    # a year given is kept as given, even when it is the latest: the data may move on
    assert plan_jobs(ROOT, ["year=2024"], None)[2].params == {"year": 2024}
    with pytest.raises(ParameterError, match="unknown parameter 'yaer'"):
        plan_jobs(ROOT, ["yaer=2023"], None)
    with pytest.raises(ParameterError, match="'year' = 'abc' is not an integer"):
        plan_jobs(ROOT, ["year=abc"], None)
    with pytest.raises(ParameterError, match="'currency' = 'JPY' is not allowed"):
        plan_jobs(ROOT, ["currency=JPY"], None)
    sets = plan_jobs(ROOT, [], {"30_segment_breakdown": [{"year": 2023}, {"year": "latest"}]})
    assert [j.stem for j in sets if j.step.name.startswith("30")] == [
        "30_segment_breakdown__year-2023",
        "30_segment_breakdown",
    ]


def test_the_notebook_digest_ignores_outputs(tmp_path):
    nb = json.loads((ROOT / "notebooks" / "30_segment_breakdown.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    stripped = tmp_path / "a.ipynb"
    stripped.write_text(json.dumps(nb))
    assert notebook_source_digest(stripped) == notebook_source_digest(
        ROOT / "notebooks" / "30_segment_breakdown.ipynb"
    )
    nb["cells"][-1]["source"] = "figure  # changed"
    stripped.write_text(json.dumps(nb))
    assert notebook_source_digest(stripped) != notebook_source_digest(
        ROOT / "notebooks" / "30_segment_breakdown.ipynb"
    )


def test_a_second_run_is_refused_while_one_holds_the_lock(tmp_path):
    lock = tmp_path / "reports" / ".runner.lock"
    with RunLock(lock), pytest.raises(RunnerError, match="another run"), RunLock(lock):
        pass
    lock.write_text("999999999")  # a run that died
    with RunLock(lock):
        assert lock.read_text().strip() == str(os.getpid())
    assert not lock.exists()


def test_full_run_then_noop_then_one_parameter(built):
    """The session's full run (``conftest.built``), then a run that changes nothing, then one
    with a new parameter value."""
    root = built["root"]
    assert snapshot(root) == built["before"], "a run must reproduce the committed outputs"
    index = (root / "reports" / "index.html").read_text()
    assert ORPHAN not in index  # the index shows the current reports' charts only
    record = json.loads((root / "reports/.state/records/30_segment_breakdown.json").read_text())
    year = record["parameters"]["year"]  # the latest year the data hold, resolved by the run
    assert f"figures/segment_breakdown_digital_outsourcing_exports_{year}_fr_MAD.png" in index
    for name in (
        "index.html",
        "manifest.json",
        "html/30_segment_breakdown.html",
        "html/30_segment_breakdown.code.html",
        f"figures/segment_breakdown_digital_outsourcing_exports_{year}_fr_MAD.svg",
    ):
        assert (root / "reports" / name).is_file(), name
    assert built["log"].count("ran   ") == len(STEPS)
    html = (root / "reports" / "html" / "30_segment_breakdown.html").read_bytes()

    out = io.StringIO()
    assert run(root, [], None, force=False, n_workers=2, out=out) == 0
    manifest = json.loads((root / "reports" / "manifest.json").read_text())
    assert {j["status"] for j in manifest["jobs"]} == {"skipped"}
    assert out.getvalue().count("skip  ") == len(STEPS) and "0 ran" in out.getvalue()

    out = io.StringIO()
    assert run(root, ["year=2023"], None, force=False, n_workers=2, out=out) == 0
    ran = [ln for ln in out.getvalue().splitlines() if ln.startswith("ran ")]
    # Every report that takes a year reruns for it, and nothing else.
    takes_year = {f"{s.name} [year=2023]" for s in STEPS if "year" in s.params}
    assert "30_segment_breakdown [year=2023]" in takes_year
    assert {ln.split(" in ")[0].removeprefix("ran").strip() for ln in ran} == takes_year
    assert (root / "reports" / "html" / "30_segment_breakdown__year-2023.html").is_file()
    index = (root / "reports" / "index.html").read_text()
    assert "30_segment_breakdown__year-2023.html" in index
    assert "segment_breakdown_digital_outsourcing_exports_2023_fr_MAD.png" in index
    assert (root / "reports" / "html" / "30_segment_breakdown.html").read_bytes() == html


def test_a_failing_step_keeps_outputs_and_blocks_what_depends_on_it(tmp_path):
    root = copy_project(tmp_path)
    before = snapshot(root)
    figures = root / "data" / "raw" / "le360" / "2025-10-17-exportations-numeriques" / "figures.csv"
    figures.write_text(figures.read_text().replace('"26,2"', '"26,3"'))
    out = io.StringIO()
    runner = Runner(root, plan_jobs(root, [], None), n_workers=2, force=True, out=out)
    assert runner.run() == 1
    text = out.getvalue()
    assert "FAIL  10_ingest_releases" in text and "ChecksumError" in text
    assert "figures.csv" in text and "cell" in text
    downstream = downstream_of("10_ingest_releases")
    assert text.count("block ") == len(downstream) and f"{len(downstream)} blocked" in text
    after = snapshot(root)
    after.pop("data/raw/le360/2025-10-17-exportations-numeriques/figures.csv")
    before.pop("data/raw/le360/2025-10-17-exportations-numeriques/figures.csv")
    assert after == before
    assert (root / "reports" / "failed" / "10_ingest_releases.ipynb").is_file()
