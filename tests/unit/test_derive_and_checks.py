"""Derived rows and identity checks on tiny hand-built frames."""

from __future__ import annotations

import math

import pytest
from frames import fig, frame

from digital_exports.model.build import build_series_tables


def tables(*rows):
    t = build_series_tables(frame(*rows))
    return t["series.csv"], t["checks.csv"]


def get(series, segment, period, measure, origin=None, base=""):
    rows = series[
        (series["segment"] == segment)
        & (series["period"] == period)
        & (series["measure"] == measure)
        & (series["base_period"] == base)
    ]
    if origin:
        rows = rows[rows["origin"] == origin]
    assert len(rows) == 1, (segment, period, measure, rows)
    return rows.iloc[0]


ESO_2024 = fig("l/2025-10-20-a", "e24", "ESO", "2024", "level", "3,462")
ESO_CHANGE = fig("l/2025-10-20-a", "e24c", "ESO", "2024", "change_pct", "7,1", base="2023")


def test_a_base_level_is_derived_from_a_level_and_a_change():
    series, _ = tables(ESO_2024, ESO_CHANGE)
    row = get(series, "ESO", "2023", "level", "derived")
    assert row["low"] == pytest.approx(3461.5 / 1.0715)
    assert row["high"] == pytest.approx(3462.5 / 1.0705)
    assert row["formula"].startswith("base_from_change:")
    assert row["inputs"] == (
        "digital_outsourcing_exports|ESO|2024|level;"
        "digital_outsourcing_exports|ESO|2024|change_pct|2023"
    )


def test_a_derived_value_never_overrides_a_printed_one_it_is_checked_instead():
    series, checks = tables(
        ESO_2024,
        ESO_CHANGE,
        fig("l/2025-10-17-b", "e23", "ESO", "2023", "level", "3,23"),
        fig("m/2025-10-24-c", "e23b", "ESO", "2023", "level", "3,2"),
    )
    assert get(series, "ESO", "2023", "level")["origin"] == "printed"
    implied = checks[checks["kind"] == "base_from_change"]
    assert sorted(implied["printed_value"]) == [
        "3,2 milliards de dirhams",
        "3,23 milliards de dirhams",
    ]
    assert set(implied["verdict"]) == {"consistent"}


def test_the_other_half_and_a_quarter_chain_to_a_fixed_point():
    series, _ = tables(
        fig("l/2025-10-20-a", "y", "CRM", "2024", "level", "9,797"),
        fig("l/2025-10-20-a", "q3", "CRM", "2024-Q3", "level", "2,814"),
        fig("l/2025-10-20-a", "q4", "CRM", "2024-Q4", "level", "2,183"),
    )
    h2 = get(series, "CRM", "2024-H2", "level", "derived")
    assert (h2["low"], h2["high"]) == pytest.approx((4996.0, 4998.0))
    h1 = get(series, "CRM", "2024-H1", "level", "derived")
    assert h1["value"] == pytest.approx(4800.0)
    assert (h1["low"], h1["high"]) == pytest.approx((4798.5, 4801.5))


def test_a_quarter_from_two_year_to_date_ranges():
    kw = {"series": "call_centre_receipts", "unit": "MMDH"}
    series, _ = tables(
        fig("m/2011-05-04-a", "q1", "CALL_CENTRES", "2011-01..2011-03", "level", "1,11", **kw),
        fig("l/2011-07-01-b", "h1", "CALL_CENTRES", "2011-01..2011-06", "level", "2,09", **kw),
    )
    q2 = get(series, "CALL_CENTRES", "2011-Q2", "level", "derived")
    assert (q2["low"], q2["high"]) == pytest.approx((970.0, 990.0))


def test_shares_and_levels_derive_each_other_and_changes_come_from_two_levels():
    series, _ = tables(
        fig("a/2025-10-17-x", "t", "total", "2025-H1", "level", "13,4"),
        fig("a/2025-10-17-x", "i", "ITO", "2025-H1", "level", "5,25"),
        fig("a/2025-10-17-x", "s", "CRM", "2025-H1", "share_pct", "31,3"),
        fig("a/2025-10-17-x", "k", "KPO", "2024", "level", "48", unit="MDH"),
        fig("a/2025-10-17-x", "k0", "KPO", "2023", "level", "78", unit="MDH"),
    )
    share = get(series, "ITO", "2025-H1", "share_pct", "derived")
    assert share["low"] == pytest.approx(100 * 5245 / 13450)
    level = get(series, "CRM", "2025-H1", "level", "derived")
    assert (level["low"], level["high"]) == pytest.approx((31.25 * 133.5, 31.35 * 134.5))
    change = get(series, "KPO", "2024", "change_pct", "derived", base="2023")
    assert change["value"] == pytest.approx(100 * (48 / 78 - 1))


