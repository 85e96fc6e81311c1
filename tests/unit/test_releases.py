"""The raw-release contract: every kind of bad input is an error naming file, line and field."""

from __future__ import annotations

import pytest

from digital_exports.contract.errors import ChecksumError, ReleaseFormatError
from digital_exports.contract.releases import load_releases, verify_checksums

FIG = "data/raw/le360/2025-10-17-test/figures.csv"
YML = "data/raw/le360/2025-10-17-test/release.yml"


def problems_of(raw_folder, error=ReleaseFormatError):
    with pytest.raises(error) as err:
        load_releases(raw_folder.raw, raw_folder.root)
    return [str(p) for p in err.value.problems]


def test_the_valid_folder_loads(raw_folder):
    (release,) = load_releases(raw_folder.raw, raw_folder.root)
    assert release.release_id == "le360/2025-10-17-test"
    assert [f.row["figure_id"] for f in release.figures] == [
        "a.level",
        "a.change",
        "b.level",
        "c.share",
        "d.level",
    ]
    assert release.meta["date_published"] == "2025-10-17"


def test_missing_column(raw_folder):
    raw_folder.edit("figures.csv", ",qualifier,", ",")
    (msg,) = problems_of(raw_folder)
    assert msg.startswith(f"{FIG}, line 1:") and "missing: qualifier" in msg


@pytest.mark.parametrize(
    ("old", "new", "field", "found"),
    [
        (
            "a.level,digital_outsourcing_exports",
            "a.level,digital_exports",
            "series",
            "'digital_exports'",
        ),
        (
            "b.level,digital_outsourcing_exports,ITO",
            "b.level,digital_outsourcing_exports,IT",
            "segment",
            "'IT'",
        ),
        ('2024,level,"26,2"', '2024,niveau,"26,2"', "measure", "'niveau'"),
        ('"26,2"', '"12,3,4"', "value", "'12,3,4'"),
        ('"26,2"', "abc", "value", "'abc'"),
        ("milliards de dirhams,,,", "milliards de francs,,,", "unit", "'milliards de francs'"),
        (",environ,", ",grosso modo,", "qualifier", "'grosso modo'"),
        ("ITO,2024,level", "ITO,2024-Q5,level", "period", "'2024-Q5'"),
        ("ITO,2024,level", "ITO,2024-13,level", "period", "'2024-13'"),
        ("2025-01..2025-06", "2025-06..2025-01", "period", "'2025-06..2025-01'"),
        ("%,,2023,", "%,,,", "base_period", "an empty base_period"),
        ("b.level,", "a.level,", "figure_id", "'a.level', already used on line 2"),
        (
            "c.share,digital_outsourcing_exports,ITO,2024,share_pct,40,%",
            "c.share,digital_outsourcing_exports,ITO,2024,share_pct,40,MDH",
            "unit",
            "'MDH'",
        ),
    ],
)
def test_bad_field_names_file_line_field_and_found(raw_folder, old, new, field, found):
    raw_folder.edit("figures.csv", old, new)
    msgs = problems_of(raw_folder)
    assert any(
        m.startswith(f"{FIG}, line ") and f"field {field!r}" in m and found in m and "expected" in m
        for m in msgs
    ), msgs


def test_the_line_number_is_the_line_of_the_row(raw_folder):
    raw_folder.edit("figures.csv", '"10,6"', '"1O,6"')
    (msg,) = problems_of(raw_folder)
    assert msg.startswith(f"{FIG}, line 4, field 'value'")


@pytest.mark.parametrize(
    ("old", "new", "field", "found"),
    [
        ("producer: Office des Changes\n", "", "producer", "no such key"),
        (
            "date_published: 2025-10-17",
            "date_published: 2025-13-17",
            "date_published",
            "'2025-13-17'",
        ),
        (
            "date_published: 2025-10-17",
            "date_published: 2025-10-18",
            "date_published",
            "'2025-10-18'",
        ),
        ("date_published: 2025-10-17", "date_published: null", "date_note", "no date_note"),
        ("date_accessed: 2026-11-26", "date_accessed: yesterday", "date_accessed", "'yesterday'"),
        ("data_status: preliminary", "data_status: provisional", "data_status", "'provisional'"),
        ("language: fr", "language: de", "language", "'de'"),
    ],
)
def test_bad_release_yml(raw_folder, old, new, field, found):
    raw_folder.edit("release.yml", old, new)
    msgs = problems_of(raw_folder)
    assert any(m.startswith(YML) and f"field {field!r}" in m and found in m for m in msgs), msgs


def test_a_null_date_with_a_note_is_fine(raw_folder):
    raw_folder.edit(
        "release.yml",
        "date_published: 2025-10-17",
        "date_published: null\ndate_note: page undated; October 2025 content",
    )
    (release,) = load_releases(raw_folder.raw, raw_folder.root)
    assert release.meta["date_published"] is None


