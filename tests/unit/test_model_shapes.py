"""The release shapes that stopped the model (issue 17), each a plain regression test.

Each was found by a new user with a real page, and each is also a shape the world generator
(``test_model_properties.py``) draws, so that its whole family is covered, not only this example.
"""

from __future__ import annotations

import pytest
from frames import fig, frame

from digital_exports.contract.periods import YEARS, PeriodError, parse_period, shift_years
from digital_exports.contract.releases import load_releases
from digital_exports.model.build import build_series_tables
from digital_exports.tables.io import encode_table, read_table

LEGACY = "offshoring_receipts"


def built(*rows: dict) -> dict:
    """The model's tables, each written and read back through its schema (unique keys)."""
    tables = build_series_tables(frame(*rows))
    for name, table in tables.items():
        read_table(encode_table(name, table), name)
    return tables


def test_two_routes_to_one_quarter_are_two_checks():
    # A legacy page prints a segment's H1, both of its quarters and the H1 total, in a series
    # that holds the segment's year from another outlet: Q2 is reached as H1 - Q1 and as the
    # complement of a range, and each route is a check of the printed Q2 (it was one id, twice).
    a, b = "a/2016-01-01-year", "b/2016-02-01-half"
    tables = built(
        fig(a, "y", "CC_BPO_OUT", "2015", "level", "6,0", series=LEGACY, date="2016-01-01"),
        fig(b, "h1", "CC_BPO_OUT", "2015-H1", "level", "3,0", series=LEGACY, date="2016-02-01"),
        fig(b, "q1", "CC_BPO_OUT", "2015-Q1", "level", "1,5", series=LEGACY, date="2016-02-01"),
        fig(b, "q2", "CC_BPO_OUT", "2015-Q2", "level", "1,5", series=LEGACY, date="2016-02-01"),
        fig(b, "t", "total", "2015-H1", "level", "5,0", series=LEGACY, date="2016-02-01"),
    )
    checks = tables["checks.csv"]
    on_q2 = checks[(checks["printed_ref"] == f"{b}#q2") & (checks["kind"] != "forecast")]
    assert len(on_q2) >= 2
    assert on_q2["check_id"].is_unique
    # H1 - Q1, and (2015 - Q1 = Apr..Dec) - (2015 - H1 = H2), both derived in between
    assert set(on_q2["inputs"]) == {
        f"{LEGACY}|CC_BPO_OUT|2015-H1|level;{LEGACY}|CC_BPO_OUT|2015-Q1|level",
        f"{LEGACY}|CC_BPO_OUT|2015-04..2015-12|level;{LEGACY}|CC_BPO_OUT|2015-H2|level",
    }
    assert set(on_q2["verdict"]) == {"consistent"}
    # every route names its inputs in its id
    assert all(
        cid.endswith(inputs) for cid, inputs in zip(on_q2["check_id"], on_q2["inputs"], strict=True)
    )


def test_a_quantity_printed_twice_in_one_release_and_otherwise_elsewhere():
    # Two equal prints in one release, a third that disagrees: every criterion of the rule but
    # the figure id ties the two first ones (it raised StopIteration).
    a, b = "a/2025-10-17-twice", "b/2025-10-18-other"
    tables = built(
        fig(a, "y1", "total", "2024", "level", "26,2"),
        fig(a, "y2", "total", "2024", "level", "26,2"),
        fig(b, "y1", "total", "2024", "level", "27,2", date="2025-10-18"),
    )
    conflicts = tables["conflicts.csv"]
    assert set(conflicts["release_id"] + "#" + conflicts["figure_id"]) == {
        f"{a}#y1",
        f"{a}#y2",
        f"{b}#y1",
    }
    (kept,) = conflicts[conflicts["chosen"]].itertuples()
    assert kept.chosen_because


