"""A copy of the project (pyproject.toml, data, notebooks) for tests that run the pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def copy_project(dest: Path) -> Path:
    """Copy the project's ``pyproject.toml``, ``data/`` and ``notebooks/`` into ``dest``."""
    for name in ("pyproject.toml", "data", "notebooks"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def copy_world(world: Path, dest: Path) -> Path:
    """A copy of a built world (git history, data, notebooks, reports), for a test that
    changes it (the session's worlds are shared: ``tests/pipeline/conftest.py``)."""
    shutil.copytree(world, dest, symlinks=True)
    return dest


#: A chart file another run left in ``reports/figures/``: the index must not show it.
ORPHAN = "period_comparison_left_by_another_run.png"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``data/`` and ``notebooks/`` of ``root``, by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("data", "notebooks")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }
