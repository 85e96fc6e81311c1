"""The pip lock file, pyproject.toml and environment.yml pin the same versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not pinned with =="
            pins[_norm(name)] = version.strip()
    return pins


def test_every_conda_pin_equals_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    lock = lock_pins()
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda
    for dep in conda:
        name, _, version = dep.partition("=")
        if name in ("python", "pip"):
            continue
        assert _norm(name) in lock, f"environment.yml pins {name}, absent from requirements.lock"
        assert version.lstrip("=") == lock[_norm(name)], (
            f"{name}: environment.yml has {version}, requirements.lock has {lock[_norm(name)]}"
        )


def test_pyproject_dependencies_are_pinned_as_in_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + project["optional-dependencies"]["test"]
    lock = lock_pins()
    for dep in deps:
        name, _, version = dep.partition("==")
        assert version, f"pyproject.toml: {dep!r} is not pinned"
        assert lock.get(_norm(name)) == version, (
            f"{name}: pyproject {version}, lock {lock.get(_norm(name))}"
        )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = {_norm(d.partition("=")[0]) for d in env["dependencies"] if isinstance(d, str)}
    missing = {_norm(d.partition("==")[0]) for d in deps} - conda_names
    assert not missing, f"direct dependencies missing from environment.yml: {sorted(missing)}"


def test_nbformat_does_not_import_rfc3987_syntax():
    """jsonschema imports rfc3987_syntax, when installed, at start-up (about 1.5 s per process);
    the lock leaves it out, so papermill, nbconvert and nbval start fast."""
    import subprocess
    import sys

    code = "import sys, nbformat; print('rfc3987_syntax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    lock = (ROOT / "requirements.lock").read_text()
    assert "rfc3987-syntax==" not in lock
