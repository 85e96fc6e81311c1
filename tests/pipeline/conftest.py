"""The end-to-end tests' worlds, each built once per test session:

* ``built``: a copy of the project, run once from scratch (every notebook, every report);
* ``hostile``: a copy with new releases whose every text field is hostile, run with extra
  parameter sets (a range period, a report on the payload release);
* ``rendered``: every page of the hostile world, plus negative controls, rendered once in
  headless Chromium (screenshot, console, loads and table widths from one launch per page).

Tests that change a world work on a copy of it (``support.project.copy_world``)."""

from __future__ import annotations

import io
from pathlib import Path

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
    """The new-and-hostile-releases world (``support.hostile.build_hostile_world``); once it is
    built, Chromium renders its pages in the background (``rendered``)."""
    world = build_hostile_world(tmp_path_factory.mktemp("hostile") / "project")
    exe = chromium()
    world["renders"] = None
    if exe is not None:
        pages = {"index.html": world["root"] / "reports" / "index.html"}
        html = sorted((world["root"] / "reports" / "html").glob("*.html"))
        pages |= {f"html/{p.name}": p for p in html}
        pages |= controls(tmp_path_factory.mktemp("controls"))
        world["renders"] = render_all(exe, pages, tmp_path_factory.mktemp("renders"))
    return world


def controls(folder: Path) -> dict[str, Path]:
    """The negative controls: a page with every kind of problem, a blank page, a wide table."""
    (folder / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    (folder / "blank.html").write_text(BLANK_PAGE, encoding="utf-8")
    cells = "".join(f"<td>{'x' * 40}{i}</td>" for i in range(60))
    (folder / "wide.html").write_text(
        f"<html><body><table><tr>{cells}</tr></table></body></html>", encoding="utf-8"
    )
    return {f"control:{p.stem}": p for p in sorted(folder.glob("*.html"))}


@pytest.fixture(scope="session")
def rendered(hostile: dict) -> dict[str, Render]:
    """Every page of the hostile world (``index.html`` and ``html/*.html``, by path relative to
    ``reports/``) and the negative controls (``control:bad``, ``control:blank``,
    ``control:wide``), each rendered once."""
    if hostile["renders"] is None:
        pytest.skip("Chromium not installed: apt-get install chromium (as .ci/run does)")
    return hostile["renders"].result()


#: Whether the session has tests that read the hostile world or its renders.
_WANTS_HOSTILE: list[bool] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests that read the rendered pages run last among the end-to-end tests: Chromium
    renders the pages in the background while the others run (the renders are processes of
    their own, started once the world is built)."""
    here = Path(__file__).resolve().parent
    mine = [i for i in items if here in Path(str(i.path)).resolve().parents]
    if not mine:
        return
    readers = [i for i in mine if "rendered" in getattr(i, "fixturenames", ())]
    _WANTS_HOSTILE.append(any("hostile" in getattr(i, "fixturenames", ()) for i in mine))
    last = items.index(mine[-1])
    rest = [i for i in items[: last + 1] if i not in readers]
    items[:] = rest + readers + items[last + 1 :]


@pytest.fixture(scope="session", autouse=True)
def _hostile_world_first(request: pytest.FixtureRequest) -> None:
    """Build the hostile world at the first end-to-end test, so its renders start early."""
    if any(_WANTS_HOSTILE):
        request.getfixturevalue("hostile")


@pytest.fixture(scope="session")
def walked(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The README's new-release walkthrough, once (``support.walkthrough.walk``): the
    commands' outputs and the project after the run."""
    return walk(tmp_path_factory.mktemp("walked"))
