"""The lock, pyproject.toml, environment.yml and the Makefile agree, and the lock is what is
installed: complete and consistent on the running Python (3.11, 3.12 or 3.13)."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]

# Declared requirements that the lock breaks on purpose, each with its reason.
KNOWN_BREAKS = {
    # cffconvert 2.0.0 (latest release) declares jsonschema<4; upstream allowed 4.x in PR #277
    # (their tests pass) but has not released it (issue #402). test_citation.py runs it.
    ("cffconvert", "jsonschema"),
}
# jsonschema's format-nongpl extra asks for them; the lock leaves them out (see its header).
LEFT_OUT = {"rfc3987-syntax", "lark"}


def _norm(name: str) -> str:
    return str(canonicalize_name(name))


def lock_lines() -> list[tuple[str, str, Marker | None]]:
    """(name, version, marker) for every line of requirements.lock."""
    rows = []
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        req = Requirement(line)
        spec = list(req.specifier)
        assert len(spec) == 1 and spec[0].operator == "==", f"{line!r} is not pinned with =="
        rows.append((_norm(req.name), spec[0].version, req.marker))
    return rows


def lock_pins() -> dict[str, str]:
    pins = {}
    for name, version, _ in lock_lines():
        assert pins.setdefault(name, version) == version, f"{name} pinned twice in the lock"
    return pins


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def conda_env() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_lock_pins_parse_markers_and_reject_ranges(tmp_path, monkeypatch):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# header\nfoo-bar==1.0 ; python_full_version < '3.12'\nbaz>=2\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    try:
        lock_pins()
    except AssertionError as e:
        assert "baz>=2" in str(e)
    else:
        raise AssertionError("a range in the lock was accepted")
    lock.write_text("Foo_Bar==1.0 ; python_full_version < '3.12'\n")
    assert lock_pins() == {"foo-bar": "1.0"}


def test_python_range_is_the_same_in_pyproject_makefile_conda_and_ruff():
    requires = SpecifierSet(pyproject()["project"]["requires-python"])
    candidates = ("3.10", "3.11", "3.12", "3.13", "3.14")
    supported = [v for v in candidates if Version(v + ".0") in requires]
    assert supported == ["3.11", "3.12", "3.13"], requires
    makefile = (ROOT / "Makefile").read_text()
    lo = re.search(r"^PYTHON_MIN := (\S+)$", makefile, re.M)
    hi = re.search(r"^PYTHON_MAX := (\S+)$", makefile, re.M)
    assert lo and hi, "Makefile: PYTHON_MIN and PYTHON_MAX are not declared"
    assert (lo[1], hi[1]) == (supported[0], supported[-1])
    conda = [d for d in conda_env()["dependencies"] if isinstance(d, str)]
    assert f"python>={supported[0]},<3.{int(supported[-1][2:]) + 1}" in conda
    assert pyproject()["tool"]["ruff"]["target-version"] == "py" + supported[0].replace(".", "")
    classifiers = pyproject()["project"]["classifiers"]
    for v in supported:
        assert f"Programming Language :: Python :: {v}" in classifiers


def test_every_conda_pin_equals_the_lock():
    env = conda_env()
    assert env["channels"] == ["conda-forge"]
    lock = lock_pins()
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    for dep in conda:
        if dep == "pip" or dep.startswith("python>="):
            continue
        name, _, version = dep.partition("=")
        assert _norm(name) in lock, f"environment.yml pins {name}, absent from requirements.lock"
        assert version.lstrip("=") == lock[_norm(name)], (
            f"{name}: environment.yml has {version}, requirements.lock has {lock[_norm(name)]}"
        )
    (pip_part,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_part[0] == "--no-deps" and pip_part[-1] == "-e ."
    for dep in pip_part[1:-1]:
        name, _, version = dep.partition("==")
        locked = lock.get(_norm(name))
        assert locked == version, f"{name}: environment.yml (pip) {version}, lock {locked}"


def test_pyproject_dependencies_are_pinned_as_in_the_lock():
    project = pyproject()["project"]
    deps = project["dependencies"] + project["optional-dependencies"]["test"]
    lock = lock_pins()
    for dep in deps:
        name, _, version = dep.partition("==")
        assert version, f"pyproject.toml: {dep!r} is not pinned"
        assert lock.get(_norm(name)) == version, (
            f"{name}: pyproject {version}, lock {lock.get(_norm(name))}"
        )
    env = conda_env()
    names = {_norm(d.partition("=")[0]) for d in env["dependencies"] if isinstance(d, str)}
    names |= {_norm(d.partition("==")[0]) for d in env["dependencies"][-1]["pip"]}
    missing = {_norm(d.partition("==")[0]) for d in deps} - names
    assert not missing, f"direct dependencies missing from environment.yml: {sorted(missing)}"


def test_the_build_backend_and_the_installer_are_in_the_lock():
    lock = lock_pins()
    (backend,) = pyproject()["build-system"]["requires"]
    name, _, version = backend.partition("==")
    assert lock[_norm(name)] == version, "setuptools: build-system and lock disagree"
    assert "uv" in lock, "the Makefile installs uv at the version of the lock"


def _installed() -> dict[str, metadata.Distribution]:
    dists: dict[str, metadata.Distribution] = {}
    for dist in metadata.distributions():
        dists.setdefault(_norm(dist.metadata["Name"]), dist)
    return dists


def test_the_environment_is_exactly_the_lock_on_this_python():
    """Every lock line whose marker holds here is installed at its version, and nothing else is
    (apart from pip and the package itself): what `make setup` installed is the lock."""
    installed = {name: d.version for name, d in _installed().items()}
    wanted = {n: v for n, v, m in lock_lines() if m is None or m.evaluate()}
    wrong = {n: (v, installed.get(n)) for n, v in wanted.items() if installed.get(n) != v}
    assert not wrong, f"lock version vs installed, on Python {sys.version.split()[0]}: {wrong}"
    extra = set(installed) - set(wanted) - {"pip", "digital-exports"}
    assert not extra, f"installed but not in the lock: {sorted(extra)}"


def test_every_installed_package_has_what_it_declares_on_this_python():
    """The lock is complete and consistent here: each package's Requires-Python holds and each
    requirement (with the extras asked for) is installed at an accepted version."""
    dists = _installed()
    python = Version(".".join(map(str, sys.version_info[:3])))
    problems = []
    todo = [(name, "") for name in dists] + [("digital-exports", "test")]
    done = set()
    while todo:
        name, extra = todo.pop()
        if (name, extra) in done:
            continue
        done.add((name, extra))
        meta = dists[name].metadata
        requires_python = meta.get("Requires-Python")
        if not extra and requires_python and python not in SpecifierSet(requires_python):
            problems.append(f"{name} requires Python {requires_python}")
        for line in meta.get_all("Requires-Dist") or []:
            req = Requirement(line)
            if req.marker and not req.marker.evaluate({"extra": extra}):
                continue
            dep = _norm(req.name)
            if dep in LEFT_OUT or (name, dep) in KNOWN_BREAKS:
                continue
            if dep not in dists:
                problems.append(f"{name} needs {req}, not installed")
            elif not req.specifier.contains(dists[dep].version, prereleases=True):
                problems.append(f"{name} needs {req}, found {dists[dep].version}")
            else:
                todo += [(dep, e) for e in req.extras]
    assert not problems, problems


def test_the_lock_leaves_out_what_slows_every_start_up():
    """rfc3987-syntax and lark, which jsonschema imports at start-up when present (a new
    process shows it: ``tests/pipeline/test_start_up.py``)."""
    assert not LEFT_OUT & set(lock_pins())
