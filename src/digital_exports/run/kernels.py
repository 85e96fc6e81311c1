"""Warm kernels: started by the runner with IPC transport in a private folder, the heavy imports
done once per worker, a papermill engine that runs notebooks on them, and the threads that wait
on them without ever holding up an interrupted run."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from digital_exports.run.notebooks import KERNEL_NAME


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            state = f.read().rsplit(")", 1)[-1].split()[0]
        return state not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the system
        return _alive(pid)


class WarmKernel:
    """A kernel started with IPC transport in a private folder, with the heavy imports done
    once; :meth:`reset` gives the next notebook a clean namespace.

    A kernel started with ``charts`` also imports matplotlib (with the inline backend, about
    0.35 s) and the chart module before it is taken; one without is ready that much sooner, and
    its first notebook that draws imports them itself.
    """

    #: What every notebook uses: pandas and the notebooks' modules (``digital_exports.notebook``).
    WARM_UP = (
        "import pandas, IPython.display\n"
        "import digital_exports.notebook as _nb\n"
        "[getattr(_nb, _m) for _m in _nb.MODULES if _m != 'charts']\n"
        "del _nb\n"
    )
    #: What the notebooks that draw use besides.
    WARM_UP_CHARTS = (
        "import matplotlib, matplotlib.pyplot\n"
        "get_ipython().run_line_magic('matplotlib', 'inline')\n"
        "import digital_exports.analysis.charts\n"
    )
    #: Last: the pandas options every notebook starts from.
    WARM_UP_END = "import digital_exports.run.kernels as _k\n_k.remember_pandas_options()\ndel _k"
    #: A clean namespace and pandas' options as they were after the warm-up: only the options
    #: a notebook changed are set back (``pandas.reset_option('all')`` takes 0.4 s).
    RESET = (
        "get_ipython().run_line_magic('reset', '-f')\n"
        "import digital_exports.run.kernels as _k\n"
        "_k.restore_pandas_options()\n"
        "del _k\n"
    )

    def __init__(
        self, root: Path, runtime: Path, index: int, env: dict[str, str], charts: bool = True
    ) -> None:
        from jupyter_client.manager import KernelManager

        folder = runtime / f"kernel-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.env = env
        self.worker = index  # the runner's worker this kernel serves
        self.km = KernelManager(
            kernel_name=KERNEL_NAME,
            transport="ipc",
            ip=str(folder / "ipc"),
            connection_file=str(folder / "connection.json"),
        )
        self.charts = charts
        self.used = False
        self.ready = False
        self.kc: Any = None  # the one client of the kernel, ready once warmed up
        self.pid: int | None = None
        self._killed = False
        self._guard = threading.Lock()

    def start(self) -> WarmKernel:
        """Start the kernel process and do the heavy imports (:meth:`launch`, then
        :meth:`warm_up`)."""
        self.launch()
        return self.warm_up()

    def launch(self) -> None:
        """Start the kernel process; a kernel killed meanwhile (the run was interrupted) is not
        started, or is killed as soon as its process exists."""
        with self._guard:
            if self._killed:
                raise RunInterrupted("the run was interrupted before this kernel started")
            self.km.start_kernel(
                cwd=str(self.root),
                env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", **self.env},
            )
            self.pid = getattr(self.km.provisioner, "pid", None)
            if self._killed:  # while it launched; kill() may have given up waiting for it
                if self.pid is not None:
                    with contextlib.suppress(OSError):
                        os.killpg(self.pid, signal.SIGKILL)
                self.close()
                raise RunInterrupted("the run was interrupted while this kernel started")

    def warm_up(self) -> WarmKernel:
        """Wait for the launched kernel to answer and do the heavy imports. A kernel killed
        meanwhile (the run stopped) closes its sockets: nothing else uses them."""
        try:
            self._run(
                self.WARM_UP + (self.WARM_UP_CHARTS if self.charts else "") + self.WARM_UP_END
            )
        except BaseException:
            if self._killed:
                self.close()
            raise
        self.ready = True
        return self

    def interrupt(self) -> None:
        """SIGINT to the kernel's process group: the running cell stops with KeyboardInterrupt
        (so ``finally`` blocks, such as the removal of staged files, run). A kernel still
        starting is left alone: it runs no notebook, and is killed next."""
        if self.pid is not None and self.ready:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGINT)

    def died(self) -> bool:
        """Whether the kernel's process has ended (killed, crashed) although nobody stopped
        it: its notebook would otherwise wait for a reply that never comes."""
        if self.pid is None or self._killed:
            return False
        return not process_alive(self.pid)

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
        """Connect the kernel's one client (ready once the kernel answers: jupyter_client's
        ``wait_for_ready``) and run ``code`` on it. One client for all the kernel's notebooks:
        each new client would wait 0.2 s for IOPub to stay quiet (1.2 s of a 4.3 s cold run)."""
        kc = self.km.client()
        kc.start_channels()
        self.kc = kc
        kc.wait_for_ready(timeout=60)
        _execute_quietly(kc, code, "kernel set-up")

    def take(self) -> Any:
        """Claim the kernel for the next notebook: its client, the namespace and pandas' options
        first made clean again when an earlier notebook ran on it."""
        if self.used:
            _execute_quietly(self.kc, self.RESET, "kernel reset")
        self.used = True
        return self.kc

    def shutdown(self) -> None:
        """Stop the kernel at the end of a run: kill its process group and reap it, then remove
        its connection file and sockets. Not ``km.shutdown_kernel(now=True)``, which kills it
        too but then polls every 0.1 s for its end."""
        self.kill(wait=1.0)
        self.close()

    def close(self) -> None:
        """Stop the kernel's client, remove the kernel's connection file and sockets and close its
        ZeroMQ context (once it is dead)."""
        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
        with contextlib.suppress(Exception):
            self.km.cleanup_resources()


def _execute_quietly(kc: Any, code: str, what: str) -> None:
    reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{what} failed: {reply['content'].get('evalue')}")


_PANDAS_OPTIONS: dict[str, Any] = {}


def _option_keys(node: Any, prefix: str = "") -> list[str]:
    """Every option under ``node`` of the public tree ``pandas.options`` (dotted names)."""
    keys = []
    for name in dir(node):
        value = getattr(node, name)
        if type(value) is type(node):
            keys += _option_keys(value, f"{prefix}{name}.")
        else:
            keys.append(prefix + name)
    return keys


def remember_pandas_options() -> None:
    """In a kernel: remember every pandas option's value (after the warm-up). Deprecated options
    warn when read; they are remembered all the same."""
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key in _option_keys(pd.options):
            _PANDAS_OPTIONS[key] = pd.get_option(key)


def restore_pandas_options() -> None:
    """In a kernel: set back the pandas options a notebook changed (0.4 ms; resetting them all,
    ``pandas.reset_option('all')``, takes 90 ms)."""
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, value in _PANDAS_OPTIONS.items():
            if pd.get_option(key) != value:
                pd.set_option(key, value)


def register_engine() -> str:
    """Register (once) a papermill engine that runs a notebook on a warm kernel the runner owns.

    Papermill's documented extension point: a subclass of ``papermill.engines.Engine`` that
    implements ``execute_managed_notebook``. It hands papermill's own notebook client the
    kernel's manager and the kernel's client, ready and reset (nbclient starts a client only
    when it has none, and leaves it open on a kernel it does not own).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines

    class WarmKernelEngine(Engine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            kernel: WarmKernel | None = None,
            **kwargs: Any,
        ) -> Any:
            if kernel is None:
                raise ValueError(f"the {ENGINE_NAME} engine runs on a warm kernel: pass kernel=")
            client = PapermillNotebookClient(
                nb_man,
                km=kernel.km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client.kc = kernel.take()
            return client.execute()

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    return ENGINE_NAME


ENGINE_NAME = "digital-exports-warm"


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


def preimport() -> None:
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from digital_exports.report import html as report

    report.exporter(True)
    report.exporter(False)


def close_thread_loop() -> None:
    """Close the asyncio loop that jupyter_client's sync wrappers left on this thread (each
    thread gets one and nobody closes it: its self-pipe sockets would leak)."""
    if "asyncio" not in sys.modules:
        return  # nothing can have left a loop (a run where nothing ran: 0.02 s not spent)
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
        close_thread_loop()


def spawn(fn: Any, *args: Any) -> Future:
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
