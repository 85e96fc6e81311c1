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
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from digital_exports.run.notebooks import KERNEL_NAME


class WarmKernel:
    """A kernel started with IPC transport in a private folder, with the heavy imports done
    once; :meth:`reset` gives the next notebook a clean namespace.

    A kernel started with ``charts`` also imports matplotlib (with the inline backend, about
    0.35 s) and the chart module before it is taken; one without is ready that much sooner, and
    its first notebook that draws imports them itself.
    """

    #: What every notebook uses: pandas and the package's data and analysis modules.
    WARM_UP = (
        "import pandas, IPython.display\n"
        "import digital_exports.analysis.analyses, digital_exports.analysis.readers, "
        "digital_exports.contract.releases, digital_exports.model.build, "
        "digital_exports.model.checks, digital_exports.run.params, digital_exports.run.steps, "
        "digital_exports.tables.ingest\n"
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
        self.km = KernelManager(
            kernel_name=KERNEL_NAME,
            transport="ipc",
            ip=str(folder / "ipc"),
            connection_file=str(folder / "connection.json"),
        )
        self.charts = charts
        self.used = False
        self.ready = False
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
            # Not ``kc.wait_for_ready``: after the kernel answers, it waits for IOPub to stay
            # quiet for 0.2 s, which the first notebook would wait for too.
            _answering(kc, timeout=60, alive=self.km.is_alive)
            reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue')}")
        finally:
            kc.stop_channels()

    def take(self) -> str:
        """Claim the kernel for the next notebook; return the code that gives that notebook a
        clean namespace (empty for the kernel's first notebook), which the engine runs on its
        own client before the first cell: a client of its own would cost a connection and the
        0.2 s that jupyter_client waits for IOPub to be quiet."""
        code = self.RESET if self.used else ""
        self.used = True
        return code

    def shutdown(self) -> None:
        """Stop the kernel at the end of a run: kill its process group and reap it, then remove
        its connection file and sockets. Not ``km.shutdown_kernel(now=True)``, which kills it
        too but then polls every 0.1 s for its end."""
        self.kill(wait=1.0)
        self.close()

    def close(self) -> None:
        """Remove the kernel's connection file and sockets and close its ZeroMQ context (once
        it is dead and no client uses it)."""
        with contextlib.suppress(Exception):
            self.km.cleanup_resources()


_PANDAS_OPTIONS: dict[str, Any] = {}


def remember_pandas_options() -> None:
    """In a kernel: remember every pandas option's value (after the warm-up)."""
    import pandas as pd
    from pandas._config import config  # the registry of options; pandas has no public list

    registry: Any = config
    for key in registry._registered_options:
        if key not in registry._deprecated_options:
            _PANDAS_OPTIONS[key] = pd.get_option(key)


def restore_pandas_options() -> None:
    """In a kernel: set back the pandas options a notebook changed."""
    import pandas as pd

    for key, value in _PANDAS_OPTIONS.items():
        if pd.get_option(key) != value:
            pd.set_option(key, value)


def _answering(kc: Any, timeout: float, alive: Callable[[], bool] | None = None) -> None:
    """Wait until a new client's channels reach the kernel: the ``idle`` status of one of its
    ``kernel_info`` requests arrives on IOPub (so the request went through the shell channel
    and no output of the next request can be missed on IOPub).

    IOPub connects on its own time: a status published before is lost. So another request is
    sent as soon as IOPub says it has just connected (ipykernel's ``iopub_welcome``), and when
    nothing comes within 0.1 s, then 0.2 s, ... (a kernel still starting or without that
    message, a busy machine); the idle status of any of them will do. Waiting 0.5 s for each
    lost status cost about 0.5 s at every kernel start: the first request is usually answered
    before IOPub is connected. The replies on the shell channel are left to the client's next
    reader, which skips replies to other requests (jupyter_client and nbclient do).

    Args:
        kc: the kernel client, its channels started.
        timeout: seconds to wait at most.
        alive: when given, asked whenever nothing came: a kernel that died is not waited for.

    Raises:
        RuntimeError: when the kernel does not answer within ``timeout`` seconds, or died.
    """
    import queue
    import time

    deadline = time.monotonic() + timeout
    sent = {kc.kernel_info()}
    wait_status = 0.1
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=wait_status)
        except queue.Empty:
            if alive is not None and not alive():
                raise RuntimeError("the kernel died before it answered") from None
            sent.add(kc.kernel_info())
            wait_status = min(2 * wait_status, 1.0)
            continue
        if msg["msg_type"] == "iopub_welcome":
            sent.add(kc.kernel_info())  # connected just now: earlier statuses may be lost
        elif (
            msg["parent_header"].get("msg_id") in sent
            and msg["msg_type"] == "status"
            and msg["content"].get("execution_state") == "idle"
        ):
            return
    raise RuntimeError(f"the kernel did not answer within {timeout} s")


def register_engine() -> str:
    """Register (once) a papermill engine that runs on a kernel the runner owns and closes its
    own client channels afterwards (papermill's default engine leaves them open when it does not
    own the kernel)."""
    from jupyter_core.utils import ensure_async, run_sync
    from nbclient.util import run_hook
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class _ResettingClient(PapermillNotebookClient):
        """A notebook client for a warm kernel: it checks the kernel answers without
        jupyter_client's fixed 0.2 s waits for IOPub to be quiet (:func:`_answering`), then
        runs ``reset_code``."""

        reset_code = ""

        async def async_start_new_kernel_client(self) -> Any:
            self.kc = self.km.client()
            await ensure_async(self.kc.start_channels())
            _answering(self.kc, timeout=self.startup_timeout)  # blocking, on this thread's loop
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            kc = self.kc
            if self.reset_code:
                reply = await ensure_async(
                    kc.execute_interactive(
                        self.reset_code, timeout=120, output_hook=lambda msg: None
                    )
                )
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"kernel reset failed: {reply['content'].get('evalue')}")
            return kc

        # nbclient's synchronous wrapper is bound to the base class's coroutine.
        start_new_kernel_client = run_sync(async_start_new_kernel_client)

    class WarmKernelEngine(NBClientEngine):
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
            reset_code: str = "",
            **kwargs: Any,
        ) -> Any:
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
            client = _ResettingClient(nb_man, **final)
            client.reset_code = reset_code
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

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

    report._exporter(True)
    report._exporter(False)


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
