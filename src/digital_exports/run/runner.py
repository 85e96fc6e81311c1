"""The pipeline runner: the notebooks' DAG, content hashes, warm kernels, parallel runs, reports.

Each step is a notebook with the files it reads and writes, declared once in :data:`STEPS`. A
run executes every step whose notebook source, parameters, input files or package source
changed since its last successful run (SHA-256 of contents, never timestamps), in dependency
order, independent steps in parallel. Notebooks run with papermill, from the project root, on
kernels that the runner starts itself with IPC transport (no TCP ports to race for) and keeps
warm between notebooks of the same worker: the namespace is reset between notebooks, so each
notebook sees a clean kernel, but pandas and matplotlib are imported once per worker, not once
per notebook. Each executed notebook is exported to two offline HTML files, in a thread of
its own while the kernel goes on with the next notebook.

Nothing here imports pandas, papermill or nbconvert until a step actually has to run, so a run
where nothing changed takes well under a second.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digital_exports.base.lock import LockError, RunLock, RunnerError, lock_path_for
from digital_exports.run.notebooks import KERNEL_NAME
from digital_exports.tables.outputs import (
    allow_writes,
    atomic_write,
    remove_stale_temporaries,
    stop_writes,
)

__all__ = ["LockError", "RunLock", "Runner", "RunnerError", "run"]


from digital_exports.base.hashing import sha256_file
from digital_exports.report.records import Record, read_records, remove_record, write_record
from digital_exports.run.fingerprint import fingerprint, package_digest
from digital_exports.run.kernels import (
    RUNTIME_PREFIX,
    RunInterrupted,
    WarmKernel,
    close_thread_loop,
    preimport,
    register_engine,
    remove_stale_runtimes,
    spawn,
)
from digital_exports.run.paramfile import load_param_file
from digital_exports.run.params import ParameterError
from digital_exports.run.reporting import export_html, releases_of, write_index_and_manifest
from digital_exports.run.scheduler import Schedule
from digital_exports.run.steps import Job, plan_jobs, with_upstream


@dataclass
class Runner:
    """Runs a list of jobs; see the module docstring.

    A run overlaps what it can on a small machine: the first kernel is started as soon as the
    lock is held, and the inputs are checked (``check_inputs``) while it starts; a notebook's
    HTML export is left to an export thread, so that its kernel takes the next notebook at once
    and the steps that read its files start; and the data package (codebook, workbook) is
    built in the background as soon as the last step that writes ``data/processed/`` has
    executed. A step whose export fails is reported as failed; the steps after it, which read
    only its data files, have run.

    Interrupts: the first SIGINT or SIGTERM stops the run. No new notebook starts; the running
    ones get :data:`GRACE_SECONDS` to stop on a SIGINT of their own (so that their staged files
    are removed), then their kernels are killed with their process groups; the kernels' runtime
    folder and any staged temporary file are removed, the lock is released, and :meth:`run`
    returns ``128 + signal`` (130 for SIGINT, 143 for SIGTERM). Every output that was not
    renamed into place before the signal is as it was. A second signal kills the kernels and
    exits at once, with the same code. Workers run in daemon threads and every wait of the
    main thread has a timeout, so nothing waits for a kernel that will never answer.
    """

    root: Path
    jobs: list[Job]
    n_workers: int = 2
    force: bool = False
    #: Where the run's lines go (default: ``sys.stdout`` when the run starts).
    out: Any = None
    #: Called with the root while the first kernel starts; an exception it raises stops the
    #: run before any notebook runs (its kernels killed, no state written) and is raised again.
    check_inputs: Callable[[Path], None] | None = None
    _kernels: dict[int, Future] = field(default_factory=dict)
    _all_kernels: list[WarmKernel] = field(default_factory=list)
    #: The workers whose kernel imports matplotlib in its warm-up.
    _charts: set[int] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _signal: int = 0
    #: Why the run stopped when a kernel died under a notebook (empty otherwise).
    _died: str = ""
    _git: tuple[str, bool] = ("unknown", False)
    _run_lock: RunLock | None = None
    _runtime: Path | None = None
    #: Exports under way (their futures, to the job exported); read by the main thread only.
    _exports: dict[Future, Job] = field(default_factory=dict)
    #: One export at a time: the exporters are shared, and exports finish in order this way.
    _export_lock: threading.Lock = field(default_factory=threading.Lock)
    #: Jobs (by ``id``) whose notebook has finished (executed, skipped, failed or blocked),
    #: and those that executed: the data package waits for the first, is rebuilt for the second.
    _settled: set[int] = field(default_factory=set)
    _executed: set[int] = field(default_factory=set)
    _publishing: Future | None = None

    #: Seconds the running notebooks get to stop after an interrupt before their kernels die.
    GRACE_SECONDS = 1.5

    def __post_init__(self) -> None:
        if self.out is None:
            self.out = sys.stdout

    def say(self, text: str) -> None:
        with self._lock:
            print(text, file=self.out, flush=True)

    def run(self) -> int:
        """Execute the run; return the exit code (0: all ran or skipped, 1: a step failed,
        130 or 143: interrupted by SIGINT or SIGTERM).

        Raises:
            RunnerError: another run holds the lock, or the lock path is not usable.
            Exception: whatever ``check_inputs`` raised (a bad raw release).
        """
        started = time.monotonic()
        allow_writes()  # an earlier run of this process may have been interrupted
        lock = RunLock(lock_path_for(self.root))
        with lock, self._signals(lock):
            self._run_lock = lock
            # The records of the reports' last runs (one per report, written as each job ends).
            state = read_records(self.root)
            self._run_steps(state)
            outcome = None
            if not self._stop.is_set():
                # What the run changed in data/processed/, and the data package.
                outcome = self._published()
                write_index_and_manifest(
                    self.root, self.jobs, self._git, time.monotonic() - started
                )
        return self._summary(started, outcome)

    def _summary(self, started: float, outcome: Any) -> int:
        """Say how the run ended; return its exit code."""
        counts = {
            s: sum(j.status == s for j in self.jobs)
            for s in ("ran", "skipped", "failed", "blocked", "interrupted")
        }
        summary = (
            f"{len(self.jobs)} steps, {counts['ran']} ran, {counts['skipped']} skipped, "
            f"{counts['failed']} failed, {counts['blocked']} blocked"
        )
        if self._died:
            self.say(f"FAIL  {self._died}\n{summary}")
            return 1
        if self._stop.is_set():
            name = signal.Signals(self._signal).name
            self.say(
                f"interrupted by {name}: {summary}, {counts['interrupted']} stopped in "
                f"{time.monotonic() - started:.1f} s; kernels stopped, outputs not renamed "
                "into place before the signal are as they were"
            )
            return 128 + self._signal
        self.say(f"done: {summary} in {time.monotonic() - started:.1f} s")
        if outcome is not None:
            self.say(outcome.line)
        return 1 if counts["failed"] or counts["blocked"] else 0

    def _run_steps(self, state: dict[str, Record]) -> None:
        """Start the kernels, check the inputs while the first one starts, run the jobs; then,
        whatever happened, stop the kernels and remove their runtime folder and every staged
        file."""
        pkg = package_digest()
        runtime = Path(tempfile.mkdtemp(prefix=f"{RUNTIME_PREFIX}{os.getpid()}-"))
        self._runtime = runtime
        checked = False
        try:
            if not self._stop.is_set():
                will_run = self._prefetch_kernels(state, pkg, runtime)
                self._prepare()
                checked = True
                if will_run:
                    # papermill and nbconvert take 0.5 s to import: done while the first kernel
                    # finishes its start-up (after the checks: a refused run imports nothing).
                    threading.Thread(target=preimport, daemon=True).start()
                self._schedule(state, pkg, runtime)
        finally:
            if self._stop.is_set() or not checked:
                self._kill_kernels()
            else:
                self._shutdown_kernels()
            if not checked:
                # No notebook ran: the kernels that are warm are used by nobody (those still
                # warming up close their own sockets).
                for fut in self._kernels.values():
                    if fut.done() and fut.exception() is None:
                        fut.result().close()
            if self._publishing is not None:
                # The data package may still be written (when the steps after the tables were
                # all current): its files are staged in folders cleaned below, and the lock is
                # not released under its writes.
                wait([self._publishing], timeout=30 if self._stop.is_set() else None)
            shutil.rmtree(runtime, ignore_errors=True)
            for folder in self._output_folders():
                remove_stale_temporaries(folder)

    def _prepare(self) -> None:
        """What the run does while its first kernel starts: read the git state (once, so that
        every report of the run states the same commit), remove what runs killed earlier left
        behind, and check the inputs."""
        from digital_exports.base.gitstate import git_state

        self._git = git_state(self.root)
        remove_stale_runtimes()
        for folder in self._output_folders():
            remove_stale_temporaries(folder)
        if self.check_inputs is not None:
            self.check_inputs(self.root)

    def _output_folders(self) -> list[Path]:
        """Every folder the run writes to (where an interrupted write may leave a staged
        temporary file)."""
        folders = {
            self.root / "data" / "processed",
            self.root / "notebooks",
            self.root / "reports",
            self.root / "reports" / ".state",
            self.root / "reports" / "html",
            self.root / "reports" / "notebooks",
            self.root / "reports" / "figures",
        }
        for job in self.jobs:
            folders.update(p.parent for p in job.declared_outputs(self.root))
        return sorted(folders)

    @contextlib.contextmanager
    def _signals(self, lock: RunLock) -> Iterator[None]:
        def on_signal(signum: int, frame: object) -> None:
            stop_writes()  # no output renamed into place after the signal, from any thread
            if self._stop.is_set():
                self._exit_now(signum, lock)
            self._signal = signum
            self._stop.set()
            with contextlib.suppress(Exception):
                print(
                    f"{signal.Signals(signum).name}: stopping the run (a second signal exits "
                    "at once)",
                    file=self.out,
                    flush=True,
                )

        if threading.current_thread() is not threading.main_thread():
            yield  # signal handlers can only be set from the main thread
            return
        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _exit_now(self, signum: int, lock: RunLock) -> None:
        """The second signal: kill every kernel, remove the runtime folder and the staged files,
        release the lock and leave, without waiting for anything."""
        for kernel in list(self._all_kernels):
            kernel.kill(wait=0)
        # Writes were stopped at the first signal; a thread that was staging a file then sees
        # the stop at its rename and removes its file: give it that moment, then clean up.
        time.sleep(0.05)
        if self._runtime is not None:
            shutil.rmtree(self._runtime, ignore_errors=True)
        with contextlib.suppress(Exception):
            for folder in self._output_folders():
                remove_stale_temporaries(folder)
        lock.release()
        with contextlib.suppress(Exception):
            print(f"{signal.Signals(signum).name} again: exiting now", file=self.out, flush=True)
            sys.stderr.flush()
        os._exit(128 + signum)

    def _is_current(self, job: Job, state: dict[str, Record], pkg: str) -> bool:
        """True when the record of the job's last successful run has the same fingerprint and
        its outputs are on disk unchanged (its words such as ``latest`` resolved first, from
        the tables as they are now).

        Raises:
            ParameterError: a word of the job's parameters that no level resolves.
        """
        job.resolve(self.root)
        job.fingerprint = fingerprint(job, self.root, pkg)
        previous = state.get(job.stem)
        return (
            not self.force
            and previous is not None
            and previous.fingerprint == job.fingerprint
            and all(
                p.is_file()
                and sha256_file(p) == previous.outputs.get(p.relative_to(self.root).as_posix())
                for p in job.all_outputs(self.root)
            )
        )

    def _current_now(self, job: Job, state: dict[str, Record], pkg: str) -> bool:
        """:meth:`_is_current` for planning: a job whose words cannot be resolved yet (its
        tables are not written) will run."""
        try:
            return self._is_current(job, state, pkg)
        except ParameterError:
            return False

    def _record(self, job: Job, releases: list[str] | None) -> Record:
        """The record of a job that has just run (its outputs' digests read now)."""
        job.outputs = {
            p.relative_to(self.root).as_posix(): sha256_file(p)
            for p in job.all_outputs(self.root)
            if p.is_file()
        }
        return Record(
            step=job.step.name,
            stem=job.stem,
            notebook=job.step.notebook,
            parameters=job.values,
            given=dict(job.params),
            fingerprint=job.fingerprint,
            inputs=dict(job.inputs),
            outputs=job.outputs,
            releases=releases,
            commit=self._git[0],
            dirty=self._git[1],
            drawn=dict(job.drawn),
        )

    def _keep(self, state: dict[str, Record], record: Record) -> None:
        """Write a job's record; remove the files its previous run wrote that this run did not
        (a chart named for last run's ``latest`` year), unless another report wrote them."""
        write_record(self.root, record)
        with self._lock:
            previous = state.get(record.stem)
            state[record.stem] = record
            others = {o for stem, r in state.items() if stem != record.stem for o in r.outputs}
        if previous is not None:
            for gone in sorted(set(previous.outputs) - set(record.outputs) - others):
                (self.root / gone).unlink(missing_ok=True)

    def _prefetch_kernels(self, state: dict, pkg: str, runtime: Path) -> bool:
        """Start (in the background) as many warm kernels as the run will use, so that their
        start-up overlaps with the checks and the first notebooks instead of following them;
        return whether any job will run."""
        to_run: set[str] = set()
        for job in self.jobs:
            if job.step.name in to_run:
                continue
            upstream = any(a in to_run for a in job.step.after)
            if upstream or not self._current_now(job, state, pkg):
                to_run.add(job.step.name)
        n_jobs = sum(j.step.name in to_run for j in self.jobs)
        for worker in range(min(self.n_workers, n_jobs)):
            # The first kernel's process is launched from this thread, before the threads
            # that import and check start: they would hold the interpreter lock most of the
            # 0.07 s the launch takes (0.3 s when it shared it with them).
            self._start_kernel(worker, runtime, launch_now=worker == 0)
        return n_jobs > 0

    def _start_kernel(self, worker: int, runtime: Path, launch_now: bool = False) -> Future:
        """The future of ``worker``'s warm kernel, started (in a thread) if it was not; with
        ``launch_now``, its process is launched before this returns."""
        with self._lock:
            if worker not in self._kernels:
                env = self._run_lock.owner_env() if self._run_lock else {}
                # The first kernel runs the first notebooks, which draw nothing: it skips
                # matplotlib, to start them sooner (see _pick_worker).
                kernel = WarmKernel(self.root, runtime, worker, env, charts=worker > 0)
                self._all_kernels.append(kernel)
                if kernel.charts:
                    self._charts.add(worker)
                self._kernels[worker] = _launched(kernel) if launch_now else spawn(kernel.start)
            return self._kernels[worker]

    def _shutdown_kernels(self) -> None:
        """The end of a run that was not interrupted: shut every kernel down."""
        for fut in self._kernels.values():
            with contextlib.suppress(Exception):
                fut.result(timeout=120).shutdown()
        for kernel in self._all_kernels:
            kernel.kill(wait=1.0)
        close_thread_loop()

    def _kill_kernels(self) -> None:
        for kernel in self._all_kernels:
            kernel.kill(wait=1.0)

    def _schedule(self, state: dict, pkg: str, runtime: Path) -> None:
        """Hand the jobs to the workers in dependency order and their executed notebooks to the
        export thread, until every job is done or a signal came."""
        schedule = Schedule(self.jobs)
        running: dict[Future, tuple[Job, int]] = {}
        free_workers = list(range(self.n_workers))
        self._maybe_publish()
        while (schedule.unfinished() or self._exports) and not self._stop.is_set():
            for job in schedule.take(len(free_workers), self._say_blocked):
                worker = self._pick_worker(job, free_workers)
                free_workers.remove(worker)
                running[spawn(self._one, job, state, pkg, runtime, worker)] = (job, worker)
            if not running and not self._exports:
                continue
            # A timeout, so that a signal or a dead kernel is noticed within a tenth of a second.
            finished, _ = wait([*running, *self._exports], timeout=0.1, return_when=FIRST_COMPLETED)
            self._watch_kernels(running)
            for fut in finished:
                if fut in self._exports:
                    self._exports.pop(fut)
                    fut.result()
                    continue
                job, worker = running.pop(fut)
                free_workers = sorted([*free_workers, worker])
                executed = fut.result()
                # Its data files are written: the steps that read them may start (marked done
                # before its export starts, so that only its notebook's outcome counts).
                schedule.done(job)
                self._settled.add(id(job))
                if executed is not None:
                    self._executed.add(id(job))
                    self._exports[spawn(self._export, job, state, *executed)] = job
                self._maybe_publish()
        if self._stop.is_set():
            self._interrupt([*running, *self._exports])

    def _watch_kernels(self, running: dict[Future, tuple[Job, int]]) -> None:
        """A kernel that died under a notebook (killed, out of memory) fails that notebook and
        stops the run as a signal does: the other kernels are stopped, nothing more is renamed
        into place, and the run exits within seconds, naming the dead kernel."""
        with self._lock:
            kernels = list(self._all_kernels)
        for fut, (job, worker) in running.items():
            if fut.done():
                continue
            # the worker's kernel, ready or still starting (one may die in its warm-up)
            for kernel in (k for k in kernels if k.worker == worker and k.died()):
                self._died = (
                    f"the kernel of worker {worker} (process {kernel.pid}) died while "
                    f"{job.label} ran; the run stopped, earlier outputs are as they were"
                )
                job.status, job.message = "failed", self._died
                self._signal = signal.SIGTERM
                self._stop.set()
                stop_writes()
                return

    def _pick_worker(self, job: Job, free_workers: list[int]) -> int:
        """The free worker for ``job``: for a step that draws, the first whose kernel imported
        matplotlib in its warm-up, if one is free (the jobs come costliest first, so the
        longest analysis gets one); else the first free worker."""
        if job.step.draws:
            with self._lock:
                warm = [w for w in free_workers if w in self._charts]
            if warm:
                return warm[0]
        return free_workers[0]

    def _say_blocked(self, job: Job) -> None:
        self._settled.add(id(job))
        self.say(f"block {job.label}: an earlier step failed")

    def _interrupt(self, running: list[Future]) -> None:
        """Stop the running notebooks and exports: SIGINT to the kernels, at most
        :data:`GRACE_SECONDS` to finish, then SIGKILL."""
        self.say("stopping kernels; outputs not yet renamed into place are left as they were")
        for kernel in list(self._all_kernels):
            kernel.interrupt()
        if running:
            wait(running, timeout=self.GRACE_SECONDS)
        self._kill_kernels()
        for job in self.jobs:
            if job.status in ("pending", "running"):
                job.status, job.message = "interrupted", "the run was interrupted"

    # ------------------------------------------------------------------ the data package

    def _maybe_publish(self) -> None:
        """Start building the data package in the background (:meth:`_publish`) once every job
        whose step writes ``data/processed/`` has finished: no later step writes there, so the
        codebook and the workbook are built while the analyses run, not after them."""
        if self._publishing is not None or self._stop.is_set():
            return
        if all(id(j) in self._settled for j in self._table_writers()):
            self._publishing = spawn(self._publish, self._tables_rewritten())

    def _publish(self, rebuild: bool) -> Any:
        """Record what the run changed in ``data/processed/`` (``changes.csv``), then write the
        codebook, ``datapackage.json`` and the workbook from the schemas when a step that
        writes the tables ran or one of these files is missing; return the changes' outcome."""
        from digital_exports.report import changes, codebook

        outcome = changes.record(self.root)
        if rebuild or not codebook.published(self.root):
            codebook.publish(self.root)
        return outcome

    def _published(self) -> Any:
        """The outcome of :meth:`_publish`, once it is done (started now if it was not)."""
        if self._publishing is None:
            self._publishing = spawn(self._publish, self._tables_rewritten())
        return self._publishing.result()

    def _table_writers(self) -> list[Job]:
        """The jobs whose step writes ``data/processed/``."""
        return [j for j in self.jobs if j.step.writes_processed]

    def _tables_rewritten(self) -> bool:
        """Whether a job that writes ``data/processed/`` executed in this run."""
        return any(id(j) in self._executed for j in self._table_writers())

    # ------------------------------------------------------------------ one job

    def _one(
        self, job: Job, state: dict, pkg: str, runtime: Path, worker: int
    ) -> tuple[Any, float] | None:
        """Run one job on ``worker``'s kernel: skip it when it is current, else execute its
        notebook and write it back. Return the executed notebook and the job's start time,
        for :meth:`_export`; None when there is nothing to export (skipped, failed,
        interrupted)."""
        try:
            current = self._is_current(job, state, pkg)
        except ParameterError as exc:
            self._fail(job, state, exc, time.monotonic())
            return None
        if current:
            job.status = "skipped"
            job.outputs = dict(state[job.stem].outputs)
            if state[job.stem].git != self._git:
                self._refresh_footer(job, state)
                self.say(f"skip  {job.label} (unchanged; provenance footer refreshed)")
            else:
                self.say(f"skip  {job.label} (unchanged)")
            return None
        self.say(f"start {job.label}")
        job.status = "running"
        t0 = time.monotonic()
        try:
            if self._stop.is_set():
                raise RunInterrupted
            nb = self._execute(job, runtime, worker)
        except Exception as exc:
            self._fail(job, state, exc, t0)
            return None
        return nb, t0

    def _fail(self, job: Job, state: dict, exc: Exception, t0: float) -> None:
        """Mark a job failed (or interrupted, after a signal) and forget its last run."""
        job.seconds = time.monotonic() - t0
        if self._stop.is_set():
            job.status, job.message = "interrupted", "the run was interrupted"
            return
        job.status, job.message = "failed", str(exc)
        self.say(f"FAIL  {job.label} after {job.seconds:.1f} s\n{_indent(job.message)}")
        with self._lock:
            state.pop(job.stem, None)
        remove_record(self.root, job.stem)

    def _export(self, job: Job, state: dict, nb: Any, t0: float) -> None:
        """Export an executed notebook to its two HTML reports (one export at a time, in the
        export thread), then write the job's record (:mod:`digital_exports.report.records`)."""
        releases = releases_of(self.root, job, nb)
        with self._export_lock:
            t1 = time.monotonic()
            try:
                if self._stop.is_set():
                    raise RunInterrupted
                export_html(self.root, job, nb, self._git, releases)
            except Exception as exc:
                self._fail(job, state, exc, t0)
                return
            job.phases["export"] = round(time.monotonic() - t1, 3)
        job.status, job.seconds = "ran", time.monotonic() - t0
        self._keep(state, self._record(job, releases))
        # A successful run of the step makes its earlier failed copy obsolete.
        (self.root / "reports" / "failed" / f"{job.stem}.ipynb").unlink(missing_ok=True)
        shown = ", ".join(f"{k.replace('_', ' ')} {v:.1f}" for k, v in job.phases.items())
        self.say(f"ran   {job.label} in {job.seconds:.1f} s" + (f" ({shown})" if shown else ""))

    def _refresh_footer(self, job: Job, state: dict[str, Record]) -> None:
        """Export a job's executed notebook again, with this run's commit in its footer (and
        the releases its record names): a new commit that changes no input needs new footers,
        not a new run."""
        import nbformat

        nb = nbformat.read(job.executed_path(self.root), as_version=4)
        releases = state[job.stem].releases
        with self._export_lock:
            export_html(self.root, job, nb, self._git, releases)
        job.inputs = dict(state[job.stem].inputs)
        self._keep(state, self._record(job, releases))

    def _kernel(self, worker: int, runtime: Path) -> WarmKernel:
        fut = self._start_kernel(worker, runtime)
        while True:  # wake up now and then: an interrupted run does not wait for a kernel
            if self._stop.is_set():
                raise RunInterrupted
            with contextlib.suppress(FutureTimeout):
                kernel: WarmKernel = fut.result(timeout=0.2)
                break
        return kernel

    def _execute(self, job: Job, runtime: Path, worker: int) -> Any:
        """Execute a job's notebook on ``worker``'s warm kernel and write it back (normalised);
        return it.

        Raises:
            RuntimeError: a cell failed (the executed copy is kept in ``reports/failed/``).
            RunInterrupted: the run was interrupted.
        """
        import nbformat
        import papermill
        from papermill.exceptions import PapermillExecutionError

        from digital_exports.run.notebooks import normalise

        t0 = time.monotonic()
        kernel = self._kernel(worker, runtime)
        t1 = time.monotonic()
        work = runtime / f"{job.stem}.ipynb"
        try:
            nb = papermill.execute_notebook(
                str(self.root / job.step.notebook),
                str(work),
                parameters=job.injected,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                request_save_on_cell_execute=False,
                engine_name=register_engine(),
                kernel=kernel,
            )
        except PapermillExecutionError as exc:
            if self._stop.is_set():
                raise RunInterrupted from None
            failed = self.root / "reports" / "failed" / f"{job.stem}.ipynb"
            if work.is_file():
                atomic_write(failed, work.read_bytes())
            raise RuntimeError(
                f"{job.step.notebook}, cell {exc.cell_index} (execution count "
                f"{exc.exec_count}): {exc.ename}: {exc.evalue}\n"
                f"the executed copy is kept in {failed.relative_to(self.root).as_posix()}; "
                "earlier outputs are untouched"
            ) from None
        if self._stop.is_set():  # finished as the signal came: leave the old outputs
            raise RunInterrupted
        job.phases = {"kernel_wait": round(t1 - t0, 3), "execute": 0.0, "export": 0.0}
        normalise(nb)
        atomic_write(job.executed_path(self.root), nbformat.writes(nb).encode("utf-8") + b"\n")
        job.phases["execute"] = round(time.monotonic() - t1, 3)
        return nb


def _launched(kernel: WarmKernel) -> Future:
    """Launch ``kernel``'s process now, then warm it up in a thread; return the future of the
    warm kernel (which holds the launch's error, if any, for the first job to report)."""
    try:
        kernel.launch()
    except Exception as exc:
        failed: Future = Future()
        failed.set_exception(exc)
        return failed
    return spawn(kernel.warm_up)


def _validate_raw_releases(root: Path) -> None:
    """Validate every raw release (the contract's reader: raises with file, line and field),
    unless these very files passed with this very package before: the digest of ``data/raw/``
    (paths and contents) and of the package is kept in ``reports/.state/raw_valid``. Reading
    56 releases' YAML costs 0.1 to 0.3 s, most of a run where nothing changed; hashing them,
    a few milliseconds."""
    import hashlib

    raw = root / "data" / "raw"
    h = hashlib.sha256(package_digest().encode())
    for p in sorted(raw.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(raw).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    digest = h.hexdigest()
    stamp = root / "reports" / ".state" / "raw_valid"
    with contextlib.suppress(OSError):
        if stamp.read_text() == digest:
            return
    from digital_exports.contract.releases import load_releases

    load_releases(raw, root)
    # Written once the releases passed (the run that follows writes reports/ anyway).
    stamp.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(stamp, digest.encode())


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())


def run(
    root: Path,
    cli_params: list[str],
    param_file: Path | None,
    force: bool,
    n_workers: int,
    out: Any = None,
    only: list[str] | None = None,
) -> int:
    """Plan, validate and execute a run; the command line's entry point.

    Args:
        only: step names or numbers (``40``): run these and the steps they follow (each of
            those skipped, as always, when its inputs did not change); default every step.
    """
    jobs = plan_jobs(root, cli_params, load_param_file(param_file) if param_file else None)
    if only:
        wanted = with_upstream(only)
        jobs = [j for j in jobs if j.step.name in wanted]
    # Raw releases are validated while the first kernel starts, before any notebook runs: a
    # bad release stops the run with one message (exit 2), its kernels killed, every output as
    # it was.
    runner = Runner(
        root,
        jobs,
        n_workers=max(1, n_workers),
        force=force,
        out=out,
        check_inputs=_validate_raw_releases,
    )
    return runner.run()
