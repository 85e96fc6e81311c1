"""The pipeline runner: the notebooks' DAG, content hashes, warm kernels, parallel runs, reports.

Each step is a notebook with the files it reads and writes, declared once in :data:`STEPS`. A
run executes every step whose notebook source, parameters, input files or package source
changed since its last successful run (SHA-256 of contents, never timestamps), in dependency
order, independent steps in parallel. Notebooks run with papermill, from the project root, on
kernels that the runner starts itself with IPC transport (no TCP ports to race for) and keeps
warm between notebooks of the same worker: the namespace is reset between notebooks, so each
notebook sees a clean kernel, but pandas and matplotlib are imported once per worker, not once
per notebook. Each executed notebook is exported to two offline HTML files.

Nothing here imports pandas, papermill or nbconvert until a step actually has to run, so a run
where nothing changed takes well under a second.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digital_exports.base.lock import LockError, RunLock, RunnerError, lock_path_for
from digital_exports.run.notebooks import KERNEL_NAME
from digital_exports.run.params import SPECS, ParameterError, notebook_defaults, validate
from digital_exports.tables.outputs import atomic_write, remove_stale_temporaries

__all__ = ["LockError", "RunLock", "Runner", "RunnerError", "plan_jobs", "run"]

RUNNER_VERSION = "1"


@dataclass(frozen=True)
class Step:
    """One notebook of the pipeline.

    Attributes:
        name: the notebook's name without extension (``30_segment_breakdown``).
        inputs: files or glob patterns (relative to the root) the notebook reads.
        outputs: files it writes besides itself; ``{param}`` placeholders take the job's
            parameter values.
        after: the steps whose outputs it reads.
        title: a line for the index page.
    """

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    after: tuple[str, ...]
    title: str

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.name}.ipynb"


_P = "data/processed/"
STEPS: tuple[Step, ...] = (
    Step(
        "10_ingest_releases",
        ("data/raw/**/*",),
        (_P + "published_figures.csv", _P + "releases.csv"),
        (),
        "Ingest the raw releases: every printed figure with its interval",
    ),
    Step(
        "20_reconcile_and_check",
        (_P + "published_figures.csv",),
        (
            _P + "series.csv",
            _P + "conversions.csv",
            _P + "conflicts.csv",
            _P + "checks.csv",
            _P + "revisions.csv",
            _P + "estimates.csv",  # issue 12: the panel of best estimates
        ),
        ("10_ingest_releases",),
        "Reconcile, derive and check: conflicts and contradicted identities first",
    ),
    Step(
        "30_segment_breakdown",
        (_P + "series.csv", _P + "releases.csv"),
        (
            "reports/figures/segment_breakdown_{series}_{year}_{lang}_{currency}.svg",
            "reports/figures/segment_breakdown_{series}_{year}_{lang}_{currency}.png",
        ),
        ("20_reconcile_and_check",),
        "Segment breakdown of a year (the article's chart)",
    ),
    Step(
        "40_period_comparison",
        (_P + "series.csv", _P + "releases.csv"),
        (
            "reports/figures/period_comparison_{series}_{period}_{base_period}_{lang}_{currency}.svg",
            "reports/figures/period_comparison_{series}_{period}_{base_period}_{lang}_{currency}.png",
        ),
        ("20_reconcile_and_check",),
        "Two periods compared",
    ),
    Step(
        "50_long_run",
        (_P + "series.csv", _P + "releases.csv"),
        (
            "reports/figures/long_run_{start}_{end}_{lang}_{currency}.svg",
            "reports/figures/long_run_{start}_{end}_{lang}_{currency}.png",
        ),
        ("20_reconcile_and_check",),
        "The long run, scope by scope",
    ),
    Step(
        "60_verify_release",
        (_P + "published_figures.csv", _P + "series.csv", _P + "checks.csv"),
        (),
        ("20_reconcile_and_check",),
        "Verify a release number by number (default: the le360 article)",
    ),
)
STEP_BY_NAME = {s.name: s for s in STEPS}


#: The most parameter sets a parameter file may hold (all steps together).
MAX_PARAMETER_SETS = 64
#: The largest parameter file read, in bytes.
MAX_PARAMETER_FILE_BYTES = 256 * 1024

_SLUG_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")


def slug(value: Any) -> str:
    """A parameter value as a piece of a file name: letters, digits, ``.``, ``-`` and ``_``
    are kept, any other byte is written ``~XX`` (its UTF-8 code in hex; ``~`` itself too). The
    mapping is one to one, so different values give different names, and a range period
    ``2025-01..2025-06`` stays whole (extensions are appended, never cut at the last dot)."""
    return "".join(
        ch if ch in _SLUG_SAFE else "".join(f"~{b:02X}" for b in ch.encode("utf-8"))
        for ch in str(value)
    )


# ------------------------------------------------------------------------------ jobs


@dataclass
class Job:
    """One execution of a step with one parameter set."""

    step: Step
    params: dict[str, Any]
    defaults: dict[str, Any]
    status: str = "pending"
    seconds: float = 0.0
    message: str = ""
    fingerprint: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def is_default(self) -> bool:
        return not self.params

    @property
    def slug(self) -> str:
        """``name-value`` pairs of the parameters set for this job, each value a :func:`slug`."""
        return "__".join(f"{k}-{slug(v)}" for k, v in sorted(self.params.items()))

    @property
    def stem(self) -> str:
        return self.step.name if self.is_default else f"{self.step.name}__{self.slug}"

    @property
    def key(self) -> str:
        return self.stem

    @property
    def label(self) -> str:
        shown = " ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.step.name}" + (f" [{shown}]" if shown else "")

    def executed_path(self, root: Path) -> Path:
        if self.is_default:
            return root / self.step.notebook
        return root / "reports" / "notebooks" / f"{self.stem}.ipynb"

    def html_paths(self, root: Path) -> list[Path]:
        folder = root / "reports" / "html"
        return [folder / f"{self.stem}.html", folder / f"{self.stem}.code.html"]

    def declared_outputs(self, root: Path) -> list[Path]:
        values = {k: slug(v) for k, v in {**self.defaults, **self.params}.items()}
        return [root / o.format(**values) for o in self.step.outputs]

    def all_outputs(self, root: Path) -> list[Path]:
        return [self.executed_path(root), *self.html_paths(root), *self.declared_outputs(root)]


def typed_value(step: str, name: str, text: str) -> Any:
    """A ``-p name=value`` string typed as the step's parameter declares it."""
    spec = SPECS[step][name]
    if spec.type is int:
        try:
            return int(text)
        except ValueError:
            raise ParameterError(
                f"{step}: parameter {name!r} = {text!r} is not an integer; expected "
                f"{spec.allowed()}"
            ) from None
    return text


