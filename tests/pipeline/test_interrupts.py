"""Interrupts and the run lock: a signal during a notebook stops the run within seconds, with no
kernel, runtime folder, partial file or lock left behind; the lock is atomic and only its owner
removes it.

The signal tests run the command line on a copy of the project (``--force``, so every notebook
runs), wait for a step's ``start`` line, let the notebook get going, then send the signal.
"""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from support.project import copy_project, copy_world, snapshot

from digital_exports.base.lock import LockError, RunLock, lock_path_for
from digital_exports.run.kernels import RUNTIME_PREFIX, remove_stale_runtimes
from digital_exports.run.runner import RunnerError, run
from digital_exports.tables.io import empty_table
from digital_exports.tables.outputs import write_tables

STOP_WITHIN = 5.0  # seconds, from the signal to the exit of the runner
START_TIMEOUT = 180.0  # seconds for the step to start on a busy machine


def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def kernels_of(pid: int) -> list[int]:
    """Live (not zombie) processes started by jupyter_client for the runner ``pid``: their
    environment holds ``JPY_PARENT_PID=<pid>``."""
    found = []
    needle = f"JPY_PARENT_PID={pid}".encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if needle not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            found.append(int(proc.name))
    return found


def start_run(
    root: Path, step: str, args: tuple[str, ...] = ("--force",)
) -> tuple[subprocess.Popen, list[str]]:
    """Start ``run ARGS`` on ``root`` and return once ``step`` has printed its start line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "digital_exports", "run", "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT
    while not any(ln.startswith(f"start {step}") for ln in seen):
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            proc.kill()
            pytest.fail(f"{step} did not start within {START_TIMEOUT} s:\n{''.join(seen)}")
        if line is None:
            pytest.fail(f"the run ended before {step} started:\n{''.join(seen)}")
        seen.append(line)
    proc._lines = lines  # type: ignore[attr-defined]
    return proc, seen


def rest_of(proc: subprocess.Popen) -> str:
    out = []
    while (line := proc._lines.get(timeout=10)) is not None:  # type: ignore[attr-defined]
        out.append(line)
    assert proc.stdout is not None
    proc.stdout.close()
    return "".join(out)


@pytest.mark.parametrize(
    ("signum", "step", "twice"),
    [
        (signal.SIGTERM, "10_ingest_releases", False),
        (signal.SIGINT, "30_segment_breakdown", False),
        (signal.SIGTERM, "20_reconcile_and_check", True),
    ],
    ids=["SIGTERM-during-10", "SIGINT-during-30", "SIGTERM-twice-during-20"],
)
def test_a_signal_during_a_notebook_stops_the_run_cleanly(tmp_path, signum, step, twice, built):
    if step == "30_segment_breakdown":
        # An analysis alone: a copy of the session's built project, where only a new
        # parameter value of step 30 is left to run (its kernel starts at once).
        root = copy_world(built["root"], tmp_path / "project")
        args: tuple[str, ...] = ("-p", "year=2023")
    else:
        root, args = copy_project(project(tmp_path)), ("--force",)
    before = snapshot(root)
    proc, seen = start_run(root, step, args)
    time.sleep(0.5)  # let the notebook's first cells run
    kernels = kernels_of(proc.pid)
    assert kernels, "the runner should have started kernels by now"
    t0 = time.monotonic()
    proc.send_signal(signum)
    if twice:
        time.sleep(0.05)
        proc.send_signal(signum)
    try:
        code = proc.wait(timeout=STOP_WITHIN)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"still running {STOP_WITHIN} s after {signum.name}:\n{''.join(seen)}")
    took = time.monotonic() - t0
    text = "".join(seen) + rest_of(proc)
    assert code == 128 + signum, text
    assert took < STOP_WITHIN
    assert "Traceback" not in text, text
    assert kernels_of(proc.pid) == [], f"a kernel outlived its run (kernels were {kernels})"
    runtimes = list(Path(tempfile.gettempdir()).glob(f"{RUNTIME_PREFIX}{proc.pid}-*"))
    assert runtimes == [], runtimes
    assert not lock_path_for(root).exists()
    assert snapshot(root) == before, "an interrupted run changed a committed output"
    leftovers = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    print(f"{signum.name}{' twice' if twice else ''} during {step}: exit after {took:.2f} s")
    if signum == signal.SIGINT:
        # The next run recovers: it runs what was interrupted and reproduces every output.
        out = io.StringIO()
        assert run(root, [], None, force=False, n_workers=2, out=out) == 0, out.getvalue()
        assert snapshot(root) == before


# ------------------------------------------------------------------------------ the lock


def _contender(lock: Path, go: int, marks: Path) -> None:
    """A forked child: wait for the start signal, try the lock, and while holding it check that
    no other process marks itself as holding it too. Exit 0 holder, 1 refused, 2 overlap,
    3 crashed."""
    code = 3
    try:
        os.read(go, 1)
        held = RunLock(lock)
        try:
            held.__enter__()
        except RunnerError:
            code = 1
        else:
            mine = marks / str(os.getpid())
            mine.touch()
            others = [p for p in marks.iterdir() if p != mine]
            time.sleep(0.002)
            others += [p for p in marks.iterdir() if p != mine]
            mine.unlink()
            held.__exit__(None, None, None)
            code = 2 if others else 0
    finally:
        os._exit(code)


def test_two_processes_racing_for_a_stale_lock_never_both_hold_it(tmp_path):
    lock = tmp_path / "reports" / ".runner.lock"
    lock.parent.mkdir()
    marks = tmp_path / "marks"
    marks.mkdir()
    outcomes: dict[int, int] = {}
    for _ in range(200):
        lock.write_text("999999999\n")  # left by a run that died
        go_read, go_write = os.pipe()
        children = []
        for _ in range(2):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - child
                os.close(go_write)
                _contender(lock, go_read, marks)
            children.append(pid)
        os.close(go_read)
        os.write(go_write, b"xx")  # both start at once
        os.close(go_write)
        for pid in children:
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            outcomes[code] = outcomes.get(code, 0) + 1
    assert outcomes.get(2, 0) == 0, f"both processes held the lock: {outcomes}"
    assert outcomes.get(3, 0) == 0, f"a contender crashed: {outcomes}"
    assert outcomes.get(0, 0) >= 200, outcomes  # every trial had a holder
    assert not lock.exists()


def test_the_lock_is_removed_only_by_its_owner(tmp_path):
    lock = tmp_path / "reports" / ".runner.lock"
    held = RunLock(lock).acquire()
    with pytest.raises(RunnerError, match=r"another run \(process \d+\) is in progress"):
        RunLock(lock).acquire()
    # Someone removes the file and another run takes a new one: ours must not remove theirs.
    lock.unlink()
    other = RunLock(lock).acquire()
    held.release()
    assert lock.exists() and lock.read_text().strip() == str(os.getpid())
    other.release()
    assert not lock.exists()


def test_a_lock_path_that_is_a_folder_is_a_message_not_a_traceback(tmp_path):
    root = copy_project(project(tmp_path))
    lock_path_for(root).mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, "-m", "digital_exports", "run", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "reports/.runner.lock: cannot be used as the run lock" in done.stderr


HOLD_THE_LOCK = """
import sys
from pathlib import Path
from digital_exports.base.lock import RunLock
with RunLock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_every_writer_of_data_processed_honours_the_lock(tmp_path):
    root = copy_project(project(tmp_path))
    processed = root / "data" / "processed"
    before = snapshot(root)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(lock_path_for(root))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        # A notebook run by hand (papermill) writes through write_tables: refused.
        with pytest.raises(LockError, match=rf"another run \(process {holder.pid}\)"):
            write_tables({"series.csv": pd.DataFrame({"a": [1]})}, processed)
        # The ingest command: refused with exit 2, nothing written.
        done = subprocess.run(
            [sys.executable, "-m", "digital_exports", "ingest"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2 and "another run" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    finally:
        holder.communicate("", timeout=30)
    assert snapshot(root) == before
    # Without a run, the same write goes through and releases the lock afterwards.
    write_tables({"changes.csv": empty_table("changes.csv")}, processed)
    assert (processed / "changes.csv").is_file() and not lock_path_for(root).exists()


def test_the_runtime_folders_of_dead_runs_are_removed(tmp_path):
    dead = tmp_path / f"{RUNTIME_PREFIX}999999999-abc"
    mine = tmp_path / f"{RUNTIME_PREFIX}{os.getpid()}-abc"
    for folder in (dead, mine):
        (folder / "kernel-0").mkdir(parents=True)
    assert remove_stale_runtimes(tmp_path) == [dead]
    assert not dead.exists() and mine.exists()


def test_a_dead_kernel_fails_its_notebook_and_stops_the_run_within_seconds(tmp_path, built):
    """kill -9 of the kernel running a notebook: the run names the dead kernel and exits (1)
    within seconds, the other kernels stopped, every committed output as it was."""
    root = copy_world(built["root"], tmp_path / "project")
    before = snapshot(root)
    proc, seen = start_run(root, "50_long_run", ("-p", "end=2020", "--only", "50"))
    time.sleep(0.3)
    kernels = kernels_of(proc.pid)
    assert kernels, "the runner should have started kernels by now"
    t0 = time.monotonic()
    for pid in kernels:
        os.kill(pid, signal.SIGKILL)
    try:
        code = proc.wait(timeout=STOP_WITHIN)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"still running {STOP_WITHIN} s after its kernel died:\n{''.join(seen)}")
    took = time.monotonic() - t0
    text = "".join(seen) + rest_of(proc)
    assert code == 1, text
    assert "died while 50_long_run [end=2020] ran" in text and "Traceback" not in text, text
    assert kernels_of(proc.pid) == []
    assert not lock_path_for(root).exists()
    assert snapshot(root) == before
    assert [p for p in root.rglob("*") if p.name.endswith(".tmp")] == []
    print(f"kill -9 of the kernel during 50: exit after {took:.2f} s")
