"""The index and every report render in headless Chromium with the network off: no console
message, no failed or remote resource load, and a screenshot that is not blank. The pages are
those of the new-and-hostile-releases world, each rendered once for the session
(``conftest.rendered``; how Chromium is read: ``support/browser.py``)."""

from __future__ import annotations

import re

import pytest
from support.browser import Render
from test_reports import NOTEBOOKS  # tests/pipeline is on sys.path (rootdir mode)

#: The default reports of every step, and the index.
PAGES = [
    "index.html",
    *(f"html/{p.stem}{suffix}" for p in NOTEBOOKS for suffix in (".html", ".code.html")),
]


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_cleanly(rendered: dict[str, Render], name: str) -> None:
    r = rendered[name]
    assert r.problems() == [], f"{name}:\n" + "\n".join(r.problems())


def test_every_other_report_renders_cleanly(rendered: dict[str, Render]) -> None:
    """The reports of the other parameter sets (a range period, one release) too."""
    others = [n for n in rendered if n.startswith("html/") and n not in PAGES]
    assert others, "the world has reports for other parameter sets"
    problems = {n: rendered[n].problems() for n in others if rendered[n].problems()}
    assert problems == {}, problems


def test_index_thumbnails_are_loaded_from_local_files(rendered: dict[str, Render]) -> None:
    """Requests are logged at all: the index's thumbnails show up as local file loads."""
    r = rendered["index.html"]
    images = {u for u in r.requests() if u.endswith(".png")}
    figures = r.page.parent / "figures"
    assert images and images <= {p.as_uri() for p in figures.glob("*.png")}


def test_negative_control_is_caught(rendered: dict[str, Render]) -> None:
    problems = "\n".join(rendered["control:bad"].problems())
    assert "console: x-console-error-marker" in problems
    assert "console: Not allowed to load local resource: chrome://settings" in problems
    assert re.search(r"failed load \(no such file\): file://\S+/missing\.png", problems)
    assert re.search(r"failed load \(no such file\): file://\S+/missing\.css", problems)
    assert "remote or forbidden load: https://example.com/remote.png" in problems
    assert "blank" not in problems


def test_blank_screenshot_is_caught(rendered: dict[str, Render]) -> None:
    assert rendered["control:blank"].problems() == ["blank or missing screenshot"]
