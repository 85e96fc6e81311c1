"""The new-and-hostile-releases world: a release whose every text field carries markup,
script, links and math, added to a copy of the project (its payload must reach every output
escaped, never executed)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

HOSTILE_ID = "0hostile/2025-10-18-payload"
SCRIPT = "<script>console.error('x-script')</script>"
JS_LINK = "[click](javascript:console.error('x-js-link'))"
REMOTE_IMAGE = "![t](https://example.com/t.png)"
IMG_ONERROR = "<img src=x onerror=console.error('x-onerror')>"
BAD_MATH = r"$\frac$"
PAYLOAD = f"{SCRIPT} {JS_LINK} {REMOTE_IMAGE} {IMG_ONERROR} {BAD_MATH}"
HOSTILE_URL = "https://example.org/a\"><script>console.error('x-url')</script>"


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _csv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


HOSTILE_YML = f"""\
title: {_yaml("Title " + PAYLOAD)}
outlet: {_yaml("Outlet " + PAYLOAD)}
url: {_yaml(HOSTILE_URL)}
date_published: 2025-10-18
date_accessed: 2026-11-26
language: fr
producer: {_yaml("Office des Changes " + PAYLOAD)}
data_status: preliminary
notes: {_yaml("Notes " + PAYLOAD)}
"""
HOSTILE_CSV = (
    "figure_id,series,segment,period,measure,value,unit,qualifier,base_period,note\n"
    'h1.level,digital_outsourcing_exports,total,2024,level,"26,2",milliards de dirhams,,,'
    + _csv("note " + PAYLOAD)
    + "\n"
    "h2.share,digital_outsourcing_exports,ITO,2024,share_pct,40,%,près de,,\n"
    'h3.level,digital_outsourcing_exports,total,2025-H1,level,"13,4",milliards de dirhams,,,\n'
)
PARAM_FILE = f"""\
40_period_comparison:
  - {{}}
  - {{period: 2025-01..2025-06, base_period: 2024-01..2024-06}}
60_verify_release:
  - {{}}
  - {{release: {HOSTILE_ID}}}
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def build_hostile_world(root: Path) -> dict:
    """A copy of the project at ``root``, committed in its own git repository, with the payload
    release and the invented half-year releases (``support.releases.future_half_year``), run
    once under umask 022 with a range period and the payload release as parameter sets.
    Returns ``{"root", "commit", "params", "log"}``."""
    import io
    import os

    from digital_exports.contract.releases import add_checksums
    from digital_exports.run.runner import run
    from support.project import copy_project
    from support.releases import future_half_year

    root.mkdir(parents=True)
    copy_project(root)
    release = root / "data" / "raw" / HOSTILE_ID
    release.mkdir(parents=True)
    (release / "release.yml").write_text(HOSTILE_YML, encoding="utf-8")
    (release / "figures.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    future_half_year(root / "data" / "raw")  # new releases, disagreeing, in three languages
    add_checksums(root / "data" / "raw", root)
    (root / ".gitignore").write_text("reports/\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "project with a payload release")
    commit = git(root, "rev-parse", "HEAD")
    params = root.parent / "sets.yaml"
    params.write_text(PARAM_FILE, encoding="utf-8")
    out = io.StringIO()
    old = os.umask(0o022)
    try:
        code = run(root, [], params, force=False, n_workers=2, out=out)
    finally:
        os.umask(old)
    assert code == 0, out.getvalue()
    return {"root": root, "commit": commit, "params": params, "log": out.getvalue()}
