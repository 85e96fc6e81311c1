"""The committed processed tables against their schemas, and the files generated from the
schemas: datapackage.json (validated by frictionless), the codebook and the workbook."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from digital_exports.report import codebook
from digital_exports.tables.io import encode_table, read_table
from digital_exports.tables.schemas import FLAGS, RESOURCES

ROOT = Path(__file__).resolve().parents[2]
PROCESSED = ROOT / "data" / "processed"
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def test_every_csv_of_data_processed_is_declared():
    assert sorted(p.name for p in PROCESSED.glob("*.csv")) == sorted(
        r.filename for r in RESOURCES.values()
    )


@pytest.mark.parametrize("name", list(RESOURCES))
def test_after_write_and_read_every_column_has_its_declared_dtype(name):
    path = PROCESSED / f"{name}.csv"
    table = read_table(path)
    assert {c: str(t) for c, t in table.dtypes.items()} == {
        f.name: f.dtype for f in RESOURCES[name].fields
    }
    # Written again, the table gives the committed bytes: the encoding is the schema's.
    assert encode_table(path.name, table) == path.read_bytes()


@pytest.mark.parametrize("name", list(RESOURCES))
def test_no_cell_holds_inf_nan_or_none(name):
    import csv

    with (PROCESSED / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    bad = {"inf", "-inf", "+inf", "nan", "NaN", "None", "True", "False"}
    found = [(i, c) for i, row in enumerate(rows[1:], start=2) for c in row if c in bad]
    assert not found, found[:5]


def frictionless_validate(folder: Path) -> subprocess.CompletedProcess[str]:
    """``frictionless validate datapackage.json`` in ``folder``."""
    assert FRICTIONLESS.is_file(), "frictionless is in the lock; run make setup"
    return subprocess.run(
        [str(FRICTIONLESS), "validate", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_frictionless_validates_the_data_package():
    done = frictionless_validate(PROCESSED)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_frictionless_fails_on_a_table_that_breaks_its_declared_type(tmp_path):
    """The validation can fail: a text in a number column of a copy of the package."""
    copy = tmp_path / "processed"
    shutil.copytree(PROCESSED, copy)
    text = (copy / "changes.csv").read_text(encoding="utf-8")
    (copy / "changes.csv").write_text(text + "nonsense,q,,,\n", encoding="utf-8")
    done = frictionless_validate(copy)
    assert done.returncode != 0 and "constraint" in done.stdout.lower(), done.stdout[-2000:]


def test_the_generated_files_match_the_declaration():
    """CODEBOOK.md and datapackage.json are generated from the schemas: edit the schemas and
    rerun the pipeline (make all), never the files."""
    assert (PROCESSED / codebook.CODEBOOK).read_text(encoding="utf-8") == (
        codebook.codebook_markdown()
    ), "data/processed/CODEBOOK.md drifted from tables/schemas.py: run make all"
    assert (PROCESSED / codebook.DATAPACKAGE).read_bytes() == codebook.datapackage_json(), (
        "data/processed/datapackage.json drifted from tables/schemas.py: run make all"
    )


def test_the_readme_links_the_codebook_and_the_index_links_its_page():
    assert "(data/processed/CODEBOOK.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    page = codebook.codebook_html()
    for r in RESOURCES.values():
        assert f'id="{r.name}"' in page
        for f in r.fields:
            assert f"<code>{f.name}</code>" in page


def test_the_workbook_has_every_table_and_the_codebook_and_is_byte_identical_on_a_rerun():
    path = PROCESSED / codebook.WORKBOOK
    assert codebook.workbook_bytes(PROCESSED) == path.read_bytes()
    assert codebook.workbook_bytes(PROCESSED) == path.read_bytes()  # a rerun: same bytes
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["README", "codebook", *RESOURCES]
    for name, r in RESOURCES.items():
        sheet = wb[name]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == list(r.columns)
        assert len(rows) - 1 == len(read_table(PROCESSED / r.filename)), name
    codebook_rows = list(wb["codebook"].iter_rows(values_only=True))
    assert len(codebook_rows) - 1 == sum(len(r.fields) for r in RESOURCES.values())
    wb.close()


def test_estimates_have_a_unique_key_and_every_flag_is_explained():
    estimates = read_table(PROCESSED / "estimates.csv")
    key = list(RESOURCES["estimates"].primary_key)
    assert key == ["series", "segment", "period"]
    assert not estimates.duplicated(key).any()
    flag_columns = [c for c in estimates.columns if c.endswith("_flags")]
    used = {ch for c in flag_columns for text in estimates[c] for ch in text}
    assert used <= set(FLAGS), used - set(FLAGS)
    text = (PROCESSED / codebook.CODEBOOK).read_text(encoding="utf-8")
    for letter, (name, meaning) in FLAGS.items():
        assert f"| `{letter}` | {name} | {meaning} |" in text
    # Every estimate is a row of series.csv: the same value and interval to six significant
    # digits, the interval rounded outwards (it holds every value series.csv's holds).
    series = read_table(PROCESSED / "series.csv")
    levels = series[series["measure"] == "level"].set_index(["series", "segment", "period"])
    for row in estimates[estimates["level_origin"] != ""].itertuples():
        source = levels.loc[(row.series, row.segment, row.period)]
        assert row.level_low <= source["low"] and source["high"] <= row.level_high
        for exact, rounded in ((source["low"], row.level_low), (source["high"], row.level_high)):
            assert rounded == pytest.approx(exact, rel=1e-5), (row, exact)


def test_the_panel_sums_only_parts_and_names_its_sources():
    """Summed over ecosystems, the seed's 2024 levels hold the total (composites and markets
    are never parts); every row names its release and address."""
    estimates = read_table(PROCESSED / "estimates.csv")
    assert (estimates["source_release"] != "").all() and (estimates["source_url"] != "").all()
    assert estimates["source_url"].str.match(r"^https?://").all()
    doe = estimates[(estimates["series"] == "digital_outsourcing_exports")]
    y2024 = doe[doe["period"] == "2024"]
    parts = y2024[y2024["segment_kind"] == "ecosystem"]
    (total,) = y2024[y2024["segment_kind"] == "total"].itertuples()
    assert sorted(parts["segment"]) == ["BPO", "CRM", "ESO", "ITO", "KPO"]
    assert parts["level_low"].sum() <= total.level_high
    assert total.level_low <= parts["level_high"].sum()
    assert set(y2024.loc[y2024["segment"] == "ITO_CRM", "segment_kind"]) <= {"composite"}
    assert (estimates.loc[estimates["segment_kind"] == "ecosystem", "part_of"] != "").all()
    assert set(estimates["level_bound"]) <= {"lower", "upper", "none", ""}
    open_high = estimates["level_bound"] == "lower"
    assert (estimates.loc[open_high, "level_high"] == float("inf")).all()
