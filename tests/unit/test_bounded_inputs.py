"""Inputs a hostile or careless user can write are refused in one message naming the file and
the limit, before anything expands: YAML aliases and deep nesting, oversized files, fields and
row counts, and figures no economy prints."""

from __future__ import annotations

import pytest

from digital_exports.contract.errors import InputError
from digital_exports.contract.printed import read_printed
from digital_exports.contract.releases import MAX_FIELD_CHARS, load_releases
from digital_exports.run.paramfile import load_param_file
from digital_exports.run.params import ParameterError

BOMB = "".join(
    f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "x"] * 9) + "]\n" for i in range(9)
)


def _refused(raw, edit, needle: str) -> None:
    edit(raw)
    raw.seal()
    with pytest.raises(InputError) as err:
        load_releases(raw.raw, raw.root)
    assert needle in str(err.value), str(err.value)


def _append(name: str, text: str):
    def edit(raw):
        path = raw.release / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        ("release.yml", BOMB, "an alias (*name) is not allowed"),
        ("release.yml", "deep: " + "[" * 2000 + "]" * 2000 + "\n", "nesting deeper than 20"),
        ("release.yml", "x" * 70_000, "expected a file of at most 65536 bytes"),
        ("figures.csv", "a,b," + "n" * (MAX_FIELD_CHARS + 1) + "\n", "a field of"),
        ("figures.csv", "a,b," + "n" * 200_000 + "\n", "a field longer than"),
        ("figures.csv", "x," * 1_100_000, "expected a file of at most 2097152 bytes"),
        ("figures.csv", "x\n" * 10_050, "more than 10000 rows"),
    ],
)
def test_an_oversized_or_expanding_input_is_refused_naming_the_limit(
    raw_folder, name, text, needle
):
    _refused(raw_folder, _append(name, text), needle)


def test_a_page_read_before_it_was_published_is_refused(raw_folder):
    def edit(r):
        path = r.release / "release.yml"
        text = path.read_text(encoding="utf-8").replace("2026-11-26", "2025-10-16")
        path.write_text(text, encoding="utf-8")

    _refused(raw_folder, edit, "a date on or after date_published (2025-10-17)")


@pytest.mark.parametrize(
    ("value", "measure", "needle"),
    [("-5", "level", "exports are not negative"), ("1e15", "change_pct", "above 1000 %")],
)
def test_figures_no_economy_prints_are_refused(value, measure, needle):
    from digital_exports.contract.printed import plausibility_problem

    unit = "milliards de dirhams" if measure == "level" else "%"
    value = "1000000000000000" if value == "1e15" else value
    reading = read_printed(value, unit, "")
    assert needle in (plausibility_problem(reading, measure, value, unit) or "")


def test_minus_zero_reads_as_zero():
    import math

    r = read_printed("-0", "%", "")
    assert r.value == 0 and math.copysign(1.0, r.value) == 1.0  # not a negative zero


def test_a_parameter_file_nested_too_deep_is_one_message(tmp_path):
    path = tmp_path / "sets.yaml"
    path.write_text("30_segment_breakdown: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="at most 20 levels deep"):
        load_param_file(path)


def test_a_period_that_ends_after_publication_is_a_forecast(raw_folder):
    """A 2030 level in a release of 2025, printed without a forecast word, is not an outturn."""
    from digital_exports.tables.ingest import published_figures

    path = raw_folder.release / "figures.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("total,2024,level", "total,2030,level", 1), encoding="utf-8")
    raw_folder.seal()
    figures = published_figures(load_releases(raw_folder.raw, raw_folder.root))
    status = dict(zip(figures["period"], figures["data_status"], strict=False))
    assert status["2030"] == "forecast" and status["2024"] == "preliminary"
