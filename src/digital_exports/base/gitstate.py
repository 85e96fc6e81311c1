"""What git has committed: the files at ``HEAD`` and their bytes, or None where there is no git.

Raw files committed at ``HEAD`` are immutable; the change report compares the processed tables
with their committed versions. Every function here answers None (not an error) when git is
missing, the folder is not the top level of a repository (a project inside another repository
is not that repository), or the repository has no commit yet.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _prefix(root: Path) -> str | None:
    """``""`` when ``root`` is the top level of its own repository; None otherwise. A project
    unpacked inside another repository (a vendored replication package) is not that
    repository: its commit is unknown, and nothing in it counts as committed."""
    out = _git(root, "rev-parse", "--show-prefix")
    return "" if out is not None and not out.decode().strip() else None


def committed_files(root: Path, under: str) -> set[str] | None:
    """The files committed at ``HEAD`` below ``root/under``, as POSIX paths relative to
    ``root/under``; None when there is no repository or no commit."""
    prefix = _prefix(root)
    if prefix is None or _git(root, "rev-parse", "--verify", "-q", "HEAD") is None:
        return None
    out = _git(root, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", under)
    if out is None:
        return None
    base = prefix + under.rstrip("/") + "/"
    return {p[len(base) :] for p in out.decode().split("\0") if p.startswith(base)}


def committed_bytes(root: Path, path: str) -> bytes | None:
    """The bytes of ``root/path`` as committed at ``HEAD``; None when it is not committed or
    there is no repository."""
    prefix = _prefix(root)
    if prefix is None:
        return None
    return _git(root, "show", f"HEAD:{prefix}{path}")


def head_commit(root: Path) -> str | None:
    """The commit at ``HEAD`` of the repository ``root`` is the top of, or None."""
    if _prefix(root) is None:
        return None
    out = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    return None if out is None else out.decode().strip()


def git_state(root: Path) -> tuple[str, bool]:
    """The commit checked out in ``root`` and whether the working tree has uncommitted changes:
    ``("unknown", False)`` when git is missing or ``root`` is not in a repository. The runner
    reads this once, when a run starts, and gives it to every report of the run."""
    commit = head_commit(root)
    status = _git(root, "status", "--porcelain") if commit else None
    return commit or "unknown", bool(status and status.strip())
