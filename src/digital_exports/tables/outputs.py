"""Writing outputs: deterministic bytes, all or nothing, readable as the umask says.

Every file the pipeline writes (tables, notebooks, charts, HTML, the index, the manifest) goes
through :func:`atomic_write` or :func:`write_tables`: the bytes are written to a temporary file
in the target's own folder, given the mode an ordinary ``open()`` would give (``0o666`` less
the umask; ``mkstemp`` alone gives ``0o600``, which colleagues on a shared server cannot read),
and renamed over the target. An interrupted write leaves the old file, never a partial one.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported only where a table is written
    import pandas as pd

#: The name a staged temporary file gets: ``.<target name>.<random>.tmp`` beside its target.
TEMP_SUFFIX = ".tmp"

_umask_lock = threading.Lock()


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows (``/proc``), else by
    setting and restoring it under a lock."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from ``open()``: ``0o666`` less the umask."""
    return 0o666 & ~_umask()


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path``, with :func:`file_mode`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), file_mode())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


class WritesStopped(RuntimeError):
    """A write asked for after :func:`stop_writes` (the run was interrupted)."""


_STOPPED = threading.Event()


def stop_writes() -> None:
    """From now on, :func:`atomic_write` refuses to stage or rename anything in this process:
    an interrupted run's threads (an export, the data package) may still be running, and no
    output may be renamed into place, nor a staged file left behind, after the signal."""
    _STOPPED.set()


def allow_writes() -> None:
    """Undo :func:`stop_writes` (a new run in the same process)."""
    _STOPPED.clear()


def _check_writes(path: Path) -> None:
    if _STOPPED.is_set():
        raise WritesStopped(f"{path.name}: not written, the run was interrupted")


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    The folder is created if missing. A file whose bytes would not change is not touched (its
    mode and time stay as they are).

    Returns:
        ``path``.

    Raises:
        WritesStopped: the run was interrupted (:func:`stop_writes`); nothing was written.
    """
    _check_writes(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == data:
        return path
    tmp = _stage(path, data)
    try:
        _check_writes(path)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files that an interrupted write left in ``folder`` (not below it).

    Only names of the form ``.<name>.<random>.tmp`` are touched; the caller must hold the
    run lock, so that no other writer is staging files there at the same time.
    """
    gone = []
    if folder.is_dir():
        for p in folder.iterdir():
            if re.fullmatch(r"\..+\.[A-Za-z0-9_]{8}\.tmp", p.name) and p.is_file():
                p.unlink(missing_ok=True)
                gone.append(p)
    return gone


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table to ``out_dir/<name>`` atomically, validated and encoded by its schema
    (:func:`digital_exports.tables.io.encode_table`: UTF-8, ``\\n`` line ends, shortest
    round-trip floats, ``true``/``false``, open bounds as empty cells), so that the same table
    always gives the same bytes and a table that does not match its declaration is never written.

    Every table is first serialised and written to a temporary file in ``out_dir``; only when all
    are written are they renamed into place, so a failure leaves ``out_dir`` as it was. A file
    whose bytes would not change is not touched. When ``out_dir`` is a project's
    ``data/processed/``, the write holds the project's run lock (or runs inside the run that
    holds it), so that a notebook run by hand cannot write under a running pipeline.

    Returns:
        The paths written or left unchanged, in the order given.

    Raises:
        digital_exports.lock.LockError: when another process holds the project's run lock.
        digital_exports.tables.io.SchemaError: when a table does not match its schema (nothing
            is written).
    """
    from digital_exports.tables.io import encode_table

    out_dir.mkdir(parents=True, exist_ok=True)
    with _processed_guard(out_dir):
        staged: list[tuple[Path, Path]] = []
        try:
            for name, table in tables.items():
                target = out_dir / name
                data = encode_table(name, table)
                if target.is_file() and target.read_bytes() == data:
                    continue
                staged.append((_stage(target, data), target))
        except BaseException:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            raise
        for tmp, target in staged:
            os.replace(tmp, target)
    return [out_dir / name for name in tables]


@contextlib.contextmanager
def _processed_guard(out_dir: Path) -> Iterator[None]:
    """Hold the run lock of the project whose ``data/processed/`` is ``out_dir``, unless this
    process runs inside the run that holds it; elsewhere, do nothing."""
    from digital_exports.base.lock import RunLock, held_by_my_run, lock_path_for

    folder = out_dir.resolve()
    if folder.name != "processed" or folder.parent.name != "data":
        yield
        return
    root = folder.parent.parent
    if not (root / "data" / "raw").is_dir():
        yield
        return
    lock = lock_path_for(root)
    if held_by_my_run(lock):
        yield
        return
    with RunLock(lock):
        yield