@pytest.mark.parametrize(
    ("q3", "q4", "flagged"),
    [
        ("3,0", "3,0", True),  # H2 = year - H1 gives 13,3; Q3 + Q4 gives 6: no common value
        ("6,6", "6,7", False),  # both routes give about 13,3
    ],
)
def test_a_derived_row_is_flagged_when_its_routes_share_no_value(q3, q4, flagged):
    a = "a/2025-10-17-routes"
    tables = built(
        fig(a, "y", "total", "2024", "level", "26,2"),
        fig(a, "h1", "total", "2024-H1", "level", "12,9"),
        fig(a, "q3", "total", "2024-Q3", "level", q3),
        fig(a, "q4", "total", "2024-Q4", "level", q4),
    )
    series = tables["series.csv"]
    (h2,) = series[(series["period"] == "2024-H2") & (series["measure"] == "level")].itertuples()
    assert h2.origin == "derived"
    assert h2.conflicted == flagged
    assert h2.agreement == ("conflict" if flagged else "")
    assert ("disagrees with" in h2.formula) == flagged


@pytest.mark.parametrize(
    "code", ["0001", "0000", "0002-H1", "1899-Q4", "2100-01", "2099-12..2100-01"]
)
def test_a_year_outside_the_domain_is_not_a_period(code):
    with pytest.raises(PeriodError, match="outside 1900-2099"):
        parse_period(code)


def test_the_domain_edges_are_periods_the_model_computes_with():
    first, last = YEARS[0], YEARS[-1]
    a = "a/2025-10-17-edges"
    tables = built(
        fig(a, "y0", "total", f"{first}", "level", "26,2"),
        fig(a, "y1", "total", f"{first + 1}", "level", "27,2"),
        fig(a, "h", "total", f"{first}-H1", "level", "13,1"),
        fig(a, "z", "total", f"{last}", "level", "28,2"),
    )
    series = tables["series.csv"]
    assert {f"{first}-H2", f"{first + 1}"} <= set(series["period"])
    with pytest.raises(PeriodError):
        shift_years(parse_period(f"{first}"), -1)


def test_a_year_outside_the_domain_is_refused_at_ingest(raw_folder):
    raw_folder.edit("figures.csv", "total,2024,level", "total,0001,level")
    from digital_exports.contract.errors import ReleaseFormatError

    with pytest.raises(ReleaseFormatError) as err:
        load_releases(raw_folder.raw, raw_folder.root)
    (msg,) = [str(p) for p in err.value.problems]
    assert "line 2" in msg and "period" in msg and "'0001'" in msg and "1900-2099" in msg


def test_a_check_whose_computed_interval_is_the_whole_line():
    # Found by the world generator: H2 = year - H1 with both printed as lower bounds is
    # (-inf, +inf); comparing it with the printed H2 raised a TypeError.
    a = "a/2025-10-17-bounds"
    tables = built(
        fig(a, "y", "total", "2024", "level", "26", qualifier="plus de"),
        fig(a, "h1", "total", "2024-H1", "level", "12", qualifier="plus de"),
        fig(a, "h2", "total", "2024-H2", "level", "13,3"),
    )
    checks = tables["checks.csv"]
    (h2,) = checks[checks["printed_ref"] == f"{a}#h2"].itertuples()
    assert h2.kind == "period_complement" and h2.verdict == "consistent"


def _conversion_verdict(
    printed_usd: str, rate: str = "9,8", rate_qualifier: str = ""
) -> tuple[str, str]:
    a = "a/2025-10-17-dollars"
    tables = built(
        fig(a, "mad", "total", "2024", "level", "26,2"),
        fig(a, "usd", "total", "2024", "level", printed_usd, unit="milliards de dollars"),
        fig("wb/2025-07-01-rates", "r", "MAD_PER_USD", "2024", "rate", rate, unit="MAD per USD",
            qualifier=rate_qualifier, series="exchange_rate", producer="World Bank"),
    )  # fmt: skip
    checks = tables["checks.csv"]
    (row,) = checks[checks["printed_ref"] == f"{a}#usd"].itertuples()
    return row.verdict, row.reason