def plan_jobs(
    root: Path, cli_params: list[str], param_sets: dict[str, list[dict]] | None
) -> list[Job]:
    """The jobs of a run: one per step and parameter set, every value typed and validated
    against the notebook's parameters before any kernel starts.

    Args:
        cli_params: ``name=value`` strings; each applies to every step that declares ``name``.
        param_sets: optional ``{step: [ {name: value}, ... ]}`` (a YAML parameter file): the
            step runs once per set.

    Parameter sets that come to the same values (once defaults are dropped) are one job.

    Raises:
        ParameterError: an unknown name, an ill-typed or disallowed value (a ``release`` that
            is not a folder of ``data/raw/`` included), an unknown step, too many sets.
    """
    overrides: dict[str, str] = {}
    for item in cli_params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ParameterError(f"-p {item!r}: expected name=value")
        overrides[name.strip()] = value.strip()
    declared = {n for spec in SPECS.values() for n in spec}
    unknown = sorted(set(overrides) - declared)
    if unknown:
        raise ParameterError(
            f"unknown parameter {unknown[0]!r}: no notebook declares it; "
            f"parameters are {', '.join(sorted(declared))}"
        )
    for name in param_sets or {}:
        if name not in STEP_BY_NAME:
            raise ParameterError(
                f"parameter file names step {name!r}; expected one of {', '.join(STEP_BY_NAME)}"
            )
    n_sets = sum(len(sets) for sets in (param_sets or {}).values())
    if n_sets > MAX_PARAMETER_SETS:
        raise ParameterError(
            f"{n_sets} parameter sets; expected at most {MAX_PARAMETER_SETS} in one run"
        )
    jobs = []
    for step in STEPS:
        defaults = notebook_defaults(root / step.notebook)
        mine = {
            k: typed_value(step.name, k, v) for k, v in overrides.items() if k in SPECS[step.name]
        }
        sets = (param_sets or {}).get(step.name) or [{}]
        seen: set[str] = set()
        for extra in sets:
            params = {**mine, **(extra or {})}
            validate(step.name, params, root)
            # A value equal to the default is the default run.
            params = {k: v for k, v in params.items() if defaults.get(k) != v}
            job = Job(step, params, defaults)
            if job.stem in seen:  # a duplicate set: the same notebook on the same files
                continue
            seen.add(job.stem)
            jobs.append(job)
    return jobs


