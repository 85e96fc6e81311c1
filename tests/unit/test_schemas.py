"""The schemas of the processed tables, the typed reader and writer, and the estimates' flags:
tiny hand-built frames, each test failing for a real reason."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from digital_exports.contract.vocab import SERIES
from digital_exports.model.estimates import estimates_panel, flags_of
from digital_exports.tables import schemas
from digital_exports.tables.io import SchemaError, empty_table, encode_table, read_table
from digital_exports.tables.schemas import FLAGS, RESOURCES


def _changes(**overrides) -> pd.DataFrame:
    row = {"change": "new", "quantity": "q", "before": "", "after": "1", "releases": ""}
    return pd.DataFrame([{**row, **overrides}])


def _series_row(**overrides) -> dict:
    row: dict = {f.name: "" for f in RESOURCES["series"].fields}
    row.update(
        series="digital_outsourcing_exports",
        segment="total",
        period="2024",
        period_kind="year",
        period_start="2024-01-01",
        period_end="2024-12-31",
        measure="level",
        value=26200.0,
        low=26150.0,
        high=26250.0,
        low_fine=26150.0,
        high_fine=26250.0,
        unit="MAD mn",
        origin="printed",
        agreement="agree",
        n_sources=1,
        conflicted=False,
        data_status="preliminary",
        check_failed=False,
        **{f"checks_{v}": 0 for v in schemas.VERDICTS},
    )
    row.update(overrides)
    return row


def test_every_field_is_declared_once_and_every_table_uses_declared_fields():
    for r in RESOURCES.values():
        assert len(set(r.columns)) == len(r.columns), r.name
        assert set(r.primary_key) <= set(r.columns), r.name
        for f in r.fields:
            assert f.description and f.type in schemas.DTYPES, (r.name, f.name)
            if f.open_if:
                assert f.open_if in r.columns, (r.name, f.name)


def test_booleans_are_written_true_false_and_read_back_as_booleans():
    table = pd.DataFrame(
        [_series_row(conflicted=False), _series_row(period="2023", conflicted=True)]
    )
    data = encode_table("series.csv", table)
    assert b",false," in data and b",true," in data and b"False" not in data
    back = read_table(data, "series.csv")
    assert back["conflicted"].dtype == bool and list(back["conflicted"]) == [False, True]


def test_an_open_bound_is_an_empty_cell_read_back_as_infinity():
    table = pd.DataFrame([_series_row(high=math.inf, high_fine=math.inf, value=14000.0)])
    data = encode_table("series.csv", table)
    assert b"inf" not in data
    back = read_table(data, "series.csv")
    assert back.loc[0, "high"] == math.inf and back.loc[0, "low"] == 26150.0


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("high", math.nan, "open bound is infinite"),  # NaN is not an open bound
        ("high", -math.inf, "a finite number"),  # -inf is no upper bound
        ("n_sources", 1.5, "an integer"),
        ("value", "26,2", "a number"),
        ("conflicted", "False", "a boolean"),  # the string that used to be truthy
        ("segment", "NOPE", "one of"),
        ("series", "", "required"),
        ("period_start", "2024/01/01", "ISO date"),
    ],
)
def test_a_cell_of_the_wrong_type_is_refused_on_write_with_line_and_column(column, value, needle):
    table = pd.DataFrame([_series_row(**{column: value})])
    with pytest.raises(SchemaError, match=needle) as e:
        encode_table("series.csv", table)
    assert e.value.line == 2 and e.value.field == column


def test_an_undeclared_or_missing_column_is_refused_on_write_and_read():
    with pytest.raises(SchemaError, match="undeclared column"):
        encode_table("changes.csv", _changes().assign(extra=1))
    with pytest.raises(SchemaError, match="no column"):
        encode_table("changes.csv", _changes().drop(columns="after"))
    data = encode_table("changes.csv", _changes())
    widened = data.replace(b"releases\n", b"releases,extra\n").replace(b",1,\n", b",1,,x\n")
    with pytest.raises(SchemaError, match=r"changes.csv, line 1: found undeclared column"):
        read_table(widened, "changes.csv")
    with pytest.raises(KeyError, match="no schema declares"):
        encode_table("extra.csv", _changes())


def test_a_text_infinity_or_nan_is_refused_on_read():
    data = encode_table("series.csv", pd.DataFrame([_series_row()]))
    for bad in (b"inf", b"nan", b"None"):
        with pytest.raises(SchemaError, match="column value"):
            read_table(data.replace(b",26200.0,", b"," + bad + b","), "series.csv")


def test_a_duplicate_primary_key_is_refused():
    with pytest.raises(SchemaError, match="unique primary key"):
        encode_table("changes.csv", pd.concat([_changes(), _changes()]))


def test_changing_a_declared_type_makes_the_committed_bytes_unreadable(monkeypatch):
    """The declaration is what the reader enforces: declare ``n_sources`` a boolean and the
    same bytes no longer read."""
    data = encode_table("series.csv", pd.DataFrame([_series_row()]))
    series = RESOURCES["series"]
    fields = tuple(
        dataclasses.replace(f, type="boolean") if f.name == "n_sources" else f
        for f in series.fields
    )
    monkeypatch.setitem(RESOURCES, "series", dataclasses.replace(series, fields=fields))
    with pytest.raises(SchemaError, match="column n_sources: found '1'; expected true or false"):
        read_table(data, "series.csv")


@pytest.mark.parametrize("name", list(RESOURCES))
def test_an_empty_table_round_trips_with_its_declared_dtypes(name):
    back = read_table(encode_table(f"{name}.csv", empty_table(f"{name}.csv")), f"{name}.csv")
    assert list(back.columns) == list(RESOURCES[name].columns)
    assert {c: str(t) for c, t in back.dtypes.items()} == {
        f.name: f.dtype for f in RESOURCES[name].fields
    }


# --------------------------------------------------------------------------- flags


def test_each_flag_has_its_reason():
    row = _series_row()
    assert flags_of(row, revised=False) == "p"
    assert flags_of({**row, "origin": "derived"}, revised=False) == "pe"
    assert flags_of({**row, "data_status": "forecast"}, revised=False) == "f"
    assert flags_of({**row, "check_failed": True}, revised=True) == "pur"
    # The framework of digital_outsourcing_exports begins in 2023 (vocab: breaks).
    first = {**row, "period": "2023", "period_start": "2023-01-01"}
    assert flags_of(first, revised=False) == "pb"
    assert flags_of({**row, "period_start": "2024-01-01"}, revised=False) == "p"
    # A change across the break.
    assert "b" in flags_of(row, revised=False, base_start=pd.Timestamp("2022-01-01").date())
    # Not an official statistic: its definition differs.
    other = {**row, "series": "offshoring_turnover_other", "data_status": "unknown"}
    assert not SERIES["offshoring_turnover_other"].official
    assert flags_of(other, revised=False) == "d"
    assert list(FLAGS) == list("pebdfur")


def test_the_panel_has_one_row_per_series_segment_and_period_with_year_on_year_changes():
    rows = [
        _series_row(best_release_id="le360/2025-10-17-a", value=26200.123456789),
        _series_row(measure="share_pct", unit="pct", value=100.0, low=100.0, high=100.0),
        _series_row(measure="change_pct", unit="pct", base_period="2023", value=5.0),
        _series_row(measure="change_pct", unit="pct", base_period="2022", value=9.0),
        _series_row(
            period="2025-H1",
            period_kind="half",
            period_start="2025-01-01",
            period_end="2025-06-30",
            high=math.inf,
            origin="derived",
            inputs="digital_outsourcing_exports|total|2024|level",
        ),
    ]
    series = pd.DataFrame(rows)
    revisions = empty_table("revisions.csv")
    panel = estimates_panel(series, revisions, {"le360/2025-10-17-a": "https://le360.ma/a"})
    assert list(panel["period"]) == ["2024", "2025-H1"]
    y2024 = panel.iloc[0]
    assert y2024["change_pct"] == 5.0 and y2024["change_base_period"] == "2023"
    assert y2024["share_pct"] == 100.0 and y2024["level_unit"] == "MAD mn"
    h1 = panel.iloc[1]
    assert math.isnan(h1["share_pct"]) and h1["share_pct_origin"] == ""
    data = encode_table("estimates.csv", panel)  # valid, and the open bound is an empty cell
    back = read_table(data, "estimates.csv")
    assert back.loc[1, "level_high"] == math.inf and math.isnan(back.loc[1, "share_pct_high"])
    # what the row is, where it comes from (a derived value: from the prints it is computed
    # from), whether its level is open, and its values to six significant digits
    assert list(panel["level_bound"]) == ["none", "lower"]
    assert list(panel["source_url"]) == ["https://le360.ma/a"] * 2
    assert set(panel["segment_kind"]) == {"total"} and y2024["level"] == 26200.1
    assert y2024["segment_label_fr"] == "Total" and not panel["conflicted"].any()


def test_no_write_after_the_run_is_stopped(tmp_path):
    """After an interrupt (``outputs.stop_writes``), nothing is staged or renamed into place."""
    import pytest

    from digital_exports.tables.outputs import (
        WritesStopped,
        allow_writes,
        atomic_write,
        stop_writes,
    )

    target = tmp_path / "t.csv"
    atomic_write(target, b"a\n")
    stop_writes()
    try:
        with pytest.raises(WritesStopped, match=r"t\.csv: not written"):
            atomic_write(target, b"b\n")
    finally:
        allow_writes()
    assert target.read_bytes() == b"a\n" and sorted(tmp_path.iterdir()) == [target]
    assert atomic_write(target, b"c\n").read_bytes() == b"c\n"


@given(st.floats(-1e12, 1e12, allow_nan=False), st.integers(1, 9))
def test_rounding_an_interval_never_narrows_it(x, digits):
    from digital_exports.model.estimates import round_significant

    low, high = round_significant(x, digits, "low"), round_significant(x, digits, "high")
    assert low <= x <= high
    assert abs(round_significant(x, digits) - x) <= max(abs(x) * 10.0 ** (1 - digits), 1e-300)


@given(st.text(max_size=30))
def test_a_text_cell_never_reads_as_a_formula_and_round_trips(text):
    from digital_exports.tables.io import FORMULA_STARTS, guard_text, unguard_text

    written = guard_text(text)
    assert not written.startswith(FORMULA_STARTS)
    assert unguard_text(written) == text
