"""The end-to-end tests' worlds, each built once per test session:

* ``built``: a copy of the project, run once from scratch (every notebook, every report);
* ``hostile``: a copy with new releases whose every text field is hostile, run with extra
  parameter sets (a range period, a report on the payload release);
* ``rendered``: every page of the hostile world, plus negative controls, rendered once in
  headless Chromium (screenshot, console, loads and table widths from one launch per page).

Tests that change a world work on a copy of it (``support.project.copy_world``)."""

from __future__ import annotations

import io

import pytest
from support.browser import BAD_PAGE, BLANK_PAGE, Render, chromium, render_all
from support.hostile import build_hostile_world
from support.project import ORPHAN, copy_project, snapshot
from support.walkthrough import walk

from digital_exports.run.runner import run


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The project run once from scratch in a copy: ``{"root", "before", "log"}`` (``before``:
    the committed tables and notebooks, which the run must reproduce byte for byte)."""
    root = tmp_path_factory.mktemp("built") / "project"
    root.mkdir()
    copy_project(root)
    before = snapshot(root)
    orphan = root / "reports" / "figures" / ORPHAN
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"not a chart of any current report")
    out = io.StringIO()
    code = run(root, [], None, force=True, n_workers=2, out=out)
    assert code == 0, out.getvalue()
    return {"root": root, "before": before, "log": out.getvalue()}


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The new-and-hostile-releases world (``support.hostile.build_hostile_world``)."""
    return build_hostile_world(tmp_path_factory.mktemp("hostile") / "project")


@pytest.fixture(scope="session")
def rendered(hostile: dict, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Render]:
    """Every page of the hostile world (``index.html`` and ``html/*.html``, by path relative to
    ``reports/``) and the negative controls (``control:bad``, ``control:blank``,
    ``control:wide``), each rendered once."""
    exe = chromium()
    if exe is None:
        pytest.skip("Chromium not installed: apt-get install chromium (as .ci/run does)")
    reports = hostile["root"] / "reports"
    pages = {"index.html": reports / "index.html"}
    pages |= {f"html/{p.name}": p for p in sorted((reports / "html").glob("*.html"))}
    controls = tmp_path_factory.mktemp("controls")
    (controls / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    (controls / "blank.html").write_text(BLANK_PAGE, encoding="utf-8")
    cells = "".join(f"<td>{'x' * 40}{i}</td>" for i in range(60))
    (controls / "wide.html").write_text(
        f"<html><body><table><tr>{cells}</tr></table></body></html>", encoding="utf-8"
    )
    pages |= {f"control:{p.stem}": p for p in sorted(controls.glob("*.html"))}
    return render_all(exe, pages, tmp_path_factory.mktemp("renders"))


@pytest.fixture(scope="session")
def walked(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The README's new-release walkthrough, once (``support.walkthrough.walk``): the
    commands' outputs and the project after the run."""
    return walk(tmp_path_factory.mktemp("walked"))
