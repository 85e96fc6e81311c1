"""Where things are: the project root, found from any working directory."""

from __future__ import annotations

from pathlib import Path


def _is_project(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "data" / "raw").is_dir()


def project_root(start: Path | None = None) -> Path:
    """The project to work on: the nearest folder at or above ``start`` (default: the working
    directory) that holds ``pyproject.toml`` and ``data/raw/``, so a notebook run from
    ``notebooks/`` or a command run inside a copy of the project acts on that project; else,
    when ``start`` was not given, the checkout this package is installed from, so a command
    works from any directory.

    Raises:
        FileNotFoundError: when no such folder exists.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    installed = Path(__file__).resolve().parents[3]  # src/digital_exports/base/paths.py
    if start is None and _is_project(installed):
        return installed
    raise FileNotFoundError(f"no project root (pyproject.toml and data/raw/) at or above {here}")


def resolve(path: str | Path, root: Path | None = None) -> Path:
    """``path`` as is when absolute, else relative to the project root."""
    p = Path(path)
    return p if p.is_absolute() else (root or project_root()) / p