@pytest.mark.parametrize(
    ("printed", "verdict"),
    [
        ("2,67", "consistent"),  # 26,2 / 9,8
        ("2,8", "converted_at_other_rate"),  # 9,36 MAD per USD: another day's rate
        ("-2,67", "contradicted"),  # a sign: no rate is negative
        ("2 670", "contradicted"),  # a factor of 1 000
    ],
)
def test_a_misprinted_conversion_is_not_an_outlets_own_rate(printed, verdict):
    # Found by the fuzz loop: every conversion that disagreed read as "converted at another
    # rate", a sign or a factor of 1 000 included.
    assert _conversion_verdict(printed)[0] == verdict


@pytest.mark.parametrize(("rate", "qualifier"), [("-9,4", ""), ("1", "moins de")])
def test_a_misprinted_rate_makes_the_conversion_not_checkable(rate, qualifier):
    # Found by the fuzz loop: the reason text divided by a rate interval holding zero. (Ingest
    # now refuses a rate that is not positive; the model holds without that guard too.)
    verdict, reason = _conversion_verdict("2,67", rate=rate, rate_qualifier=qualifier)
    assert verdict == "not_checkable" and reason


def test_a_rate_that_is_not_positive_is_refused_at_ingest(raw_folder):
    raw_folder.edit(
        "figures.csv",
        "d.level,",
        'r.rate,exchange_rate,MAD_PER_USD,2024,rate,"-9,4",MAD per USD,,,\nd.level,',
    )
    from digital_exports.contract.errors import ReleaseFormatError

    with pytest.raises(ReleaseFormatError) as err:
        load_releases(raw_folder.raw, raw_folder.root)
    (msg,) = [str(p) for p in err.value.problems]
    assert "line 6" in msg and "not a positive number" in msg


def test_a_forecast_gives_way_to_an_outturn_derived_for_the_same_quantity():
    # Found by the world generator: a 2023 target beside the 2023 level derived from 2024 and
    # its change made two 2023 rows in series.csv, and estimates.csv stopped on them.
    a = "a/2025-10-17-target"
    tables = built(
        fig(a, "t", "total", "2023", "level", "30", qualifier="devrait atteindre"),
        fig(a, "y", "total", "2024", "level", "26,2"),
        fig(a, "c", "total", "2024", "change_pct", "0,2", base="2023"),
    )
    series = tables["series.csv"]
    rows = series[(series["period"] == "2023") & (series["measure"] == "level")]
    assert list(rows["origin"]) == ["derived"]
    checks = tables["checks.csv"]
    assert list(checks[checks["printed_ref"] == f"{a}#t"]["kind"]) == ["forecast"]


def test_a_series_printed_mostly_in_dollars_is_still_worked_in_dirhams():
    # Found by the world generator: the own currency was the unit of most printed quantities,
    # so an outlet's dollar conversions of two halves made the series a dollar one, and the
    # dirham change 2025-H1 / 2024-H1 was checked against dollar levels (the rate moved: a
    # false contradiction). The currency is declared in the vocabulary (Series.currency).
    a, b = "a/2025-10-17-mad", "b/2025-10-18-usd"
    tables = built(
        fig(a, "h", "total", "2025-H1", "level", "13,4"),
        fig(a, "c", "total", "2025-H1", "change_pct", "3,5", base="2024-H1"),
        fig(b, "u25", "total", "2025-H1", "level", "1,40", unit="milliards de dollars"),
        fig(b, "u24", "total", "2024-H1", "level", "1,25", unit="milliards de dollars"),
    )
    checks = tables["checks.csv"]
    assert "contradicted" not in set(checks["verdict"]), checks[["check_id", "verdict"]]
    series = tables["series.csv"]
    (base,) = series[(series["period"] == "2024-H1") & (series["measure"] == "level")].itertuples()
    assert base.origin == "derived" and base.unit == "MAD mn"
    assert base.low <= 13400 / 1.035 <= base.high
    assert set(tables["conversions.csv"]["unit"]) == {"USD mn"}
