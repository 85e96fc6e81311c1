"""Where things are: the project root, found from any working directory."""

from __future__ import annotations

from pathlib import Path


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working directory) that holds
    ``pyproject.toml`` and ``data/raw/``; notebooks run from ``notebooks/`` find it this way.

    Raises:
        FileNotFoundError: when no such folder exists.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "data" / "raw").is_dir():
            return folder
    raise FileNotFoundError(f"no project root (pyproject.toml and data/raw/) at or above {here}")


def resolve(path: str | Path, root: Path | None = None) -> Path:
    """``path`` as is when absolute, else relative to the project root."""
    p = Path(path)
    return p if p.is_absolute() else (root or project_root()) / p
