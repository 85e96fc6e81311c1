"""A release of the Arabic wire press that the grammar cannot fully read goes in without a code
change: its decimals in the wire notation (declared ``number_notation: wire_ra``) and a phrase
the grammar does not know, read by the ``reading`` column. ``check`` shows the declaration, and
``published_figures.csv`` and the release's verification report keep it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from support.releases import FUTURE, S
from support.workflow import cli, git_copy

from digital_exports.run.runner import run

RELEASE = f"map/{FUTURE}-07-20-sadirat-raqmiya"
YML = f"""\
title: "صادرات الخدمات الرقمية"
outlet: "MAP (Arabic wire)"
url: "https://example.org/map/{FUTURE}"
date_published: {FUTURE}-07-20
date_accessed: {FUTURE}-07-21
language: ar
producer: "Office des Changes"
data_status: preliminary
notes: "Invented for the tests: a wire dispatch in Arabic."
number_notation: wire_ra
"""
FIGURES = (
    "figure_id,series,segment,period,measure,value,unit,qualifier,base_period,note,reading\n"
    f"W.level,{S},total,{FUTURE}-H1,level,4ر13,مليار درهم,,,,\n"
    f'W.change,{S},total,{FUTURE}-H1,change_pct,"0,9",%,لم تقارب,{FUTURE - 1}-H1,,at_most\n'
)


@pytest.fixture(scope="module")
def wired(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("wire")
    git_copy(root)
    folder = root / "data" / "raw" / RELEASE
    folder.mkdir(parents=True)
    (folder / "release.yml").write_text(YML, encoding="utf-8")
    (folder / "figures.csv").write_text(FIGURES, encoding="utf-8")
    out = {"root": root, "check": cli(root, "check", RELEASE)}
    out["seal"] = cli(root, "checksums", "--add")
    log = io.StringIO()
    out["code"] = run(root, [f"release={RELEASE}"], None, False, 2, out=log, only=["60"])
    out["log"] = log.getvalue()
    return out


def test_check_reads_the_wire_notation_and_shows_the_declared_reading(wired):
    check = wired["check"]
    assert check.returncode == 0, check.stdout + check.stderr
    assert "4ر13 مليار درهم → 13 400 [13 350 ; 13 450] MAD mn" in check.stdout
    assert "read by declaration (reading: at_most)" in check.stdout
    assert wired["seal"].returncode == 0 and wired["code"] == 0, wired["log"]


def test_the_declared_reading_is_kept_in_the_tables_and_the_report(wired):
    root: Path = wired["root"]
    with (root / "data" / "processed" / "published_figures.csv").open(encoding="utf-8") as f:
        rows = {r["figure_id"]: r for r in csv.DictReader(f) if r["release_id"] == RELEASE}
    assert rows["W.change"]["reading"] == "at_most"
    assert (rows["W.change"]["low"], rows["W.change"]["high"]) == ("0.0", "0.9")
    assert rows["W.level"]["reading"] == "" and rows["W.level"]["value"] == "13400.0"
    html = (root / "reports" / "html").glob("60_verify_release__release-*.html")
    reports = [p for p in html if not p.name.endswith(".code.html")]  # the reader's version
    assert len(reports) == 1
    page = reports[0].read_text(encoding="utf-8")
    assert "read by declaration: at_most" in page