def test_a_file_that_is_not_utf8(raw_folder):
    path = raw_folder.release / "figures.csv"
    path.write_bytes(path.read_bytes().replace(b"milliards", "milli\xe9rds".encode("latin-1"), 1))
    raw_folder.seal()
    (msg,) = problems_of(raw_folder)
    assert msg.startswith(f"{FIG}, line 2:") and "not UTF-8" in msg


def test_checksum_mismatch_names_the_file(raw_folder):
    raw_folder.edit("figures.csv", '"26,2"', '"26,3"', seal=False)
    (msg,) = problems_of(raw_folder, ChecksumError)
    assert msg.startswith(FIG) and "sha256" in msg


def test_a_file_not_in_sha256sums(raw_folder):
    (raw_folder.raw / "le360" / "2025-10-17-test" / "extra.txt").write_text("x")
    (msg,) = problems_of(raw_folder, ChecksumError)
    assert "extra.txt" in msg and "not listed" in msg


def test_a_listed_file_that_is_missing(raw_folder):
    (raw_folder.release / "release.yml").unlink()
    msgs = problems_of(raw_folder, ChecksumError)
    assert any(YML in m and "missing" in m for m in msgs)


def test_checksums_are_checked_before_anything_else(raw_folder):
    raw_folder.edit("figures.csv", '"26,2"', "abc", seal=False)
    with pytest.raises(ChecksumError):
        load_releases(raw_folder.raw, raw_folder.root)


def test_sha256sums_is_in_sha256sum_format(raw_folder):
    lines = (raw_folder.raw / "SHA256SUMS").read_text().splitlines()
    assert lines == sorted(lines, key=lambda ln: ln.split("  ", 1)[1])
    assert all(len(ln.split("  ", 1)[0]) == 64 for ln in lines)
    assert {ln.split("  ", 1)[1] for ln in lines} == {
        "le360/2025-10-17-test/figures.csv",
        "le360/2025-10-17-test/release.yml",
    }
    verify_checksums(raw_folder.raw)


def test_an_ambiguous_decimal_mark_names_the_release_field(raw_folder):
    raw_folder.edit("figures.csv", '"26,2"', "10.578")
    (msg,) = problems_of(raw_folder)
    assert f"{FIG}, line 2, field 'value'" in msg and "decimal_mark" in msg


def test_a_declared_decimal_mark_settles_it(raw_folder):
    raw_folder.edit("figures.csv", '"26,2"', "10.578", seal=False)
    raw_folder.edit("release.yml", "language: fr\n", "language: fr\ndecimal_mark: '.'\n")
    (release,) = load_releases(raw_folder.raw, raw_folder.root)
    assert release.figures[0].reading.value == 10578.0


def test_an_arabic_page_with_a_decimal_point_is_read_without_help(raw_folder):
    raw_folder.edit("figures.csv", '"26,2",milliards de dirhams', "4.75,مليار درهم", seal=False)
    raw_folder.edit("release.yml", "language: fr", "language: ar")
    (release,) = load_releases(raw_folder.raw, raw_folder.root)
    assert release.figures[0].reading.value == 4750.0


def test_a_level_whose_magnitude_contradicts_its_scale_is_refused(raw_folder):
    raw_folder.edit(
        "release.yml", "language: fr\n", "language: fr\ndecimal_mark: ','\n", seal=False
    )
    raw_folder.edit("figures.csv", '"26,2"', "10.578")
    (msg,) = problems_of(raw_folder)
    assert "plausibility ceiling" in msg and "field 'value'" in msg


def second_release(raw_folder, url: str = "https://example.org/article") -> None:
    folder = raw_folder.raw / "le360" / "2025-10-18-test-again"
    folder.mkdir()
    yml = (raw_folder.release / "release.yml").read_text(encoding="utf-8")
    yml = yml.replace("2025-10-17", "2025-10-18").replace("https://example.org/article", url)
    yml += "supersedes:\n  - le360/2025-10-17-test\n"
    (folder / "release.yml").write_text(yml, encoding="utf-8")
    figures = (raw_folder.release / "figures.csv").read_text(encoding="utf-8")
    (folder / "figures.csv").write_text(figures, encoding="utf-8")
    raw_folder.seal()


def test_a_new_transcription_supersedes_the_old_one_of_the_same_page(raw_folder):
    from digital_exports.tables.ingest import published_figures, releases_table

    second_release(raw_folder)
    found = load_releases(raw_folder.raw, raw_folder.root)
    assert set(published_figures(found)["release_id"]) == {"le360/2025-10-18-test-again"}
    table = releases_table(found).set_index("release_id")
    assert table.loc["le360/2025-10-17-test", "superseded_by"] == "le360/2025-10-18-test-again"


def test_superseding_another_page_is_refused(raw_folder):
    second_release(raw_folder, url="https://example.org/another")
    (msg,) = problems_of(raw_folder)
    assert "field 'supersedes'" in msg and "same url" in msg
