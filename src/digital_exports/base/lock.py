"""The run lock, ``reports/.runner.lock``: one writer of a project's outputs at a time.

The lock is an ``fcntl.flock`` on the open lock file, taken without waiting. The kernel
releases it when its holder dies, so a lock left by a killed run is simply free: there is no
"is that process still alive?" check to race on. The holder writes its process id into the
file (for the message the next run prints) and removes the file on release, but only if the
file at the path is still the one it locked; a process that locked a file its previous owner
has just removed sees that and starts again.

Kernels started by the runner inherit :data:`ENV_OWNER`, which names the lock and the
runner's process, so that a notebook writing ``data/processed/`` inside a run does not wait
for a lock its own run holds.
"""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path

#: ``<lock path>:<pid>`` in the environment of the kernels of the run holding the lock.
ENV_OWNER = "DIGITAL_EXPORTS_RUN_LOCK"

_ATTEMPTS = 100
#: The locks this process holds (resolved paths): its own writes go through.
_HELD: set[Path] = set()


class RunnerError(RuntimeError):
    """A run that cannot start: bad parameters, another run in progress."""


class LockError(RunnerError):
    """The run lock is held by another process, or its path cannot be a lock file."""


def lock_path_for(root: Path) -> Path:
    """The run lock of the project at ``root``."""
    return root / "reports" / ".runner.lock"


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "?"
    return text if text.isdigit() else "?"


class RunLock:
    """``with RunLock(path):`` holds the run lock for the block, or raises :class:`LockError`
    at once when another process holds it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> RunLock:
        """Take the lock.

        Raises:
            LockError: another process holds it (the message names its process id), or the
                path is a folder or something else that is not a regular file.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(_ATTEMPTS):
            try:
                fd = os.open(
                    self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o666
                )
            except OSError as exc:
                raise LockError(
                    f"{self.path}: cannot be used as the run lock ({exc.strerror}); expected a "
                    "regular file or nothing at that path. Remove what is there if no run is "
                    "in progress."
                ) from None
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                raise LockError(f"{self.path}: not a regular file; expected the run lock file")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise LockError(
                    f"another run (process {_holder(self.path)}) is in progress: it holds "
                    f"{self.path}. Wait for it to finish."
                ) from None
            # The previous holder may have removed the file between our open and our flock:
            # then we hold a lock on a file nobody else will ever open. Start again.
            try:
                now = os.stat(self.path, follow_symlinks=False)
            except FileNotFoundError:
                os.close(fd)
                continue
            mine = os.fstat(fd)
            if (now.st_dev, now.st_ino) != (mine.st_dev, mine.st_ino):
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            self._fd = fd
            _HELD.add(self.path.resolve())
            return self
        raise LockError(f"{self.path}: could not take the run lock after {_ATTEMPTS} attempts")

    def release(self) -> None:
        """Remove the lock file if it is still the one this process locked, and unlock it.
        Safe to call twice, and from a signal handler."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _HELD.discard(self.path.resolve())
        try:
            now = os.stat(self.path, follow_symlinks=False)
            mine = os.fstat(fd)
            if (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
                os.unlink(self.path)
        except OSError:
            pass
        finally:
            os.close(fd)

    def owner_env(self) -> dict[str, str]:
        """The environment entry that tells this run's kernels that their run holds the lock."""
        return {ENV_OWNER: f"{self.path.resolve()}:{os.getpid()}"}

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def held_by_my_run(path: Path) -> bool:
    """True when this process holds the lock at ``path``, or is a kernel of the run that holds
    it: the environment names that lock and the process id written in it."""
    if path.resolve() in _HELD:
        return True
    owner = os.environ.get(ENV_OWNER, "")
    lock, _, pid = owner.rpartition(":")
    if not lock or not pid.isdigit():
        return False
    try:
        same = Path(lock) == path.resolve()
    except OSError:
        return False
    return same and _holder(path) == pid
