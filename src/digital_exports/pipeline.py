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
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digital_exports.notebooks import KERNEL_NAME
from digital_exports.params import SPECS, ParameterError, notebook_defaults, validate

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


class RunnerError(RuntimeError):
    """A run that cannot start: bad parameters, another run in progress."""


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
        return "__".join(f"{k}-{v}" for k, v in sorted(self.params.items()))

    @property
    def stem(self) -> str:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", self.slug)
        return self.step.name if self.is_default else f"{self.step.name}__{safe}"

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
        values = {**self.defaults, **self.params}
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

    Raises:
        ParameterError: an unknown name, an ill-typed or disallowed value, an unknown step.
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
    for step in param_sets or {}:
        if step not in STEP_BY_NAME:
            raise ParameterError(
                f"parameter file names step {step!r}; expected one of {', '.join(STEP_BY_NAME)}"
            )
    jobs = []
    for step in STEPS:
        defaults = notebook_defaults(root / step.notebook)
        mine = {
            k: typed_value(step.name, k, v) for k, v in overrides.items() if k in SPECS[step.name]
        }
        sets = (param_sets or {}).get(step.name) or [{}]
        for extra in sets:
            params = {**mine, **(extra or {})}
            validate(step.name, params)
            # A value equal to the default is the default run.
            params = {k: v for k, v in params.items() if defaults.get(k) != v}
            jobs.append(Job(step, params, defaults))
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
    pkg = Path(__file__).resolve().parent
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
        "import digital_exports.analysis, digital_exports.charts, "
        "digital_exports.pipeline_steps, digital_exports.params"
    )
    RESET = (
        "get_ipython().run_line_magic('reset', '-f')\n"
        "import pandas as _pd, warnings as _w\n"
        "with _w.catch_warnings():\n"
        "    _w.simplefilter('ignore')\n"
        "    _pd.reset_option('all')\n"
        "del _pd, _w\n"
    )

    def __init__(self, root: Path, runtime: Path, index: int) -> None:
        from jupyter_client.manager import KernelManager

        folder = runtime / f"kernel-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        self.km = KernelManager(
            kernel_name=KERNEL_NAME,
            transport="ipc",
            ip=str(folder / "ipc"),
            connection_file=str(folder / "connection.json"),
        )
        self.km.start_kernel(
            cwd=str(root), env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        )
        self._run(self.WARM_UP)
        self.used = False

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


