"""A copy of the project under git, and the command line run in it, as a transcriber uses it."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


#: What a copy of a project without git (an archive) leaves out: what the project makes.
_NOT_SOURCE = frozenset(
    {
        ".git",
        ".venv",
        "reports",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
        "build",
        "dist",
    }
)


def _project_files() -> list[str]:
    """The project's files: those git tracks or does not ignore, or, in a copy without git
    (the package unpacked from an archive), every file but what the project makes."""
    if (ROOT / ".git").exists():
        listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        return [rel for rel in listed.split("\0") if rel and (ROOT / rel).is_file()]
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in ROOT.rglob("*")
        if p.is_file()
        and not _NOT_SOURCE & set(p.relative_to(ROOT).parts)
        and not any(part.endswith(".egg-info") for part in p.relative_to(ROOT).parts)
    )


def git_copy(dest: Path) -> Path:
    """The project's files (tracked, and new ones git does not ignore, such as a release being
    added), as they are in the working tree, committed in a new repository at ``dest``; from a
    copy without git, every source file. The tests about git work in this new repository, so
    they run from an archive of the project too."""
    for rel in _project_files():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "copy")
    return dest


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m digital_exports ARGS`` run from ``root``, in this process (``main(argv)``):
    the same parsing, messages and exit codes without a new interpreter importing pandas each
    time. Where the process itself is the point (signals, ``os._exit``), use
    :func:`cli_process`."""
    from digital_exports.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse refuses its arguments
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(cwd)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def cli_process(root: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """``python -m digital_exports ARGS`` run from ``root`` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "digital_exports", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
