"""What the runner overlaps to be fast on a small machine, and what it must still guarantee:
the first kernel starts while the raw releases are checked (a bad release still stops the run
before any notebook, with no kernel left), a notebook's export runs while the next notebook
does (a failed export fails its step, not the steps that read its data), the longest chart
notebook gets a kernel with matplotlib, and a new kernel client never waits for a status that
went out before IOPub was connected."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from test_interrupts import kernels_of  # tests/pipeline is on sys.path (rootdir mode)
from test_runner import copy_project, snapshot

from digital_exports.base.lock import lock_path_for
from digital_exports.contract.errors import InputError
from digital_exports.report import codebook
from digital_exports.report.records import read_records
from digital_exports.run import runner as runner_module
from digital_exports.run.kernels import RUNTIME_PREFIX, RunInterrupted, WarmKernel
from digital_exports.run.runner import Runner, run
from digital_exports.run.steps import STEPS, plan_jobs

ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------------------ declarations


def test_the_steps_that_write_tables_and_those_that_draw_are_read_from_their_outputs():
    assert {s.name for s in STEPS if s.writes_processed} == {
        "10_ingest_releases",
        "20_reconcile_and_check",
    }
    assert {s.name for s in STEPS if s.draws} == {
        "30_segment_breakdown",
        "40_period_comparison",
        "50_long_run",
        "70_context",
        "80_projection",
    }


def test_a_job_that_draws_goes_to_a_free_kernel_with_matplotlib():
    jobs = {j.step.name: j for j in plan_jobs(ROOT, [], None)}
    runner = Runner(ROOT, list(jobs.values()))
    runner._charts = {1}  # worker 0's kernel skips matplotlib, as the runner starts it
    assert runner._pick_worker(jobs["50_long_run"], [0, 1]) == 1
    assert runner._pick_worker(jobs["30_segment_breakdown"], [0]) == 0  # none free: any
    assert runner._pick_worker(jobs["10_ingest_releases"], [0, 1]) == 0
    assert runner._pick_worker(jobs["60_verify_release"], [0, 1]) == 0


# ------------------------------------------------------------------------------ whole runs


def test_a_bad_release_stops_the_run_before_any_notebook_and_leaves_no_kernel(tmp_path):
    """The first kernel starts while the releases are checked; a bad one still stops the run
    before any notebook starts, its kernels killed, nothing written."""
    root = copy_project(tmp_path)
    figures = root / "data" / "raw" / "le360" / "2025-10-17-exportations-numeriques" / "figures.csv"
    figures.write_text(figures.read_text().replace('"26,2"', '"26,3"'))
    before = snapshot(root)
    out = io.StringIO()
    with pytest.raises(InputError, match=r"figures\.csv"):
        run(root, [], None, force=True, n_workers=2, out=out)
    assert "start " not in out.getvalue()
    assert not any("preimport" in t.name for t in threading.enumerate())  # nothing imported
    assert kernels_of(os.getpid()) == []
    assert list(Path(tempfile.gettempdir()).glob(f"{RUNTIME_PREFIX}{os.getpid()}-*")) == []
    assert not lock_path_for(root).exists()
    assert read_records(root) == {}  # no record of any report
    assert snapshot(root) == before


def test_a_failed_export_fails_its_step_and_not_the_steps_that_read_its_data(tmp_path, monkeypatch):
    """Exports run while the next notebooks do: the steps after a step whose export failed
    have run on its data files, which are the committed ones."""
    root = copy_project(tmp_path)
    before = snapshot(root)
    real_export = runner_module.export_html

    def export_html(root: Path, job: Any, nb: Any, git: tuple[str, bool], releases: Any) -> None:
        if job.step.name == "20_reconcile_and_check":
            raise RuntimeError("the exporter broke")
        real_export(root, job, nb, git, releases)

    monkeypatch.setattr(runner_module, "export_html", export_html)
    # The tables' steps and the first step that reads what step 20 writes.
    reader = next(s.name for s in STEPS if "20_reconcile_and_check" in s.after)
    keep = {"10_ingest_releases", "20_reconcile_and_check", reader}
    jobs = [j for j in plan_jobs(root, [], None) if j.step.name in keep]
    out = io.StringIO()
    runner = Runner(root, jobs, n_workers=2, force=True, out=out)
    assert runner.run() == 1
    text = out.getvalue()
    assert "FAIL  20_reconcile_and_check" in text and "the exporter broke" in text
    assert f"{len(keep) - 1} ran" in text and "0 blocked" in text
    status = {j.step.name: j.status for j in runner.jobs}
    assert status == {**{s: "ran" for s in keep}, "20_reconcile_and_check": "failed"}
    records = read_records(root)
    assert "20_reconcile_and_check" not in records  # the next run exports it again
    assert set(records) == keep - {"20_reconcile_and_check"}
    assert not (root / "reports" / "html" / "20_reconcile_and_check.html").exists()
    assert snapshot(root) == before


def test_the_run_waits_for_the_data_package_before_it_cleans_up(tmp_path, monkeypatch):
    """The data package is written in the background once the tables are: when nothing runs
    after them, the run must not remove staged files (nor release the lock) under it."""
    root = copy_project(tmp_path)
    before = snapshot(root)
    seen: list[bool] = []
    real_publish, real_remove = codebook.publish, runner_module.remove_stale_temporaries

    def slow_publish(root: Path) -> list[Path]:
        time.sleep(1.0)
        return real_publish(root)

    def remove(folder: Path) -> list[Path]:
        if runner._publishing is not None:
            seen.append(runner._publishing.done())
        return real_remove(folder)

    monkeypatch.setattr(codebook, "publish", slow_publish)
    monkeypatch.setattr(runner_module, "remove_stale_temporaries", remove)
    jobs = [j for j in plan_jobs(root, [], None) if j.step.writes_processed]
    runner = Runner(root, jobs, n_workers=2, force=True, out=io.StringIO())
    assert runner.run() == 0
    assert seen and all(seen)  # every clean-up came after the data package was written
    assert snapshot(root) == before


def test_a_kernel_killed_while_it_launches_kills_itself(tmp_path):
    """kill() waits for a launch at most ``wait`` seconds; a launch that outlasts it finds the
    kernel killed and kills its process itself."""
    kernel = WarmKernel(tmp_path, tmp_path, 0, {})
    launched: list[subprocess.Popen] = []

    def start_kernel(**kw: Any) -> None:  # a slow launch, killed meanwhile
        process = subprocess.Popen(["sleep", "60"], start_new_session=True)
        launched.append(process)
        kernel.km.provisioner = SimpleNamespace(pid=process.pid, process=process)
        kernel._killed = True

    kernel.km = SimpleNamespace(start_kernel=start_kernel, cleanup_resources=lambda: None)
    try:
        with pytest.raises(RunInterrupted):
            kernel.launch()
        assert launched[0].wait(timeout=5) == -signal.SIGKILL
    finally:
        if launched and launched[0].poll() is None:
            launched[0].kill()
            launched[0].wait()
