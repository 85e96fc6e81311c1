"""The README's "When a new release comes out", followed on a copy of the project under git:
new-release, fill, check, checksums, run; then what changed, the revision and the index; typos
caught before sealing; committed raw files immutable; malformed release.yml files stopped with
one message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.walkthrough import NEW, RELEASE_YML, ROWS, SEED, S, fill
from support.workflow import cli, git, git_copy

from digital_exports.contract.releases import add_checksums
from digital_exports.model.build import build_series_tables
from digital_exports.run.steps import STEPS
from digital_exports.tables.ingest import ingest_step
from digital_exports.tables.io import read_records, read_table
from digital_exports.tables.outputs import write_tables


def read(path: Path) -> list[dict[str, Any]]:
    return read_records(path)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_release_creates_every_field_and_refuses_an_existing_folder(walked):
    assert walked["new"].returncode == 0, walked["new"].stderr
    assert f"created data/raw/{NEW}/release.yml" in walked["new"].stdout
    again = cli(
        walked["root"],
        "new-release",
        "office-des-changes",
        "2026-04-20",
        "exportations-services-numeriques-2025",
    )
    assert again.returncode == 2 and "a folder that exists" in again.stderr
    assert "Traceback" not in again.stderr


def test_check_shows_how_each_figure_was_read(walked):
    result = walked["check"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not sealed yet" in result.stdout
    assert (
        "H1.level (total 2024-H1 level): 12,95 milliards de dirhams → "
        "12 950 [12 945 ; 12 955] MAD mn" in result.stdout
    )
    assert "check: 1 release(s) follow the contract" in result.stdout


def test_the_run_lists_the_revision_the_changes_and_says_so(walked):
    root = walked["root"]
    assert walked["seal"].returncode == 0 and f"added {NEW}/figures.csv" in walked["seal"].stdout
    run = walked["run"]
    assert run.returncode == 0, run.stdout + run.stderr
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith("what changed (compared with git HEAD") and "1 new release," in last
    assert "1 revision" in last
    processed = root / "data" / "processed"
    [revision] = [r for r in read(processed / "revisions.csv") if r["later_release_id"] == NEW]
    assert revision["earlier_release_id"] == SEED and revision["period"] == "2024-H1"
    assert (
        revision["earlier_value_printed"] == "12,9" and revision["later_value_printed"] == "12,95"
    )
    assert float(revision["revision"]) == pytest.approx(50) and revision["beyond_rounding"] is False
    assert float(revision["revision_pct"]) == pytest.approx(100 * 50 / 12900)
    # The latest vintage is the estimate; the earlier one is not a conflict.
    [h1] = [
        r
        for r in read(processed / "series.csv")
        if r["series"] == S
        and r["segment"] == "total"
        and r["period"] == "2024-H1"
        and r["measure"] == "level"
    ]
    assert float(h1["value"]) == 12950 and h1["conflicted"] is False
    assert not [
        r
        for r in read(processed / "conflicts.csv")
        if r["period"] == "2024-H1" and r["segment"] == "total" and r["measure"] == "level"
    ]
    changes = read(processed / "changes.csv")
    kinds = {(c["change"], c["quantity"]) for c in changes}
    assert ("new_release", NEW) in kinds
    # ITO 2025 is new; when another release already printed it (tests survive new data), the
    # change is said under another kind (moved, a conflict), or the two prints agree.
    ito = f"{S}|ITO|2025|level"
    said = {k for k, q in kinds if q == ito}
    agree = [
        r
        for r in read(processed / "series.csv")
        if (r["series"], r["segment"], r["period"], r["measure"]) == (S, "ITO", "2025", "level")
        and r["agreement"] == "agree"
    ]
    assert said or agree
    assert ("moved", f"{S}|total|2024-H1|level") in kinds
    assert ("revision", f"{S}|total|2024-H1|level") in kinds
    moved = next(c for c in changes if c["change"] == "moved" and "2024-H1|level" in c["quantity"])
    assert moved["before"].startswith("12 900") and moved["after"].startswith("12 950")
    assert NEW in moved["releases"].split(";")
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert index.index('id="what-changed"') < index.index('id="reports"')
    assert NEW in index and "revision" in index


def test_a_run_that_changes_nothing_says_so_and_the_copy_passes_its_tests(walked):
    root = walked["root"]
    rerun = walked["rerun"]
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"{len(STEPS)} skipped" in rerun.stdout
    # Against git HEAD the tables still differ (not committed yet): the same changes, same bytes.
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "release")
    changes = (root / "data" / "processed" / "changes.csv").read_bytes()
    after_commit = cli(root, "run", "--root", str(root), "--jobs", "2")
    assert after_commit.stdout.strip().splitlines()[-1].startswith("what changed: nothing")
    assert (root / "data" / "processed" / "changes.csv").read_bytes() == changes
    # What the tests hold the committed tables to holds on the copy with the release: a rerun
    # of ingest and reconcile from its raw files gives its committed tables byte for byte, and
    # the contract's grammar sections are current.
    rerun = root.parent / "rerun"
    ingest_step(root / "data" / "raw", rerun, root)
    write_tables(build_series_tables(read_table(rerun / "published_figures.csv")), rerun)
    for table in sorted(rerun.glob("*.csv")):
        committed = root / "data" / "processed" / table.name
        assert table.read_bytes() == committed.read_bytes(), table.name
    assert cli(root, "contract-docs", "--check").returncode == 0


def test_a_typo_is_shown_before_sealing_and_fixed_without_editing_sums(tmp_path):
    root = git_copy(tmp_path)
    sums = root / "data" / "raw" / "SHA256SUMS"
    sealed = sums.read_bytes()
    assert (
        cli(
            root,
            "new-release",
            "office-des-changes",
            "2026-04-20",
            "exportations-services-numeriques-2025",
        ).returncode
        == 0
    )
    typo = [(*r[:5], "miliards de dirhams", *r[6:]) if r[0] == "ITO.level" else r for r in ROWS]
    fill(root, typo)
    check = cli(root, "check", NEW)
    assert check.returncode == 2 and "Traceback" not in check.stderr
    assert f"data/raw/{NEW}/figures.csv, line 4, field 'unit'" in check.stderr
    assert "miliards" in check.stderr and "milliards" in check.stderr
    refused = cli(root, "checksums", "--add")
    assert refused.returncode == 2 and sums.read_bytes() == sealed
    fill(root)
    assert cli(root, "check", NEW).returncode == 0
    assert cli(root, "checksums", "--add").returncode == 0
    # A second typo found after sealing, in a release never committed: fix, then reseal.
    fill(root, [(*r[:4], "11,6", *r[5:]) if r[0] == "ITO.level" else r for r in ROWS])
    assert cli(root, "checksums").returncode == 2
    fill(root)
    fixed = cli(root, "checksums", "--update", f"data/raw/{NEW}")
    assert fixed.returncode == 0, fixed.stderr
    assert cli(root, "check").returncode == 0
    # A committed raw file changed by one byte is refused everywhere, by name.
    seed = root / "data" / "raw" / SEED / "figures.csv"
    seed.write_bytes(seed.read_bytes().replace(b"26,2", b"26,3", 1))
    for args in (("checksums", "--update", str(seed)), ("check", SEED), ("checksums", "--add")):
        result = cli(root, *args)
        assert result.returncode == 2 and f"data/raw/{SEED}/figures.csv" in result.stderr, args
    assert "committed at git HEAD" in cli(root, "checksums", "--update", str(seed)).stderr
    run = cli(root, "run", "--root", str(root), "--jobs", "1")
    assert run.returncode == 2 and f"data/raw/{SEED}/figures.csv" in run.stderr
    # A release never committed can be dropped; a committed one cannot.
    assert cli(root, "checksums", "--drop", SEED).returncode == 2
    seed.write_bytes(seed.read_bytes().replace(b"26,3", b"26,2", 1))
    dropped = cli(root, "checksums", "--drop", NEW)
    assert dropped.returncode == 0, dropped.stderr
    assert not (root / "data" / "raw" / NEW).exists() and sums.read_bytes() == sealed


BAD_YML = {
    "latin1": (
        lambda text: text.replace("numériques", "num\xe9riques").encode("latin-1"),
        "that is not UTF-8",
    ),
    "bad-date": (
        lambda text: text.replace(
            "date_accessed: 2026-04-21", "date_accessed: 2026-13-41"
        ).encode(),
        "field 'date_accessed': found '2026-13-41'; expected a date YYYY-MM-DD",
    ),
    "yaml-tag": (
        lambda text: (
            text.replace('notes: "', 'notes: !!python/object/apply:os.system ["')
            .replace('revised."', 'revised."]')
            .encode()
        ),
        "invalid YAML",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_YML))
def test_a_malformed_release_yml_stops_the_run_with_one_message(tmp_path, case):
    root = git_copy(tmp_path)
    folder = root / "data" / "raw" / NEW
    folder.mkdir(parents=True)
    fill(root)
    breaking, needle = BAD_YML[case]
    (folder / "release.yml").write_bytes(breaking(RELEASE_YML))
    add_checksums(root / "data" / "raw")  # sealed by hand, as before `check` existed
    before = snapshot(root / "data" / "processed")
    for args in (("run", "--root", str(root), "--jobs", "1"), ("check",), ("ingest",)):
        result = cli(root, *args)
        text = result.stdout + result.stderr
        assert result.returncode == 2, (args, text)
        assert "Traceback" not in text, (args, text)
        assert result.stderr.count("error:") == 1 and needle in result.stderr, (args, text)
        assert f"data/raw/{NEW}/release.yml" in result.stderr
    assert snapshot(root / "data" / "processed") == before
