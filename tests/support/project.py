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
