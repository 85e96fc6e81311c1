"""The index and every report render in headless Chromium with the network off: no console
message, no failed or remote resource load, and a screenshot that is not blank.

How this Chromium (Debian 156) reports what a page does, with ``--enable-logging=stderr --v=0``:

* every console message of the page, whatever its level, as
  ``[pid:tid:MMDD/HHMMSS.micro:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)``;
  this also carries Blink's own complaints (``Not allowed to load local resource: ...``);
* a failed load (a missing file, a blocked network address) is *not* printed at ``--v=0``.
  So each page's subresource requests are logged with
  ``--vmodule=renderer_url_loader_throttle=2,file_url_loader_factory=1``:
  ``...:VERBOSE2:.../renderer_url_loader_throttle.cc:101] WillStartRequest : Skipping: <url> :
  <kImage|kStyle|...>`` (from the page's renderer) and
  ``...:VERBOSE1:.../file_url_loader_factory.cc:477] FileURLLoader::Start: <file url>``. A
  request for anything but an existing local file is a failed (or forbidden) load.

The negative controls render a page with a missing image, a missing stylesheet, a remote
image, a forbidden iframe and a ``console.error``, and a blank page, and check that each
problem is caught; the index page, whose thumbnails are local PNGs, shows that requests are
logged at all. The other lines Chromium prints here (D-Bus, VA-API, the Debian launcher's
``/dev/shm`` check) say nothing about the page and are ignored.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image
from test_reports import NOTEBOOKS, build_site  # tests/pipeline is on sys.path (rootdir mode)

TIMEOUT = 60  # seconds per page
CONSOLE = re.compile(
    r":INFO:CONSOLE[:(]\d+\)?\] \"(?P<message>.*)\", source: (?P<source>\S*) \(\d+\)$"
)
REQUEST = re.compile(r"WillStartRequest : (?:\w+: )?(?P<url>\S+) : (?P<kind>k\w+)")
FILE_LOAD = re.compile(r"FileURLLoader::Start: (?P<url>\S+)")

BAD_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>negative control</title>
<link rel="stylesheet" href="missing.css"></head>
<body><h1>Negative control</h1>
<img src="missing.png" alt="missing">
<img src="https://example.com/remote.png" alt="remote">
<iframe src="chrome://settings"></iframe>
<script>console.error("x-console-error-marker");</script>
</body></html>
"""
BLANK_PAGE = '<!DOCTYPE html><html><body style="background:#fff"></body></html>\n'


def chromium() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None
    )


@dataclass
class Render:
    page: Path
    returncode: int | None
    stderr: str
    screenshot: Path

    def requests(self) -> list[str]:
        lines = self.stderr.splitlines()
        urls = [m["url"] for ln in lines if (m := REQUEST.search(ln))]
        urls += [m["url"] for ln in lines if (m := FILE_LOAD.search(ln))]
        return [u for u in urls if u != self.page.as_uri()]

    def problems(self) -> list[str]:
        """Console messages, and requests for anything but an existing local file."""
        found = []
        if self.returncode != 0:
            found.append(f"chromium exited with {self.returncode}")
        for line in self.stderr.splitlines():
            if m := CONSOLE.search(line):
                found.append(f"console: {m['message']} ({m['source']})")
        for url in sorted(set(self.requests())):
            parts = urlsplit(url)
            if parts.scheme != "file":
                found.append(f"remote or forbidden load: {url}")
            elif not Path(unquote(parts.path)).is_file():
                found.append(f"failed load (no such file): {url}")
        if is_blank(self.screenshot):
            found.append("blank or missing screenshot")
        return found


def is_blank(png: Path) -> bool:
    """True when there is no screenshot or it has a single colour."""
    if not png.is_file():
        return True
    with Image.open(png) as img:
        return all(low == high for low, high in img.convert("RGB").getextrema())


def render(exe: str, page: Path, work: Path) -> Render:
    """Screenshot ``page`` with a fresh profile under ``work``; the network is off (every host
    name resolves to nothing) and background services are disabled."""
    work.mkdir(parents=True)
    home = work / "home"
    home.mkdir()
    shot = work / "screenshot.png"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
        f"--user-data-dir={work / 'profile'}",
        "--window-size=1280,2000",
        f"--screenshot={shot}",
        "--enable-logging=stderr",
        "--v=0",
        "--vmodule=renderer_url_loader_throttle=2,file_url_loader_factory=1",
        page.as_uri(),
    ]
    proc = subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        _out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # chromium and the processes it started
        _out, err = proc.communicate()
        err += f"\n[test] timed out after {TIMEOUT} s"
    return Render(page, proc.returncode, err, shot)


PAGES = [
    "index.html",
    *(f"html/{p.stem}{suffix}" for p in NOTEBOOKS for suffix in (".html", ".code.html")),
]


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Render]:
    exe = chromium()
    if exe is None:
        pytest.skip(
            "Chromium not installed: apt-get install chromium (as .ci/run does) "
            "to run the browser test"
        )
    base = tmp_path_factory.mktemp("browser")
    site = build_site(base / "site")
    reports = site["index"].parent
    controls = base / "controls"
    controls.mkdir()
    (controls / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    (controls / "blank.html").write_text(BLANK_PAGE, encoding="utf-8")
    pages = {name: reports / name for name in PAGES}
    pages |= {"control:bad": controls / "bad.html", "control:blank": controls / "blank.html"}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            name: pool.submit(render, exe, page, base / "runs" / f"{i:02d}")
            for i, (name, page) in enumerate(pages.items())
        }
        return {name: f.result() for name, f in futures.items()}


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_cleanly(renders: dict[str, Render], name: str) -> None:
    r = renders[name]
    assert r.problems() == [], f"{name}:\n" + "\n".join(r.problems())


def test_index_thumbnails_are_loaded_from_local_files(renders: dict[str, Render]) -> None:
    """Requests are logged at all: the index's thumbnails show up as local file loads."""
    r = renders["index.html"]
    images = {u for u in r.requests() if u.endswith(".png")}
    figures = r.page.parent / "figures"
    assert images and images == {p.as_uri() for p in figures.glob("*.png")}


def test_negative_control_is_caught(renders: dict[str, Render]) -> None:
    problems = "\n".join(renders["control:bad"].problems())
    assert "console: x-console-error-marker" in problems
    assert "console: Not allowed to load local resource: chrome://settings" in problems
    assert re.search(r"failed load \(no such file\): file://\S+/missing\.png", problems)
    assert re.search(r"failed load \(no such file\): file://\S+/missing\.css", problems)
    assert "remote or forbidden load: https://example.com/remote.png" in problems
    assert "blank" not in problems


def test_blank_screenshot_is_caught(renders: dict[str, Render]) -> None:
    assert renders["control:blank"].problems() == ["blank or missing screenshot"]