def test_different_series_are_never_chained():
    series, checks = tables(
        fig(
            "a/2024-04-01-x",
            "m",
            "total",
            "2022",
            "level",
            "15,7",
            series="outsourcing_exports_mtnra",
        ),
        fig("b/2025-10-17-y", "d", "total", "2023", "level", "26,17"),
    )
    assert (series["origin"] == "derived").sum() == 0 and checks.empty


SEGMENTS_2024 = [
    fig("e/2025-10-20-a", "ito", "ITO", "2024", "level", "10,578"),
    fig("e/2025-10-20-a", "crm", "CRM", "2024", "level", "9,797"),
    fig("e/2025-10-20-a", "eso", "ESO", "2024", "level", "3,462"),
    fig("e/2025-10-20-a", "bpo", "BPO", "2024", "level", "2,334"),
    fig("e/2025-10-20-a", "kpo", "KPO", "2024", "level", "48", unit="MDH"),
]


def test_segments_add_up_to_each_print_of_the_total():
    _, checks = tables(
        *SEGMENTS_2024,
        fig("l/2025-10-17-b", "t1", "total", "2024", "level", "26,2"),
        fig("l/2026-02-23-c", "t2", "total", "2024", "level", "26,22"),
    )
    rows = checks[checks["kind"] == "segments_sum"]
    assert len(rows) == 2 and set(rows["verdict"]) == {"consistent"}
    assert rows["computed_low"].iloc[0] == pytest.approx(26216.5)
    assert rows["computed_high"].iloc[0] == pytest.approx(26221.5)


def test_segments_that_do_not_add_up_are_contradicted():
    _, checks = tables(
        *SEGMENTS_2024, fig("l/2025-10-17-b", "t1", "total", "2024", "level", "27,2")
    )
    assert checks.loc[checks["kind"] == "segments_sum", "verdict"].item() == "contradicted"


def test_truncation_is_granted_to_a_print_only_against_a_more_precise_computed_value():
    # The total 10,0 may truncate 10,071 computed from precise segments: granted.
    _, checks = tables(
        fig("a/2025-10-17-x", "i", "ITO", "2024", "level", "3,402"),
        fig("a/2025-10-17-x", "c", "CRM", "2024", "level", "6,599"),
        fig("a/2025-10-17-x", "e", "ESO", "2024", "level", "0,070"),
        fig("a/2025-10-17-x", "b", "BPO", "2024", "level", "0,000"),
        fig("a/2025-10-17-x", "k", "KPO", "2024", "level", "0,000"),
        fig("b/2025-10-17-y", "t", "total", "2024", "level", "10,0"),
    )
    row = checks[checks["kind"] == "segments_sum"].iloc[0]
    assert row["verdict"] == "consistent_if_truncated", row["reason"]


def test_truncated_inputs_are_not_granted():
    # Segments printed to 0,1 do not become truncations of the precise total they add up to.
    _, checks = tables(
        fig("a/2025-10-17-x", "i", "ITO", "2024", "level", "3,4"),
        fig("a/2025-10-17-x", "c", "CRM", "2024", "level", "6,5"),
        fig("a/2025-10-17-x", "e", "ESO", "2024", "level", "0,000"),
        fig("a/2025-10-17-x", "b", "BPO", "2024", "level", "0,000"),
        fig("a/2025-10-17-x", "k", "KPO", "2024", "level", "0,000"),
        fig("b/2025-10-17-y", "t", "total", "2024", "level", "10,04"),
    )
    row = checks[checks["kind"] == "segments_sum"].iloc[0]
    assert row["verdict"] == "contradicted", row["reason"]


def test_shares_add_up_to_100():
    shares = [("ITO", "40,3"), ("CRM", "37,4"), ("ESO", "13,2"), ("BPO", "8,9"), ("KPO", "0,2")]
    _, checks = tables(*(fig("l/2025-10-17-a", s, s, "2024", "share_pct", v) for s, v in shares))
    row = checks[checks["kind"] == "shares_sum_100"].iloc[0]
    assert row["verdict"] == "consistent"
    assert (row["computed_low"], row["computed_high"]) == pytest.approx((99.75, 100.25))


