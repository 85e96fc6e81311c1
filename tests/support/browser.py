"""Headless Chromium as the tests use it: one launch per page renders it with the network off,
takes a screenshot, logs its console messages and resource loads, and dumps the laid-out page
with the measures of its tables (``MEASURE``).

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

import html
import json
import os
import re
import shutil
import signal
import subprocess
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

WIDTH = 1280
#: Measures, once the page is laid out, the viewport, the page's scroll width and every
#: table's box; the result is left in an attribute that ``--dump-dom`` prints.
MEASURE = """<script>
window.addEventListener("load", () => {
  const view = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll("table")].map((t) => {
    const r = t.getBoundingClientRect();
    return {cls: t.className, left: r.left, right: r.right, text: t.innerText.slice(0, 60)};
  });
  document.body.setAttribute("data-measure", JSON.stringify(
    {view: view, scroll: document.documentElement.scrollWidth, tables: tables}));
});
</script>"""
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
    """One page rendered: the page, Chromium's exit code and log, the screenshot, and the
    measures of the laid-out page (``MEASURE``; None when the dump held none)."""

    page: Path
    returncode: int | None
    stderr: str
    screenshot: Path
    measure: dict | None = field(default=None)
    #: The file Chromium opened (the page's copy with :data:`MEASURE`), when not the page.
    opened: Path | None = field(default=None)

    def requests(self) -> list[str]:
        lines = self.stderr.splitlines()
        urls = [m["url"] for ln in lines if (m := REQUEST.search(ln))]
        urls += [m["url"] for ln in lines if (m := FILE_LOAD.search(ln))]
        return [u for u in urls if u != (self.opened or self.page).as_uri()]

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
    """Render ``page`` once with a fresh profile under ``work``: a screenshot, the log of its
    console and loads, and the measures of its tables. Chromium opens a copy of the page in
    ``work`` with :data:`MEASURE` added and a ``<base>`` at the page's folder (its relative
    links resolve as the page's own; nothing is written beside the page); its DOM is dumped
    once laid out. The network is off (every host name resolves to nothing) and background
    services are disabled."""
    work.mkdir(parents=True)
    probe = work / page.name
    text = page.read_text(encoding="utf-8", errors="replace")
    text = text.replace("</body>", MEASURE + "</body>") if "</body>" in text else text + MEASURE
    base = f'<base href="{html.escape(page.parent.as_uri())}/">'
    head = re.search(r"<head[^>]*>", text, flags=re.IGNORECASE)
    text = text[: head.end()] + base + text[head.end() :] if head else base + text
    probe.write_text(text, encoding="utf-8")
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
        f"--window-size={WIDTH},2000",
        f"--screenshot={shot}",
        "--dump-dom",
        "--enable-logging=stderr",
        "--v=0",
        "--vmodule=renderer_url_loader_throttle=2,file_url_loader_factory=1",
        probe.as_uri(),
    ]
    proc = subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # chromium and the processes it started
        out, err = proc.communicate()
        err += f"\n[test] timed out after {TIMEOUT} s"
    m = re.search(r'data-measure="([^"]*)"', out or "")
    measure = json.loads(html.unescape(m[1])) if m else None
    return Render(page, proc.returncode, err, shot, measure, probe)


def render_all(exe: str, pages: dict[str, Path], work: Path) -> Future[dict[str, Render]]:
    """Start rendering every page once, two Chromiums at a time (the machine's two cores), in
    the background; the future gives the renders by page name. The pages are copied first, so
    the files they come from may be read or copied meanwhile, never written."""
    pool = ThreadPoolExecutor(max_workers=2)
    futures = {
        name: pool.submit(render, exe, page, work / f"{i:03d}")
        for i, (name, page) in enumerate(pages.items())
    }
    pool.shutdown(wait=False)
    done: Future[dict[str, Render]] = Future()

    def collect() -> None:
        try:
            done.set_result({name: f.result() for name, f in futures.items()})
        except BaseException as exc:  # a render that broke: the tests that read it say so
            done.set_exception(exc)

    threading.Thread(target=collect, daemon=True).start()
    return done