class RunLock:
    """``reports/.runner.lock``: refuses a second run while one is in progress."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pid = self.path.read_text().strip() or "?"
            if pid.isdigit() and not _alive(int(pid)):
                self.path.unlink(missing_ok=True)  # a run that died: take over
                return self.__enter__()
            raise RunnerError(
                f"another run (process {pid}) is in progress: {self.path} exists. "
                "Wait for it to finish, or delete the file if that process is "
                "gone."
            ) from None
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        return self

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


@dataclass
class Runner:
    """Runs a list of jobs; see the module docstring."""

    root: Path
    jobs: list[Job]
    n_workers: int = 2
    force: bool = False
    out: Any = sys.stdout
    _kernels: dict[int, Future] = field(default_factory=dict)
    _starter: ThreadPoolExecutor | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def state_path(self) -> Path:
        return self.root / "reports" / ".state" / "runner.json"

    def say(self, text: str) -> None:
        with self._lock:
            print(text, file=self.out, flush=True)

    def run(self) -> int:
        """Execute the run; return the exit code (0: all ran or skipped, 1: a step failed)."""
        started = time.monotonic()
        with RunLock(self.root / "reports" / ".runner.lock"), self._signals():
            state = self._load_state()
            pkg = package_digest()
            runtime = Path(tempfile.mkdtemp(prefix="digital-exports-kernels-"))
            self._starter = ThreadPoolExecutor(max_workers=self.n_workers)
            try:
                self._prefetch_kernels(state, pkg, runtime)
                self._schedule(state, pkg, runtime)
            finally:
                self._shutdown_kernels()
                self._starter.shutdown(wait=True)
                shutil.rmtree(runtime, ignore_errors=True)
                self._save_state(state)
            # issue 10: what the run changed in data/processed/, and what each report read.
            from digital_exports import changes, freshness

            outcome = changes.record(self.root)
            freshness.remember(
                self.root, [(j.stem, j.inputs) for j in self.jobs if j.status in ("ran", "skipped")]
            )
            self._write_index_and_manifest(time.monotonic() - started)
        counts = {
            s: sum(j.status == s for j in self.jobs)
            for s in ("ran", "skipped", "failed", "blocked")
        }
        self.say(
            f"done: {len(self.jobs)} steps, {counts['ran']} ran, {counts['skipped']} "
            f"skipped, {counts['failed']} failed, {counts['blocked']} blocked in "
            f"{time.monotonic() - started:.1f} s"
        )
        self.say(outcome.line)
        return 1 if counts["failed"] or counts["blocked"] else 0

    @contextlib.contextmanager
    def _signals(self) -> Iterator[None]:
        def on_term(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, on_term)
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, previous)

    def _load_state(self) -> dict:
        try:
            return json.loads(self.state_path.read_text())
        except (OSError, ValueError):
            return {}

    def _save_state(self, state: dict) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.state_path, json.dumps(state, indent=1, sort_keys=True).encode())

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
                assert self._starter is not None
                self._kernels[worker] = self._starter.submit(
                    _in_thread, WarmKernel, self.root, runtime, worker
                )
            return self._kernels[worker]

    def _shutdown_kernels(self) -> None:
        for fut in self._kernels.values():
            with contextlib.suppress(Exception):
                fut.result().shutdown()
        _close_thread_loop()

    def _schedule(self, state: dict, pkg: str, runtime: Path) -> None:
        pending = list(self.jobs)
        running: dict[Future, Job] = {}
        free_workers = list(range(self.n_workers))
        with ThreadPoolExecutor(max_workers=self.n_workers) as pool:
            try:
                while pending or running:
                    for job in list(pending):
                        deps = [j for s in job.step.after for j in self.jobs if j.step.name == s]
                        if any(d.status in ("failed", "blocked") for d in deps):
                            job.status, job.message = "blocked", "an earlier step failed"
                            self.say(f"block {job.label}: an earlier step failed")
                            pending.remove(job)
                        elif all(d.status in ("ran", "skipped") for d in deps) and free_workers:
                            pending.remove(job)
                            worker = free_workers.pop(0)
                            fut = pool.submit(
                                _in_thread, self._one, job, state, pkg, runtime, worker
                            )
                            running[fut] = job
                            fut.worker = worker  # type: ignore[attr-defined]
                    if not running:
                        continue
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        job = running.pop(fut)
                        free_workers.append(fut.worker)  # type: ignore[attr-defined]
                        free_workers.sort()
                        fut.result()
            except KeyboardInterrupt:
                self.say("interrupted: stopping kernels; committed outputs are left as they were")
                self._shutdown_kernels()
                raise

    def _one(self, job: Job, state: dict, pkg: str, runtime: Path, worker: int) -> None:
        if self._is_current(job, state, pkg):
            job.status = "skipped"
            job.outputs = state[job.key]["outputs"]
            self.say(f"skip  {job.label} (unchanged)")
            return
        outputs = job.all_outputs(self.root)
        self.say(f"start {job.label}")
        t0 = time.monotonic()
        try:
            self._execute(job, runtime, worker)
        except Exception as exc:
            job.status, job.seconds = "failed", time.monotonic() - t0
            job.message = str(exc)
            self.say(f"FAIL  {job.label} after {job.seconds:.1f} s\n{_indent(job.message)}")
            state.pop(job.key, None)
            return
        job.status, job.seconds = "ran", time.monotonic() - t0
        job.outputs = {
            p.relative_to(self.root).as_posix(): sha256_file(p) for p in outputs if p.is_file()
        }
        state[job.key] = {"fingerprint": job.fingerprint, "outputs": job.outputs}
        # A successful run of the step makes its earlier failed copy obsolete.
        (self.root / "reports" / "failed" / f"{job.stem}.ipynb").unlink(missing_ok=True)
        self.say(f"ran   {job.label} in {job.seconds:.1f} s")

    def _kernel(self, worker: int, runtime: Path) -> WarmKernel:
        kernel = self._start_kernel(worker, runtime).result()
        kernel.reset()
        return kernel

    def _execute(self, job: Job, runtime: Path, worker: int) -> None:
        import nbformat
        import papermill
        from papermill.exceptions import PapermillExecutionError

        from digital_exports.notebooks import normalise

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
            failed = self.root / "reports" / "failed" / f"{job.stem}.ipynb"
            failed.parent.mkdir(parents=True, exist_ok=True)
            if work.is_file():
                shutil.copyfile(work, failed)
            raise RuntimeError(
                f"{job.step.notebook}, cell {exc.cell_index} (execution count "
                f"{exc.exec_count}): {exc.ename}: {exc.evalue}\n"
                f"the executed copy is kept in {failed.relative_to(self.root).as_posix()}; "
                "earlier outputs are untouched"
            ) from None
        normalise(nb)
        target = job.executed_path(self.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, nbformat.writes(nb).encode("utf-8") + b"\n")
        self._export_html(job, nb)

    def _export_html(self, job: Job, nb: Any) -> None:
        from digital_exports import report

        figures_csv = self.root / "data" / "processed" / "releases.csv"
        release_ids = None
        if job.step.name == "60_verify_release":
            release_ids = [job.params.get("release", job.defaults.get("release"))]
        elif not figures_csv.is_file():
            release_ids = []
        prov = report.provenance_for(self.root, release_ids, job.params, job.defaults)
        out_dir = self.root / "reports" / "html"
        out_dir.mkdir(parents=True, exist_ok=True)
        report.export_notebook(nb, out_dir, job.stem, prov, title=job.label)

    def _write_index_and_manifest(self, seconds: float) -> None:
        from digital_exports import changes, freshness, report

        reports_dir = self.root / "reports"
        entries = []
        # Every report on disk, this run's or an earlier one's (other parameter sets).
        for reader in sorted((reports_dir / "html").glob("*.html")):
            if reader.name.endswith(".code.html"):
                continue
            stem = reader.name[: -len(".html")]
            step = STEP_BY_NAME.get(stem.split("__")[0])
            if step is None:
                continue
            slug = stem.split("__", 1)[1] if "__" in stem else ""
            entries.append(
                {
                    "title": step.title + (f" ({slug})" if slug else ""),
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
            "git": {
                "commit": _git(self.root, "rev-parse", "HEAD") or "unknown",
                "dirty": bool(_git(self.root, "status", "--porcelain")),
            },
            "python": sys.version.split()[0],
            "packages": report.provenance_for(self.root, [], {}, {}).versions,
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
        _atomic_write(
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
    from digital_exports.release_table import data_vintage as vintage_of

    return vintage_of(root / "data" / "processed")


def _preimport() -> None:
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from digital_exports import report

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


def _atomic_write(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())


def load_param_file(path: Path) -> dict[str, list[dict]]:
    """A YAML parameter file: ``{step: [ {name: value}, ... ]}``."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ParameterError(f"{path}: expected a mapping of step names to lists of parameter sets")
    return data


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
    from digital_exports.releases import load_releases

    load_releases(root / "data" / "raw", root)
    return Runner(root, jobs, n_workers=max(1, n_workers), force=force, out=out).run()