# ------------------------------------------------------------------------------ hashing


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def notebook_source_digest(path: Path) -> str:
    """Digest of what a notebook *does*: cell types, sources and tags, kernel; not its
    outputs (which the run rewrites)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = [nb.get("metadata", {}).get("kernelspec", {}).get("name", "")]
    for cell in nb["cells"]:
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        parts.append(f"{cell['cell_type']}\0{src}\0{cell.get('metadata', {}).get('tags', [])}")
    return hashlib.sha256("\1".join(parts).encode()).hexdigest()


def expand_inputs(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(found)


def package_digest() -> str:
    """Digest of the package's source and templates: any change reruns every step."""
    pkg = Path(__file__).resolve().parents[1]  # the package, not this subpackage
    h = hashlib.sha256()
    for p in sorted(pkg.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".j2", ".json", ".css", ".yml", ".yaml"):
            h.update(p.relative_to(pkg).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def fingerprint(job: Job, root: Path, pkg: str) -> str:
    job.inputs = {
        p.relative_to(root).as_posix(): sha256_file(p) for p in expand_inputs(root, job.step.inputs)
    }
    blob = json.dumps(
        {
            "runner": RUNNER_VERSION,
            "python": sys.version.split()[0],
            "notebook": notebook_source_digest(root / job.step.notebook),
            "params": job.params,
            "inputs": job.inputs,
            "package": pkg,
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


# ------------------------------------------------------------------------------ kernels


class WarmKernel:
    """A kernel started with IPC transport in a private folder, with the heavy imports done
    once; :meth:`reset` gives the next notebook a clean namespace."""

    WARM_UP = (
        "import pandas, matplotlib, matplotlib.pyplot, IPython.display\n"
        "get_ipython().run_line_magic('matplotlib', 'inline')\n"
        "import digital_exports.analysis.analyses, digital_exports.analysis.charts, "
        "digital_exports.model.build, digital_exports.run.params"
    )
    RESET = (
        "get_ipython().run_line_magic('reset', '-f')\n"
        "import pandas as _pd, warnings as _w\n"
        "with _w.catch_warnings():\n"
        "    _w.simplefilter('ignore')\n"
        "    _pd.reset_option('all')\n"
        "del _pd, _w\n"
    )

    def __init__(self, root: Path, runtime: Path, index: int, env: dict[str, str]) -> None:
        from jupyter_client.manager import KernelManager

        folder = runtime / f"kernel-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.env = env
        self.km = KernelManager(
            kernel_name=KERNEL_NAME,
            transport="ipc",
            ip=str(folder / "ipc"),
            connection_file=str(folder / "connection.json"),
        )
        self.used = False
        self.ready = False
        self.pid: int | None = None
        self._killed = False
        self._guard = threading.Lock()

    def start(self) -> WarmKernel:
        """Start the kernel process and do the heavy imports; a kernel killed meanwhile (the
        run was interrupted) is not started, or is killed as soon as its process exists."""
        with self._guard:
            if self._killed:
                raise RunInterrupted("the run was interrupted before this kernel started")
            self.km.start_kernel(
                cwd=str(self.root),
                env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", **self.env},
            )
            self.pid = getattr(self.km.provisioner, "pid", None)
        self._run(self.WARM_UP)
        self.ready = True
        return self

    def interrupt(self) -> None:
        """SIGINT to the kernel's process group: the running cell stops with KeyboardInterrupt
        (so ``finally`` blocks, such as the removal of staged files, run). A kernel still
        starting is left alone: it runs no notebook, and is killed next."""
        if self.pid is not None and self.ready:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGINT)

    def kill(self, wait: float = 1.0) -> None:
        """SIGKILL to the kernel's process group (the kernel and anything it started), then
        reap it for at most ``wait`` seconds. Never blocks on a kernel still starting: that
        one kills itself as soon as its process exists."""
        self._killed = True
        acquired = self._guard.acquire(timeout=wait)
        try:
            pid = self.pid
            if pid is None:
                return
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            process = getattr(self.km.provisioner, "process", None)
            if process is not None and wait > 0:
                with contextlib.suppress(Exception):
                    process.wait(timeout=wait)
        finally:
            if acquired:
                self._guard.release()

    def _run(self, code: str) -> None:
        kc = self.km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue')}")
        finally:
            kc.stop_channels()

    def reset(self) -> None:
        if self.used:
            self._run(self.RESET)
        self.used = True

    def shutdown(self) -> None:
        with contextlib.suppress(Exception):
            self.km.shutdown_kernel(now=True)
        self.kill(wait=1.0)  # whatever shutdown_kernel left (it swallows its own errors)


def _register_engine() -> str:
    """Register (once) a papermill engine that runs on a kernel the runner owns and closes its
    own client channels afterwards (papermill's default engine leaves them open when it does not
    own the kernel)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, **final)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    return ENGINE_NAME


ENGINE_NAME = "digital-exports-warm"


# ------------------------------------------------------------------------------ runner


class RunInterrupted(Exception):
    """The run received SIGINT or SIGTERM; raised in the workers that notice it."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


RUNTIME_PREFIX = "digital-exports-kernels-"


def remove_stale_runtimes(tmp: Path | None = None) -> list[Path]:
    """Remove the kernels' runtime folders (``<tmp>/digital-exports-kernels-<pid>-*``) of runs
    whose process is gone (a run killed with SIGKILL cannot remove its own)."""
    gone = []
    for folder in Path(tmp or tempfile.gettempdir()).glob(RUNTIME_PREFIX + "*"):
        pid = folder.name[len(RUNTIME_PREFIX) :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder)
    return gone


@dataclass
class Runner:
    """Runs a list of jobs; see the module docstring.

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
    out: Any = sys.stdout
    _kernels: dict[int, Future] = field(default_factory=dict)
    _all_kernels: list[WarmKernel] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _signal: int = 0
    _git: tuple[str, bool] = ("unknown", False)
    _run_lock: RunLock | None = None
    _runtime: Path | None = None

    #: Seconds the running notebooks get to stop after an interrupt before their kernels die.
    GRACE_SECONDS = 1.5

    @property
    def state_path(self) -> Path:
        return self.root / "reports" / ".state" / "runner.json"

    def say(self, text: str) -> None:
        with self._lock:
            print(text, file=self.out, flush=True)

    def run(self) -> int:
        """Execute the run; return the exit code (0: all ran or skipped, 1: a step failed,
        130 or 143: interrupted by SIGINT or SIGTERM).

        Raises:
            RunnerError: another run holds the lock, or the lock path is not usable.
        """
        from digital_exports.report.html import git_state

        started = time.monotonic()
        lock = RunLock(lock_path_for(self.root))
        with lock, self._signals(lock):
            self._run_lock = lock
            # Read once: every report of this run states the same commit and dirty flag.
            self._git = git_state(self.root)
            remove_stale_runtimes()
            for folder in self._output_folders():
                remove_stale_temporaries(folder)
            state = self._load_state()
            pkg = package_digest()
            runtime = Path(tempfile.mkdtemp(prefix=f"{RUNTIME_PREFIX}{os.getpid()}-"))
            self._runtime = runtime
            try:
                if not self._stop.is_set():
                    self._prefetch_kernels(state, pkg, runtime)
                    self._schedule(state, pkg, runtime)
            finally:
                if self._stop.is_set():
                    self._kill_kernels()
                else:
                    self._shutdown_kernels()
                shutil.rmtree(runtime, ignore_errors=True)
                for folder in self._output_folders():
                    remove_stale_temporaries(folder)
                with self._lock:
                    snapshot = json.loads(json.dumps(state))
                self._save_state(snapshot)
            outcome = None
            if not self._stop.is_set():
                # What the run changed in data/processed/, and what each report read.
                from digital_exports.report import changes, freshness

                outcome = changes.record(self.root)
                # issue 12: codebook, datapackage.json and the workbook, from the schemas.
                from digital_exports.report import codebook

                codebook.publish(self.root)
                freshness.remember(
                    self.root,
                    [(j.stem, j.inputs) for j in self.jobs if j.status in ("ran", "skipped")],
                )
                self._write_index_and_manifest(time.monotonic() - started)
        counts = {
            s: sum(j.status == s for j in self.jobs)
            for s in ("ran", "skipped", "failed", "blocked", "interrupted")
        }
        summary = (
            f"{len(self.jobs)} steps, {counts['ran']} ran, {counts['skipped']} skipped, "
            f"{counts['failed']} failed, {counts['blocked']} blocked"
        )
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

    def _load_state(self) -> dict:
        try:
            return json.loads(self.state_path.read_text())
        except (OSError, ValueError):
            return {}

    def _save_state(self, state: dict) -> None:
        atomic_write(self.state_path, json.dumps(state, indent=1, sort_keys=True).encode())

    def _is_current(self, job: Job, state: dict, pkg: str) -> bool:
        """True when the job's last successful run had the same fingerprint and its outputs
        are on disk unchanged."""
        job.fingerprint = fingerprint(job, self.root, pkg)
        previous = state.get(job.key, {})
        recorded = previous.get("outputs", {})
        return (
            not self.force
            and previous.get("fingerprint") == job.fingerprint
            and all(
                p.is_file() and sha256_file(p) == recorded.get(p.relative_to(self.root).as_posix())
                for p in job.all_outputs(self.root)
            )
        )

    def _prefetch_kernels(self, state: dict, pkg: str, runtime: Path) -> None:
        """Start (in the background) as many warm kernels as the run will use, so that their
        start-up overlaps with the first notebooks instead of following them."""
        to_run: set[str] = set()
        for job in self.jobs:
            if job.step.name in to_run:
                continue
            upstream = any(a in to_run for a in job.step.after)
            if upstream or not self._is_current(job, state, pkg):
                to_run.add(job.step.name)
        n_jobs = sum(j.step.name in to_run for j in self.jobs)
        for worker in range(min(self.n_workers, n_jobs)):
            self._start_kernel(worker, runtime)
        if n_jobs:
            # papermill and nbconvert take about a second to import: do it while kernels start.
            threading.Thread(target=_preimport, daemon=True).start()

    def _start_kernel(self, worker: int, runtime: Path) -> Future:
        with self._lock:
            if worker not in self._kernels:
                env = self._run_lock.owner_env() if self._run_lock else {}
                kernel = WarmKernel(self.root, runtime, worker, env)
                self._all_kernels.append(kernel)
                self._kernels[worker] = _spawn(kernel.start)
            return self._kernels[worker]

    def _shutdown_kernels(self) -> None:
        """The end of a run that was not interrupted: shut every kernel down."""
        for fut in self._kernels.values():
            with contextlib.suppress(Exception):
                fut.result(timeout=120).shutdown()
        for kernel in self._all_kernels:
            kernel.kill(wait=1.0)
        _close_thread_loop()

    def _kill_kernels(self) -> None:
        for kernel in self._all_kernels:
            kernel.kill(wait=1.0)

    def _schedule(self, state: dict, pkg: str, runtime: Path) -> None:
        pending = list(self.jobs)
        running: dict[Future, Job] = {}
        free_workers = list(range(self.n_workers))
        while (pending or running) and not self._stop.is_set():
            for job in list(pending):
                deps = [j for s in job.step.after for j in self.jobs if j.step.name == s]
                if any(d.status in ("failed", "blocked", "interrupted") for d in deps):
                    job.status, job.message = "blocked", "an earlier step failed"
                    self.say(f"block {job.label}: an earlier step failed")
                    pending.remove(job)
                elif all(d.status in ("ran", "skipped") for d in deps) and free_workers:
                    pending.remove(job)
                    worker = free_workers.pop(0)
                    fut = _spawn(self._one, job, state, pkg, runtime, worker)
                    running[fut] = job
                    fut.worker = worker  # type: ignore[attr-defined]
            if not running:
                continue
            # A timeout, so that a signal is noticed within a tenth of a second.
            finished, _ = wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
            for fut in finished:
                job = running.pop(fut)
                free_workers.append(fut.worker)  # type: ignore[attr-defined]
                free_workers.sort()
                fut.result()
        if self._stop.is_set():
            self._interrupt(running)

    def _interrupt(self, running: dict[Future, Job]) -> None:
        """Stop the running notebooks: SIGINT to their kernels, at most
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

    def _one(self, job: Job, state: dict, pkg: str, runtime: Path, worker: int) -> None:
        if self._is_current(job, state, pkg):
            job.status = "skipped"
            job.outputs = state[job.key]["outputs"]
            if state[job.key].get("git") != list(self._git):
                self._refresh_footer(job, state)
                self.say(f"skip  {job.label} (unchanged; provenance footer refreshed)")
            else:
                self.say(f"skip  {job.label} (unchanged)")
            return
        outputs = job.all_outputs(self.root)
        self.say(f"start {job.label}")
        job.status = "running"
        t0 = time.monotonic()
        try:
            if self._stop.is_set():
                raise RunInterrupted
            self._execute(job, runtime, worker)
        except Exception as exc:
            job.seconds = time.monotonic() - t0
            if self._stop.is_set():
                job.status, job.message = "interrupted", "the run was interrupted"
                return
            job.status, job.message = "failed", str(exc)
            self.say(f"FAIL  {job.label} after {job.seconds:.1f} s\n{_indent(job.message)}")
            with self._lock:
                state.pop(job.key, None)
            return
        job.status, job.seconds = "ran", time.monotonic() - t0
        job.outputs = {
            p.relative_to(self.root).as_posix(): sha256_file(p) for p in outputs if p.is_file()
        }
        with self._lock:
            state[job.key] = {
                "fingerprint": job.fingerprint,
                "outputs": job.outputs,
                "git": list(self._git),
            }
        # A successful run of the step makes its earlier failed copy obsolete.
        (self.root / "reports" / "failed" / f"{job.stem}.ipynb").unlink(missing_ok=True)
        self.say(f"ran   {job.label} in {job.seconds:.1f} s")

    def _refresh_footer(self, job: Job, state: dict) -> None:
        """Export a job's executed notebook again, with this run's commit in its footer: a new
        commit that changes no input needs new footers, not a new run."""
        import nbformat

        nb = nbformat.read(job.executed_path(self.root), as_version=4)
        self._export_html(job, nb)
        job.outputs = {
            p.relative_to(self.root).as_posix(): sha256_file(p)
            for p in job.all_outputs(self.root)
            if p.is_file()
        }
        with self._lock:
            state[job.key] = {**state[job.key], "outputs": job.outputs, "git": list(self._git)}

    def _kernel(self, worker: int, runtime: Path) -> WarmKernel:
        fut = self._start_kernel(worker, runtime)
        while True:  # wake up now and then: an interrupted run does not wait for a kernel
            if self._stop.is_set():
                raise RunInterrupted
            with contextlib.suppress(FutureTimeout):
                kernel = fut.result(timeout=0.2)
                break
        kernel.reset()
        return kernel

    def _execute(self, job: Job, runtime: Path, worker: int) -> None:
        import nbformat
        import papermill
        from papermill.exceptions import PapermillExecutionError

        from digital_exports.run.notebooks import normalise

        kernel = self._kernel(worker, runtime)
        work = runtime / f"{job.stem}.ipynb"
        try:
            nb = papermill.execute_notebook(
                str(self.root / job.step.notebook),
                str(work),
                parameters=job.params,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                request_save_on_cell_execute=False,
                km=kernel.km,
                engine_name=_register_engine(),
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
        normalise(nb)
        atomic_write(job.executed_path(self.root), nbformat.writes(nb).encode("utf-8") + b"\n")
        self._export_html(job, nb)

    def _export_html(self, job: Job, nb: Any) -> None:
        from digital_exports.report import html as report

        figures_csv = self.root / "data" / "processed" / "releases.csv"
        release_ids = None
        if job.step.name == "60_verify_release":
            release_ids = [str(job.params.get("release", job.defaults.get("release")))]
        elif not figures_csv.is_file():
            release_ids = []
        prov = report.provenance_for(
            self.root, release_ids, job.params, job.defaults, git=self._git
        )
        out_dir = self.root / "reports" / "html"
        out_dir.mkdir(parents=True, exist_ok=True)
        report.export_notebook(nb, out_dir, job.stem, prov, title=job.label)

    def _current_reports(self, reports_dir: Path) -> list[tuple[Step, str, Path]]:
        """The reports on disk (this run's and earlier runs' with other parameters) whose
        parameters are still valid; a report made for a release that is no longer in
        ``data/raw/`` (or with any parameter now refused) is deleted, not linked."""
        found = []
        for reader in sorted((reports_dir / "html").glob("*.html")):
            if reader.name.endswith(".code.html"):
                continue
            stem = reader.name[: -len(".html")]
            step = STEP_BY_NAME.get(stem.split("__")[0])
            if step is None:
                continue
            try:
                validate(step.name, _params_of(reports_dir, step, stem), self.root)
            except ParameterError:
                for stale in (
                    reader,
                    reader.with_name(f"{stem}.code.html"),
                    reports_dir / "notebooks" / f"{stem}.ipynb",
                ):
                    stale.unlink(missing_ok=True)
                continue
            found.append((step, stem, reader))
        return found

    def _write_index_and_manifest(self, seconds: float) -> None:
        from digital_exports.report import changes, freshness
        from digital_exports.report import html as report

        reports_dir = self.root / "reports"
        entries = []
        for step, stem, reader in self._current_reports(reports_dir):
            slug_text = stem.split("__", 1)[1] if "__" in stem else ""
            entries.append(
                {
                    "title": step.title + (f" ({slug_text})" if slug_text else ""),
                    "reader": reader,
                    "code": reader.with_name(f"{stem}.code.html"),
                    "notebook": step.notebook,
                    "parameters": _params_of(reports_dir, step, stem),
                    "stale": freshness.is_stale(self.root, stem),
                }
            )
        charts = sorted((reports_dir / "figures").glob("*.png"))
        tables = sorted((self.root / "data" / "processed").glob("*.csv"))
        outputs_map = [
            {"output": o, "what": s.title, "notebook": s.notebook} for s in STEPS for o in s.outputs
        ]
        report.write_index(
            reports_dir / "index.html",
            PROJECT_TITLE,
            PROJECT_INTRO,
            data_vintage(self.root),
            entries,
            charts,
            tables,
            outputs_map,
            what_changed=changes.section_html(self.root),
        )
        manifest = {
            "git": {"commit": self._git[0], "dirty": self._git[1]},
            "python": sys.version.split()[0],
            "packages": report.package_versions(),
            "run_seconds": round(seconds, 2),
            "jobs": [
                {
                    "step": j.step.name,
                    "notebook": j.step.notebook,
                    "parameters": j.params,
                    "status": j.status,
                    "seconds": round(j.seconds, 2),
                    "message": j.message,
                    "inputs": j.inputs,
                    "outputs": j.outputs,
                }
                for j in self.jobs
            ],
        }
        atomic_write(
            reports_dir / "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode()
        )


def _params_of(reports_dir: Path, step: Step, stem: str) -> dict[str, Any]:
    """The parameters a report was made with, read back from its executed notebook."""
    root = reports_dir.parent
    path = (
        root / step.notebook if stem == step.name else reports_dir / "notebooks" / f"{stem}.ipynb"
    )
    defaults = notebook_defaults(root / step.notebook)
    try:
        given = json.loads(path.read_text())["metadata"].get("papermill", {}).get("parameters", {})
    except (OSError, ValueError, KeyError):
        given = {}
    return {**defaults, **given}


PROJECT_TITLE = "Morocco's exports of digital and outsourcing services: replication package"
PROJECT_INTRO = (
    "Every figure printed on Morocco's exports of IT, call-centre, engineering, business- and "
    "knowledge-process services (ITO, CRM, ESO, BPO, KPO), kept as printed with its source, "
    "read into an interval, reconciled across outlets and checked against every identity the "
    "data allow. The first target is the le360 article of 17 October 2025, reproduced number "
    "by number."
)


def data_vintage(root: Path) -> str:
    """The vintage of the data, read from the validated ``releases.csv`` (never ``data/raw/``):
    the latest release printing export figures, and the latest stating preliminary data."""
    from digital_exports.tables.release_table import data_vintage as vintage_of

    return vintage_of(root / "data" / "processed")


def _preimport() -> None:
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from digital_exports.report import html as report

    report._exporter(True)
    report._exporter(False)


def _close_thread_loop() -> None:
    """Close the asyncio loop that jupyter_client's sync wrappers left on this thread (each
    thread gets one and nobody closes it: its self-pipe sockets would leak)."""
    import asyncio

    with contextlib.suppress(RuntimeError):
        loop = asyncio.get_event_loop_policy().get_event_loop()
        if not loop.is_running() and not loop.is_closed():
            loop.close()
        asyncio.set_event_loop(None)


def _in_thread(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    finally:
        _close_thread_loop()


def _spawn(fn: Any, *args: Any) -> Future:
    """Run ``fn(*args)`` in a daemon thread; return its future. Unlike a thread pool's
    workers, a daemon thread stuck on a kernel that was killed never holds up the exit."""
    fut: Future = Future()

    def target() -> None:
        if not fut.set_running_or_notify_cancel():
            return
        try:
            fut.set_result(_in_thread(fn, *args))
        except BaseException as exc:
            fut.set_exception(exc)

    threading.Thread(target=target, daemon=True).start()
    return fut


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())


def _kind(value: object) -> str:
    """``a mapping``, ``a list``, ``an integer``... for a message about a YAML value."""
    kinds = {dict: "a mapping", list: "a list", int: "an integer", str: "a text", bool: "a boolean"}
    return kinds.get(type(value), f"a value of type {type(value).__name__}")


def load_param_file(path: Path) -> dict[str, list[dict[str, Any]]]:
    """A YAML parameter file: ``{step: [ {name: value}, ... ]}``, checked against that shape.

    Plain YAML only (no tags), at most :data:`MAX_PARAMETER_FILE_BYTES` bytes and
    :data:`MAX_PARAMETER_SETS` sets; each set a mapping of parameter names to integers or
    texts. The values are then checked against each notebook's parameters by
    :func:`plan_jobs`, where duplicate sets are merged.

    Raises:
        ParameterError: naming the file, the line, the step and the set, what was found and
            what was expected.
    """
    import yaml

    expected = "a mapping of step names to lists of parameter sets ({step: [{name: value}]})"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParameterError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_PARAMETER_FILE_BYTES:
        raise ParameterError(
            f"{path}: {len(data)} bytes; expected a parameter file of at most "
            f"{MAX_PARAMETER_FILE_BYTES} bytes"
        )
    try:
        text = data.decode("utf-8")
        tree = yaml.compose(text, Loader=yaml.SafeLoader)
        content = yaml.safe_load(text)
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path}: not UTF-8 (byte {exc.start}); expected {expected}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(
            f"{where}: {problem}; expected plain YAML (no tags such as !!python/...): {expected}"
        ) from None
    lines: dict[tuple[Any, ...], int] = {}
    if isinstance(tree, yaml.MappingNode):
        for key, value in tree.value:
            lines[(key.value,)] = key.start_mark.line + 1
            if isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    lines[(key.value, i)] = item.start_mark.line + 1

    def fail(where: tuple[Any, ...], found: str, wanted: str) -> ParameterError:
        line = lines.get(where) or lines.get(where[:1])
        at = f"{path}, line {line}" if line else str(path)
        what = (
            f" ({where[0]}, set {where[1] + 1})"
            if len(where) > 1
            else f" ({where[0]})"
            if where
            else ""
        )
        return ParameterError(f"{at}{what}: found {found}; expected {wanted}")

    if content is None:
        return {}
    if not isinstance(content, dict):
        raise fail((), f"{_kind(content)}", expected)
    sets: dict[str, list[dict[str, Any]]] = {}
    n_sets = 0
    for step, items in content.items():
        if not isinstance(step, str) or step not in STEP_BY_NAME:
            close = difflib.get_close_matches(str(step), list(STEP_BY_NAME), n=3)
            raise fail(
                (step,),
                f"step {step!r}",
                "one of " + ", ".join(close or STEP_BY_NAME),
            )
        if not isinstance(items, list):
            raise fail((step,), _kind(items), "a list of parameter sets")
        n_sets += len(items)
        if n_sets > MAX_PARAMETER_SETS:
            raise fail(
                (step,),
                f"more than {MAX_PARAMETER_SETS} parameter sets",
                f"at most {MAX_PARAMETER_SETS} sets in one file",
            )
        for i, item in enumerate(items):
            item = {} if item is None else item
            if not isinstance(item, dict):
                raise fail(
                    (step, i),
                    f"{_kind(item)} ({item!r})"[:120],
                    "a mapping of parameter names to values ({year: 2023})",
                )
            for name, value in item.items():
                if not isinstance(name, str):
                    raise fail((step, i), f"the name {name!r}", "parameter names as text")
                if type(value) not in (int, str):
                    raise fail(
                        (step, i),
                        f"{name} = {value!r} ({_kind(value)})"[:160],
                        "an integer or a text",
                    )
        sets[step] = [dict(item or {}) for item in items]
    return sets


def run(
    root: Path,
    cli_params: list[str],
    param_file: Path | None,
    force: bool,
    n_workers: int,
    out: Any = sys.stdout,
) -> int:
    """Plan, validate and execute a run; the command line's entry point."""
    jobs = plan_jobs(root, cli_params, load_param_file(param_file) if param_file else None)
    # Raw releases are validated before any kernel starts: a bad release stops the run with
    # one message (exit 2) and leaves every output as it was.
    from digital_exports.contract.releases import load_releases

    load_releases(root / "data" / "raw", root)
    return Runner(root, jobs, n_workers=max(1, n_workers), force=force, out=out).run()
