"""Tests survive new data, proved: a copy of the project gets a realistic release of the next
half-year, in an outlet folder it has never had, only through the command line
(``new-release``, ``check``, ``checksums --add``, ``run``); the default reports, the key figures
and the README then show the new period, and the unit tests pass in the copy.

The release is made relative to the data (the half after the latest one the tables hold, the
total grown 5 %), so that a real release of that half, added later, does not make this test
stale: it then adds one more print of the next half.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.workflow import cli, git_copy

from digital_exports.contract.periods import parse_period, shift_years
from digital_exports.tables.io import read_table

S = "digital_outsourcing_exports"
OUTLET = "medias24"


def _fr(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


def _next_half(root: Path) -> tuple[str, str, float]:
    """The latest half-year level of the series' total, its period and the next half's."""
    est = read_table(root / "data" / "processed" / "estimates.csv")
    halves = est[
        (est["series"] == S) & (est["segment"] == "total") & (est["period_kind"] == "half")
    ]
    latest = max(halves.itertuples(), key=lambda r: parse_period(r.period).end)
    return latest.period, shift_years(parse_period(latest.period), 1).canonical, latest.level


def _release(period: str, previous: float) -> tuple[str, str, str]:
    """``release.yml`` and ``figures.csv`` of an article printing the new half: the total (the
    previous half grown 5 %), its change as the printed levels give it, and ITO's level and
    share. Dates: three months after the half ends."""
    level = round(previous * 1.05 / 1000, 1)
    change = round((level * 1000 / previous - 1) * 100, 1)
    ito = round(level * 0.4, 1)
    share = round(ito / level * 100, 1)
    end = parse_period(period).end
    date = f"{end.year}-{end.month + 3:02d}-15" if end.month <= 9 else f"{end.year + 1}-01-15"
    base = shift_years(parse_period(period), -1).canonical
    yml = f"""\
title: "Exportations numériques : nouveau semestre"
outlet: "Médias24"
url: "https://medias24.com/exportations-numeriques-{period.lower()}"
date_published: {date}
date_accessed: {date}
language: fr
producer: "Office des Changes"
data_status: preliminary
notes: "Invented for the tests: the next half-year of the new framework."
"""
    rows = [
        ("T.level", "total", period, "level", _fr(level, 1), "milliards de dirhams", ""),
        ("T.change", "total", period, "change_pct", _fr(change, 1), "%", base),
        ("ITO.level", "ITO", period, "level", _fr(ito, 1), "milliards de dirhams", ""),
        ("ITO.share", "ITO", period, "share_pct", _fr(share, 1), "%", ""),
    ]
    head = "figure_id,series,segment,period,measure,value,unit,qualifier,base_period,note\n"
    body = "".join(f'{fid},{S},{seg},{p},{m},"{v}",{u},,{b},\n' for fid, seg, p, m, v, u, b in rows)
    return date, yml, head + body


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("grown")
    git_copy(root)
    latest, new, previous = _next_half(root)
    date, yml, figures = _release(new, previous)
    slug = f"exportations-numeriques-{new.lower()}"
    out = {"root": root, "latest": latest, "new": new, "release": f"{OUTLET}/{date}-{slug}"}
    out["new-release"] = cli(root, "new-release", OUTLET, date, slug)
    folder = root / "data" / "raw" / out["release"]
    (folder / "release.yml").write_text(yml, encoding="utf-8")
    (folder / "figures.csv").write_text(figures, encoding="utf-8")
    out["check"] = cli(root, "check", out["release"])
    out["seal"] = cli(root, "checksums", "--add")
    out["run"] = cli(root, "run", "--root", str(root), "--jobs", "2")
    return out


def test_the_release_goes_in_through_the_command_line(grown):
    for step in ("new-release", "check", "seal", "run"):
        assert grown[step].returncode == 0, (step, grown[step].stdout, grown[step].stderr)
    # the release went into the copy only
    assert not (Path(__file__).resolve().parents[2] / "data" / "raw" / grown["release"]).exists()


def test_the_default_comparison_moves_to_the_new_half(grown):
    root = grown["root"]
    record = json.loads((root / "reports/.state/records/40_period_comparison.json").read_text())
    assert record["parameters"]["period"] == grown["new"]
    assert (
        record["parameters"]["base_period"] == shift_years(parse_period(grown["new"]), -1).canonical
    )
    assert record["given"] == {}  # the default report, not a run with parameters
    assert grown["release"] in record["releases"]


def test_key_figures_and_readme_show_the_new_half_and_the_new_outlet(grown):
    root = grown["root"]
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    key = index.split('id="key-figures"', 1)[1].split("</section>", 1)[0]
    assert f"<td>{grown['new']}</td>" in key and grown["release"] in key
    block = readme.split("<!-- generated: key-figures", 1)[1].split("<!-- end generated", 1)[0]
    assert f"| {grown['new']} |" in block
    assert f"| `{OUTLET}/` | Médias24 |" in readme


def test_the_unit_tests_pass_in_the_grown_copy(grown):
    """The fast tier, run in the copy: nothing in it depends on today's periods or outlets.
    (The generated worlds of the model and of the context reports, and the draft corpus, are
    left out: they read no file of data/ or reports/.)"""
    root = grown["root"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "tests/unit"),
            "--ignore=tests/unit/test_model_properties.py",
            "--ignore=tests/unit/test_context_properties.py",
            "--ignore=tests/unit/test_draft.py",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
