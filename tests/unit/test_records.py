"""The records of the reports (``report/records.py``): one file per report, read back as
written, a broken file never trusted, and a report stale once a file it read changes."""

from __future__ import annotations

import hashlib

from digital_exports.report.records import (
    Record,
    encode,
    is_stale,
    path_of,
    read_records,
    remove_record,
    write_record,
)


def record(root, stem="30_segment_breakdown__year-2023") -> Record:
    data = root / "data" / "processed" / "series.csv"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_bytes(b"a,b\n1,2\n")
    return Record(
        step="30_segment_breakdown",
        stem=stem,
        notebook="notebooks/30_segment_breakdown.ipynb",
        parameters={"year": 2023, "lang": "fr"},
        given={"year": 2023},
        fingerprint="f" * 64,
        inputs={"data/processed/series.csv": hashlib.sha256(data.read_bytes()).hexdigest()},
        outputs={},
        releases=["le360/2025-10-17-exportations-numeriques"],
        commit="0" * 40,
        dirty=False,
    )


def test_a_record_is_read_back_as_written_with_its_types(tmp_path):
    r = record(tmp_path)
    write_record(tmp_path, r)
    assert read_records(tmp_path) == {r.stem: r}
    assert read_records(tmp_path)[r.stem].parameters["year"] == 2023  # an int, not "2023"
    assert encode(r) == path_of(tmp_path, r.stem).read_bytes()  # the same bytes each time
    remove_record(tmp_path, r.stem)
    assert read_records(tmp_path) == {}


def test_a_file_that_is_not_a_record_is_left_out(tmp_path):
    r = record(tmp_path)
    write_record(tmp_path, r)
    path_of(tmp_path, "broken").write_text('{"step": "x"}')
    path_of(tmp_path, "garbage").write_text("not json")
    assert set(read_records(tmp_path)) == {r.stem}


def test_a_report_is_stale_once_a_file_it_read_changes_or_goes(tmp_path):
    r = record(tmp_path)
    assert not is_stale(tmp_path, r)
    (tmp_path / "data" / "processed" / "series.csv").write_bytes(b"a,b\n1,3\n")
    assert is_stale(tmp_path, r)
    (tmp_path / "data" / "processed" / "series.csv").unlink()
    assert is_stale(tmp_path, r)
