"""The ingest step on the real releases, and on broken ones through the command line."""

from __future__ import annotations

import csv
import math
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from support.seed import SEED_FIGURES
from support.workflow import cli

from digital_exports.tables.ingest import ingest_step
from digital_exports.tables.io import read_table

ROOT = Path(__file__).resolve().parents[2]
PROCESSED = ROOT / "data" / "processed"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = "le360/2025-10-17-exportations-numeriques"
#: Register rows whose period the source does not state: they stay out of figures.csv.
NO_PERIOD = {"OTH-010", "CC-006", "OFF-023", "OFF-024"}
UNIT_FACTOR = {"MAD billion": 1000.0, "MAD million": 1.0, "USD billion": 1000.0, "USD million": 1.0}


@pytest.fixture(scope="module")
def rerun(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    ingest_step(ROOT / "data" / "raw", out, ROOT)
    return out


@pytest.mark.parametrize("name", ["published_figures.csv", "releases.csv"])
def test_a_rerun_reproduces_the_committed_tables_byte_for_byte(rerun, name):
    assert (rerun / name).read_bytes() == (PROCESSED / name).read_bytes()


def test_a_second_run_gives_the_same_bytes(rerun, tmp_path):
    ingest_step(ROOT / "data" / "raw", tmp_path, ROOT)
    for name in ("published_figures.csv", "releases.csv"):
        assert (tmp_path / name).read_bytes() == (rerun / name).read_bytes()


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return read_table(PROCESSED / "published_figures.csv")


def _register() -> list[dict[str, str]]:
    with open(FIXTURES / "reference_register.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("ref", _register(), ids=lambda r: r["ref_id"])
def test_every_register_figure_is_transcribed_with_its_value(figures, ref):
    rid = ref["ref_id"]
    mine = figures[figures["figure_id"].str.startswith(rid + ".")]
    # The register has columns for levels, changes and shares; a ratio to another period
    # (DOE-025's "près de 75 % du total de 2024") is only in its notes.
    mine = mine[mine["measure"] != "ratio_pct"]
    if rid in NO_PERIOD:
        assert mine.empty, f"{rid} has no stated period and must stay out of figures.csv"
        return
    expected = []
    if ref["value"]:
        expected.append(("level", float(ref["value"]) * UNIT_FACTOR[ref["unit"]]))
    if ref["change_pct"]:
        expected.append((("change_pct", "avg_growth_pct"), float(ref["change_pct"])))
    if ref["share_pct"]:
        expected.append(("share_pct", float(ref["share_pct"])))
    assert len(mine) == len(expected), mine[["figure_id", "measure", "value"]]
    for measure, value in expected:
        measures = measure if isinstance(measure, tuple) else (measure,)
        row = mine[mine["measure"].isin(measures)]
        assert len(row) == 1, f"{rid}: no single {measure} row"
        assert math.isclose(float(row["value"].iloc[0]), value, rel_tol=1e-12), (rid, measure)


def test_every_figure_of_the_seed_article_is_in_the_table(figures):
    seed = figures[figures["release_id"] == SEED]
    printed = set(
        zip(seed["segment"], seed["period"], seed["measure"], seed["value_printed"], strict=True)
    )
    expected = SEED_FIGURES
    assert expected <= printed, expected - printed
    assert len(seed) == len(expected)


def test_exchange_rates_are_their_own_releases(figures):
    fx = figures[figures["series"] == "exchange_rate"]
    mad = fx[fx["segment"] == "MAD_PER_USD"]
    assert sorted(mad["period"]) == [str(y) for y in range(2009, 2025)]
    assert set(fx[fx["period"] == "2025"]["segment"]) == {"EUR_PER_USD"}
    assert (fx["measure"] == "rate").all() and (fx["unit"] != "MAD per EUR").all()


def _run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli(root, *args)  # in process: the refusal, its message and its exit code


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_cli_writes_the_tables_for_a_valid_folder(raw_folder):
    done = _run_cli(raw_folder.root, "ingest")
    assert done.returncode == 0, done.stderr
    table = read_table(raw_folder.processed / "published_figures.csv")
    assert list(table["figure_id"]) == ["a.change", "a.level", "b.level", "c.share", "d.level"]


@pytest.mark.parametrize(
    ("file", "old", "new", "seal", "needle"),
    [
        ("figures.csv", '"26,2"', '"12,3,4"', True, "line 2, field 'value'"),
        ("figures.csv", ",qualifier,", ",", True, "missing: qualifier"),
        ("release.yml", "data_status: preliminary", "data_status: ?", True, "data_status"),
        ("figures.csv", '"26,2"', '"26,3"', False, "sha256"),
    ],
)
def test_bad_input_exits_non_zero_and_writes_nothing(raw_folder, file, old, new, seal, needle):
    assert _run_cli(raw_folder.root, "ingest").returncode == 0
    before = _snapshot(raw_folder.processed)
    raw_folder.edit(file, old, new, seal=seal)
    done = _run_cli(raw_folder.root, "ingest")
    assert done.returncode == 2
    assert "data/raw/le360/2025-10-17-test/" + file in done.stderr and needle in done.stderr
    assert "Traceback" not in done.stderr
    assert _snapshot(raw_folder.processed) == before