def test_a_printed_change_that_rounding_of_the_levels_explains():
    _, checks = tables(
        fig("l/2025-10-17-a", "h25", "total", "2025-H1", "level", "13,4"),
        fig("l/2025-10-17-a", "h24", "total", "2024-H1", "level", "12,9"),
        fig("l/2025-10-17-a", "c", "total", "2025-H1", "change_pct", "3,5", base="2024-H1"),
    )
    row = checks[checks["kind"] == "change_from_levels"].iloc[0]
    assert row["verdict"] == "consistent"
    assert row["computed_value"] == pytest.approx(100 * (13.4 / 12.9 - 1))
    assert "lies outside the printed interval" in row["reason"]


def test_a_growth_rate_that_one_print_of_the_base_contradicts():
    kw = {"series": "offshoring_receipts", "status": "unknown"}
    _, checks = tables(
        fig("c/2016-08-01-a", "l15", "total", "2015", "level", "7,54", **kw),
        fig("c/2016-08-01-a", "g", "total", "2015", "avg_growth_pct", "2,4", base="2011", **kw),
        fig("c/2016-08-01-a", "l11", "total", "2011", "level", "6,86", **kw),
        fig("m/2016-08-09-b", "l11b", "total", "2011", "level", "6,68", **kw),
    )
    implied = checks[checks["kind"] == "base_from_avg_growth"].set_index("printed_value")
    assert implied.loc["6,86 milliards de dirhams", "verdict"] == "consistent"
    assert implied.loc["6,68 milliards de dirhams", "verdict"] == "contradicted"


def test_a_change_without_levels_is_not_checkable():
    _, checks = tables(
        fig("c/2016-08-01-a", "g", "total", "2016-H1", "change_pct", "18,1", base="2015-H1")
    )
    row = checks.iloc[0]
    assert row["verdict"] == "not_checkable" and "level 2016-H1" in row["reason"]


def test_a_derived_row_on_a_half_line_has_no_point_value():
    series, _ = tables(
        fig("a/2025-10-17-x", "t", "total", "2024", "level", "14", qualifier="plus de"),
        fig("a/2025-10-17-x", "c", "total", "2024", "change_pct", "5,0", base="2023"),
    )
    base = series[(series["period"] == "2023") & (series["measure"] == "level")].iloc[0]
    assert base["origin"] == "derived" and math.isnan(base["value"])
    assert base["low"] == pytest.approx(14000 / 1.0505) and base["high"] == math.inf


def test_a_forecast_is_never_used_to_derive_nor_checked():
    series, checks = tables(
        fig("a/2019-01-01-x", "f", "total", "2019", "level", "10,5", qualifier="devrait dépasser"),
        fig("a/2019-01-01-x", "l", "total", "2018", "level", "9,8"),
    )
    assert (series["origin"] == "derived").sum() == 0  # no 2019/2018 change from a forecast
    row = checks[checks["kind"] == "forecast"].iloc[0]
    assert row["verdict"] == "not_checkable" and "forecast" in row["reason"]
    assert series.loc[series["period"] == "2019", "data_status"].item() == "forecast"


def test_producers_are_not_pooled_in_a_series_that_does_not_say_so():
    s = "offshoring_turnover_other"
    _, checks = tables(
        fig("a/2014-01-01-x", "l", "total", "2013", "level", "7,2", series=s, producer="AMRC"),
        fig("a/2014-01-01-x", "c", "total", "2013", "change_pct", "-2,7", base="2012", series=s,
            producer="AMRC"),
        fig("b/2013-01-01-y", "m", "total", "2012", "level", "7,3", series=s,
            producer="Ministère de l'Industrie"),
    )  # fmt: skip
    # The AMRC's change and level are not checked against the ministry's 2012 level.
    assert checks[checks["printed_ref"] == "b/2013-01-01-y#m"].empty
    # ...but pooled in the joint OC-MTNRA series.
    _, checks = tables(
        fig("a/2025-10-17-x", "l", "total", "2024", "level", "26,2", producer="Office des Changes"),
        fig("b/2025-10-17-y", "c", "total", "2024", "change_pct", "0,2", base="2023",
            producer="MTNRA"),
        fig("c/2025-10-17-z", "m", "total", "2023", "level", "26,17", producer="MTNRA"),
    )  # fmt: skip
    assert not checks[checks["printed_ref"] == "c/2025-10-17-z#m"].empty
