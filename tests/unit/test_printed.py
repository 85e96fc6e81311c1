"""French numbers, units and qualifiers -> values and intervals."""

import math
from decimal import Decimal

import pytest

from digital_exports.printed import PrintedValueError, parse_number, read_printed
from digital_exports.vocab import IntervalRule


@pytest.mark.parametrize(
    ("text", "mark", "value", "decimals"),
    [
        ("10,578", ",", "10.578", 3),
        ("26,2", ",", "26.2", 1),
        ("236 956", ",", "236956", 0),
        ("236\u00a0956", ",", "236956", 0),  # no-break space
        ("236\u202f956", ",", "236956", 0),  # narrow no-break space
        ("148.500", ",", "148500", 0),  # dot as thousands separator
        ("+12 223", ",", "12223", 0),
        ("-4,9", ",", "-4.9", 1),
        ("\u22124,9", ",", "-4.9", 1),  # U+2212 minus sign
        ("1 234 567,25", ",", "1234567.25", 2),
        ("2.8", ".", "2.8", 1),
        ("1,234.5", ".", "1234.5", 1),
        ("8.41715833333333", ".", "8.41715833333333", 14),
        ("48", ",", "48", 0),
    ],
)
def test_parse_number_reads_french_and_english_formats(text, mark, value, decimals):
    parsed = parse_number(text, mark)
    assert parsed.value == Decimal(value)
    assert parsed.decimals == decimals


@pytest.mark.parametrize(
    "text", ["12,3,4", "abc", "", "1 23", "12 3456", "2.8.1", "1,2a", "١٢", "--3", "3-"]
)
def test_parse_number_rejects_what_is_not_a_number(text):
    with pytest.raises(PrintedValueError) as err:
        parse_number(text, ",")
    assert err.value.field == "value"
    assert repr(text) in err.value.found


def test_rounded_print_is_plus_or_minus_half_a_unit_of_the_last_digit():
    r = read_printed("26,2", "milliards de dirhams")
    assert (r.value, r.low, r.high, r.unit) == (26200.0, 26150.0, 26250.0, "MAD mn")
    assert r.rule is IntervalRule.ROUNDED
    r = read_printed("48", "MDH")
    assert (r.low, r.high) == (47.5, 48.5)
    r = read_printed("10,578", "Mds DH")
    assert (r.low, r.high) == (10577.5, 10578.5)


def test_approximate_qualifiers_widen_to_one_unit_of_the_last_digit():
    r = read_printed("17", "%", "près de")
    assert (r.value, r.low, r.high, r.unit) == (17.0, 16.0, 18.0, "pct")
    for qualifier in ("environ", "de l'ordre de", "autour de", "quelque"):
        assert read_printed("10,6", "milliards de dirhams", qualifier).low == 10500.0


def test_bounds_open_the_interval_on_one_side():
    r = read_printed("14", "MMDH", "plus de")
    assert (r.low, r.high) == (14000.0, math.inf)
    for qualifier in ("dépassant", "au-delà de"):
        assert read_printed("14", "MMDH", qualifier).high == math.inf
    r = read_printed("5", "%", "moins de")
    assert (r.low, r.high) == (-math.inf, 5.0)


def test_units_mds_means_milliards_and_mdh_means_millions():
    assert read_printed("2,28", "MMDH").value == 2280.0
    assert read_printed("609", "MDH").value == 609.0
    assert read_printed("2.8", "billion dollars", decimal_mark=".").unit == "USD mn"
    assert read_printed("8.0571", "MAD per USD", decimal_mark=".").unit == "MAD per USD"


def test_unknown_unit_and_qualifier_are_errors_naming_the_field():
    with pytest.raises(PrintedValueError) as err:
        read_printed("3", "milliards de francs")
    assert err.value.field == "unit" and "milliards de francs" in err.value.found
    with pytest.raises(PrintedValueError) as err:
        read_printed("3", "%", "grosso modo")
    assert err.value.field == "qualifier"
