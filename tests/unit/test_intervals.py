"""Interval arithmetic: closed-form cases for every function, then properties on rounded prints.

Floating-point tolerance in the property tests: the module computes bounds in ordinary
round-to-nearest floating point, and the "true" results below are computed in floating point
too, so each can be off by a few ulps (relative error ~1e-15). Before checking that a true value
lies in a computed interval, the interval is widened by ``REL_TOL = 1e-12`` of its largest bound
magnitude (at least 1). That is a thousand times the floating error, and still far smaller
than the rounding of any print drawn here (at least ~5e-10 relative: 3 decimals on 1e6), so an
interval that is too narrow by even the finest print rounding is caught. ``1e-9``, the largest
tolerance one might allow, would be too loose for the finest prints, hence the smaller value.
"""

from __future__ import annotations

import dataclasses
import math
import operator
import re
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from digital_exports.model.intervals import (
    Interval,
    add,
    div,
    growth_pct,
    intersect,
    intersect_all,
    level_from_change,
    mul,
    overlaps,
    share_pct,
    sub,
    sum_intervals,
)

INF = math.inf
REL_TOL = 1e-12
PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)


def approx_interval(result: Interval, low: float, high: float) -> None:
    """Assert ``result`` is ``[low, high]`` up to floating error (infinite bounds exactly)."""
    assert result.low == pytest.approx(low, rel=1e-12, abs=1e-15), (str(result), low, high)
    assert result.high == pytest.approx(high, rel=1e-12, abs=1e-15), (str(result), low, high)


# --- the Interval type -------------------------------------------------------------------------


def test_interval_keeps_float_bounds():
    iv = Interval(1, 2)
    assert (iv.low, iv.high) == (1.0, 2.0)
    assert isinstance(iv.low, float) and isinstance(iv.high, float)


def test_negative_zero_bounds_become_zero():
    iv = Interval(-0.0, -0.0)
    assert math.copysign(1.0, iv.low) == 1.0 and math.copysign(1.0, iv.high) == 1.0
    assert str(iv) == "[0, 0]"


@pytest.mark.parametrize(
    ("low", "high"),
    [(2.0, 1.0), (math.nan, 1.0), (0.0, math.nan), (INF, INF), (-INF, -INF), (INF, -INF)],
)
def test_interval_refuses_bad_bounds(low, high):
    with pytest.raises(ValueError, match="interval"):
        Interval(low, high)


@pytest.mark.parametrize("bound", ["1", None, True])
def test_interval_refuses_non_numbers(bound):
    with pytest.raises(TypeError, match="real number"):
        Interval(bound, 3.0)


def test_interval_is_frozen_and_hashable():
    iv = Interval(1.0, 2.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        iv.low = 0.0  # type: ignore[misc]
    assert {iv, Interval(1, 2)} == {iv}


def test_point_and_of():
    assert Interval.point(3.5) == Interval(3.5, 3.5)
    assert Interval.of(5, 2) == Interval(2.0, 5.0)
    assert Interval.of(2, 5) == Interval(2.0, 5.0)
    assert Interval.of(INF, 14) == Interval(14.0, INF)
    with pytest.raises(ValueError, match="NaN"):
        Interval.of(1.0, math.nan)
    with pytest.raises(ValueError, match="NaN"):
        Interval.of(math.nan, 1.0)
    with pytest.raises(ValueError, match="no real number"):
        Interval.point(INF)


def test_width_midpoint_is_bounded():
    iv = Interval(26150.0, 26250.0)
    assert iv.width == 100.0 and iv.midpoint == 26200.0 and iv.is_bounded
    assert Interval.point(-3.0).width == 0.0 and Interval.point(-3.0).midpoint == -3.0
    assert Interval(-1e308, 1e308).midpoint == 0.0
    assert Interval(1e308, 1.7e308).midpoint == 1.35e308  # no overflow to inf
    for unbounded in (Interval(14.0, INF), Interval(-INF, 2.0), Interval(-INF, INF)):
        assert unbounded.width == INF
        assert math.isnan(unbounded.midpoint)
        assert not unbounded.is_bounded


def test_contains_includes_both_bounds():
    iv = Interval(26150.0, 26250.0)
    assert iv.contains(26150.0) and iv.contains(26250.0) and iv.contains(26200)
    assert not iv.contains(math.nextafter(26150.0, -INF))
    assert not iv.contains(math.nextafter(26250.0, INF))
    assert not iv.contains(math.nan)
    assert Interval(14.0, INF).contains(1e300) and not Interval(14.0, INF).contains(13.9)
    assert Interval(-INF, INF).contains(-1e308)


@pytest.mark.parametrize(
    ("iv", "text"),
    [
        (Interval(26150.0, 26250.0), "[26150, 26250]"),
        (Interval(14.0, INF), "[14, inf]"),
        (Interval(-INF, -4.9), "[-inf, -4.9]"),
        (Interval(3461.5, 3462.5), "[3461.5, 3462.5]"),
        (Interval(0.1, 1 / 3), "[0.1, 0.3333333333333333]"),
        (Interval(1e20, 1e20), "[1e+20, 1e+20]"),
    ],
)
def test_str(iv, text):
    assert str(iv) == text


# --- addition and subtraction ------------------------------------------------------------------


def test_add_and_sub_closed_form():
    a, b = Interval(10550.0, 10650.0), Interval(15550.0, 15650.0)
    assert add(a, b) == Interval(26100.0, 26300.0)
    assert sub(b, a) == Interval(4900.0, 5100.0)
    assert sub(a, b) == Interval(-5100.0, -4900.0)
    assert sub(a, a) == Interval(-100.0, 100.0)  # operands are independent


def test_add_and_sub_with_infinite_bounds():
    assert add(Interval(14.0, INF), Interval(1.0, 2.0)) == Interval(15.0, INF)
    assert add(Interval(-INF, 3.0), Interval(1.0, 2.0)) == Interval(-INF, 5.0)
    assert add(Interval(14.0, INF), Interval(-INF, 3.0)) == Interval(-INF, INF)
    assert sub(Interval(14.0, INF), Interval(1.0, 2.0)) == Interval(12.0, INF)
    assert sub(Interval(1.0, 2.0), Interval(14.0, INF)) == Interval(-INF, -12.0)
    assert sub(Interval(14.0, INF), Interval(14.0, INF)) == Interval(-INF, INF)


def test_add_sub_accept_numbers_and_operators():
    iv = Interval(1.0, 2.0)
    assert add(iv, 1) == iv + 1 == 1 + iv == 1.0 + iv == Interval(2.0, 3.0)
    assert sub(iv, 1) == iv - 1 == Interval(0.0, 1.0)
    assert sub(10, iv) == 10 - iv == Interval(8.0, 9.0)
    assert iv + Interval(3.0, 4.0) == Interval(4.0, 6.0)
    assert iv - Interval(3.0, 4.0) == Interval(-3.0, -1.0)
    assert -iv == Interval(-2.0, -1.0)
    assert add(3, 4) == Interval.point(7.0)


@pytest.mark.parametrize("bad", ["1", None, True, [1.0]])
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv])
def test_operators_refuse_other_types(op, bad):
    iv = Interval(1.0, 2.0)
    with pytest.raises(TypeError):
        op(iv, bad)
    with pytest.raises(TypeError):
        op(bad, iv)


def test_sum_intervals():
    segments = [Interval(10550.0, 10650.0), Interval(15550.0, 15650.0)]
    assert sum_intervals(segments) == Interval(26100.0, 26300.0)
    assert sum_intervals(iter(segments)) == Interval(26100.0, 26300.0)
    assert sum_intervals([]) == Interval(0.0, 0.0)
    assert sum_intervals([Interval(14.0, INF), 1.5, Interval(-1.0, 1.0)]) == Interval(14.5, INF)
    assert sum(segments, Interval.point(0.0)) == sum(segments) == sum_intervals(segments)


# --- multiplication ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((1, 2), (3, 4), (3, 8)),  # + * +
        ((-2, 3), (4, 5), (-10, 15)),  # mixed * +
        ((4, 5), (-2, 3), (-10, 15)),  # + * mixed
        ((-2, -1), (4, 5), (-10, -4)),  # - * +
        ((1, 2), (-5, -4), (-10, -4)),  # + * -
        ((-2, -1), (-5, -4), (4, 10)),  # - * -
        ((-2, 3), (-5, -4), (-15, 10)),  # mixed * -
        ((-2, 3), (-5, 4), (-15, 12)),  # mixed * mixed
        ((-3, 2), (-5, 4), (-12, 15)),  # mixed * mixed, the other corner wins
        ((0, 0), (-5, 4), (0, 0)),
        ((-2, 3), (0, 0), (0, 0)),
    ],
)
def test_mul_all_sign_cases(a, b, expected):
    assert mul(Interval(*a), Interval(*b)) == Interval(*expected)
    assert Interval(*a) * Interval(*b) == Interval(*expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, INF), (2, 3), (0, INF)),
        ((0, 0), (1, INF), (0, 0)),  # 0 * inf = 0
        ((-INF, INF), (0, 0), (0, 0)),  # 0 * inf = 0
        ((-1, INF), (0, 2), (-2, INF)),
        ((14, INF), (-3, -2), (-INF, -28)),
        ((-INF, -1), (-INF, -2), (2, INF)),
        ((1, INF), (-1, 1), (-INF, INF)),
        ((0, 1), (-INF, INF), (-INF, INF)),
    ],
)
def test_mul_with_infinite_bounds(a, b, expected):
    result = mul(Interval(*a), Interval(*b))
    assert result == Interval(*expected)
    assert not any(math.isnan(x) for x in (result.low, result.high))


def test_mul_with_numbers():
    iv = Interval(1.0, 2.0)
    assert mul(iv, 3) == iv * 3 == 3 * iv == Interval(3.0, 6.0)
    assert iv * -1 == -1 * iv == Interval(-2.0, -1.0)
    assert Interval(14.0, INF) * 0 == Interval(0.0, 0.0)
    assert 1000 * Interval(26.15, 26.25) == Interval(1000 * 26.15, 1000 * 26.25)


# --- division ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((1, 2), (4, 5), (1 / 5, 2 / 4)),  # + / +
        ((-2, -1), (4, 5), (-2 / 4, -1 / 5)),  # - / +
        ((1, 2), (-4, -2), (2 / -2, 1 / -4)),  # + / -
        ((-2, -1), (-4, -2), (-1 / -4, -2 / -2)),  # - / -
        ((-2, 3), (4, 5), (-2 / 4, 3 / 4)),  # mixed / +
        ((-2, 3), (-5, -4), (3 / -4, -2 / -4)),  # mixed / -
        ((0, 0), (4, 5), (0, 0)),
    ],
)
def test_div_all_sign_cases(a, b, expected):
    approx_interval(div(Interval(*a), Interval(*b)), *expected)
    approx_interval(Interval(*a) / Interval(*b), *expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((14, INF), (2, 4), (3.5, INF)),
        ((1, 2), (2, INF), (0, 1)),  # 1 / inf = 0
        ((1, INF), (2, INF), (0, INF)),  # inf * 0 = 0 on the reciprocal
        ((-2, -1), (-INF, -4), (0, 0.5)),
        ((-INF, 3), (1, 2), (-INF, 3)),
        ((-INF, INF), (1, 2), (-INF, INF)),
    ],
)
def test_div_with_infinite_bounds(a, b, expected):
    assert div(Interval(*a), Interval(*b)) == Interval(*expected)


def test_div_with_numbers():
    iv = Interval(1.0, 2.0)
    assert div(iv, 4) == iv / 4 == Interval(0.25, 0.5)
    assert div(1, Interval(2.0, 4.0)) == 1 / Interval(2.0, 4.0) == Interval(0.25, 0.5)
    assert 1.0 / Interval(-4.0, -2.0) == Interval(-0.5, -0.25)


@pytest.mark.parametrize(
    "divisor",
    [
        Interval(-1.0, 1.0),  # 0 strictly inside
        Interval(0.0, 2.0),  # 0 at the low bound
        Interval(-3.0, 0.0),  # 0 at the high bound
        Interval.point(0.0),
        Interval(-INF, INF),
        Interval(0.0, INF),
    ],
)
def test_div_by_an_interval_containing_zero_raises_naming_it(divisor):
    with pytest.raises(ZeroDivisionError, match=re.escape(str(divisor))):
        div(Interval(1.0, 2.0), divisor)
    with pytest.raises(ZeroDivisionError, match="contains 0"):
        Interval(1.0, 2.0) / divisor


def test_div_by_a_zero_number_raises():
    with pytest.raises(ZeroDivisionError, match=re.escape("[0, 0]")):
        Interval(1.0, 2.0) / 0
    with pytest.raises(ZeroDivisionError):
        1 / Interval(-1.0, 1.0)


# --- derived figures ---------------------------------------------------------------------------


def test_growth_pct_closed_form():
    # 13,4 bn in H1 2025 against 12,9 bn a year before, both rounded to 0,1 bn.
    new, base = Interval(13350.0, 13450.0), Interval(12850.0, 12950.0)
    result = growth_pct(new, base)
    approx_interval(result, 100 * (13350 / 12950 - 1), 100 * (13450 / 12850 - 1))
    assert result.contains(100 * (13.4 / 12.9 - 1))
    assert result.contains(3.5) and not result.contains(3.0) and not result.contains(4.7)


def test_growth_pct_negative_and_unbounded():
    approx_interval(growth_pct(Interval(90.0, 91.0), Interval(100.0, 101.0)), -1100 / 101, -9.0)
    approx_interval(growth_pct(Interval(14.0, INF), Interval(10.0, 10.0)), 40.0, INF)
    approx_interval(growth_pct(110.0, 100.0), 10.0, 10.0)
    with pytest.raises(ZeroDivisionError):
        growth_pct(Interval(1.0, 2.0), Interval(0.0, 1.0))


def test_share_pct_closed_form():
    part, total = Interval(10550.0, 10650.0), Interval(26150.0, 26250.0)
    result = share_pct(part, total)
    approx_interval(result, 100 * 10550 / 26250, 100 * 10650 / 26150)
    assert result.contains(100 * 10.6 / 26.2)
    approx_interval(share_pct(Interval(14.0, INF), Interval(100.0, 100.0)), 14.0, INF)


def test_share_pct_treats_part_and_total_as_independent():
    # With part <= total the share could not exceed 100; treated independently it can, which is
    # the documented conservative (wider) choice.
    assert share_pct(Interval(1.0, 3.0), Interval(2.0, 4.0)) == Interval(25.0, 150.0)
    with pytest.raises(ZeroDivisionError):
        share_pct(Interval(1.0, 3.0), Interval(0.0, 4.0))


def test_level_from_change_eso():
    # 3 462 MAD mn printed with a change of 7,1 %: the base-period level.
    level, change = Interval(3461.5, 3462.5), Interval(7.05, 7.15)
    result = level_from_change(level, change)
    approx_interval(result, 3461.5 / 1.0715, 3462.5 / 1.0705)
    assert result.contains(3462 / 1.071)
    assert not result.contains(3462.0)


def test_level_from_change_negative_and_impossible():
    approx_interval(level_from_change(90.0, -10.0), 100.0, 100.0)
    approx_interval(level_from_change(Interval(90.0, 90.0), Interval(-10.0, 0.0)), 90.0, 100.0)
    with pytest.raises(ZeroDivisionError, match="contains 0"):
        level_from_change(Interval(1.0, 2.0), Interval(-150.0, -50.0))


# --- intersection and agreement ----------------------------------------------------------------


def test_intersect():
    assert intersect(Interval(1.0, 3.0), Interval(2.0, 5.0)) == Interval(2.0, 3.0)
    assert intersect(Interval(2.0, 5.0), Interval(1.0, 3.0)) == Interval(2.0, 3.0)
    assert intersect(Interval(1.0, 10.0), Interval(2.0, 3.0)) == Interval(2.0, 3.0)
    assert intersect(Interval(1.0, 2.0), Interval(2.0, 3.0)) == Interval.point(2.0)
    assert intersect(Interval(14.0, INF), Interval(-INF, 20.0)) == Interval(14.0, 20.0)
    assert intersect(Interval(1.0, 2.0), Interval(2.5, 3.0)) is None
    assert intersect(Interval(-INF, 1.0), Interval(14.0, INF)) is None


def test_intersect_all():
    sources = [Interval(0.0, 10.0), Interval(2.0, 12.0), Interval(-INF, 5.0)]
    assert intersect_all(sources) == Interval(2.0, 5.0)
    assert intersect_all(iter(sources)) == Interval(2.0, 5.0)
    assert intersect_all([Interval(14.0, INF)]) == Interval(14.0, INF)
    assert intersect_all([*sources, Interval(6.0, 7.0)]) is None
    assert intersect_all([Interval(6.0, 7.0), Interval(0.0, 1.0), Interval(0.0, 9.0)]) is None
    with pytest.raises(ValueError, match="at least one"):
        intersect_all([])


def test_overlaps():
    assert overlaps(Interval(1.0, 3.0), Interval(2.0, 5.0))
    assert overlaps(Interval(1.0, 2.0), Interval(2.0, 3.0))  # touching
    assert overlaps(Interval(2.0, 3.0), Interval(1.0, 2.0))
    assert overlaps(Interval(14.0, INF), Interval(1e9, 1e9))
    assert not overlaps(Interval(1.0, 2.0), Interval(2.5, 3.0))
    assert not overlaps(Interval(2.5, 3.0), Interval(1.0, 2.0))
    assert not overlaps(Interval(-INF, 13.0), Interval(14.0, INF))


# --- truncation --------------------------------------------------------------------------------


# --- properties: true values always lie in the interval computed from their prints -------------

TRUE_VALUES = st.floats(min_value=1.0, max_value=1e6, allow_nan=False, allow_infinity=False)
SIGNED_VALUES = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
DECIMALS = st.integers(min_value=0, max_value=3)


def rounded_print(true: float, decimals: int) -> Interval:
    """The interval a print of ``round(true, decimals)`` stands for: ± half a last digit.

    The bounds are computed in decimal and rounded to the nearest float once; as ``true`` is a
    float, rounding to nearest is monotonic and the interval contains ``true`` exactly.
    """
    printed = Decimal(repr(round(true, decimals)))
    half = Decimal(5).scaleb(-decimals - 1)
    result = Interval(float(printed - half), float(printed + half))
    assert result.contains(true)
    return result


def assert_holds(result: Interval, true: float) -> None:
    """Assert ``true`` lies in ``result`` widened by ``REL_TOL`` (see the module docstring)."""
    slack = REL_TOL * max(1.0, abs(result.low), abs(result.high))
    assert result.low - slack <= true <= result.high + slack, (str(result), true)


def assert_tight(result: Interval, corners: list[float]) -> None:
    """Assert ``result`` spans exactly the extreme ``corners`` (so it is not merely wide)."""
    slack = REL_TOL * max(1.0, abs(result.low), abs(result.high))
    assert abs(result.low - min(corners)) <= slack, (str(result), corners)
    assert abs(result.high - max(corners)) <= slack, (str(result), corners)


@PROPERTY
@given(TRUE_VALUES, DECIMALS, TRUE_VALUES, DECIMALS)
def test_sum_and_difference_hold_the_true_values(x, dx, y, dy):
    a, b = rounded_print(x, dx), rounded_print(y, dy)
    assert_holds(a + b, x + y)
    assert_holds(a - b, x - y)
    assert_holds(sum_intervals([a, b, a]), x + y + x)
    approx_interval(a + b, a.low + b.low, a.high + b.high)
    approx_interval(a - b, a.low - b.high, a.high - b.low)


@PROPERTY
@given(TRUE_VALUES, DECIMALS, TRUE_VALUES, DECIMALS)
def test_product_and_ratio_hold_the_true_values(x, dx, y, dy):
    a, b = rounded_print(x, dx), rounded_print(y, dy)
    assert_holds(a * b, x * y)
    assert_holds(a / b, x / y)
    assert_tight(a * b, [p * q for p in (a.low, a.high) for q in (b.low, b.high)])
    assert_tight(a / b, [p / q for p in (a.low, a.high) for q in (b.low, b.high)])


@PROPERTY
@given(SIGNED_VALUES, DECIMALS, SIGNED_VALUES, DECIMALS)
def test_signed_product_and_ratio_hold_the_true_values(x, dx, y, dy):
    a, b = rounded_print(x, dx), rounded_print(y, dy)
    assert_holds(a * b, x * y)
    assert_tight(a * b, [p * q for p in (a.low, a.high) for q in (b.low, b.high)])
    assume(not b.contains(0.0))
    assert_holds(a / b, x / y)
    assert_tight(a / b, [p / q for p in (a.low, a.high) for q in (b.low, b.high)])


@PROPERTY
@given(TRUE_VALUES, DECIMALS, TRUE_VALUES, DECIMALS)
def test_growth_pct_holds_the_true_change(new, dn, base, db):
    a, b = rounded_print(new, dn), rounded_print(base, db)
    result = growth_pct(a, b)
    assert_holds(result, 100 * (new / base - 1))
    assert_tight(result, [100 * (a.low / b.high - 1), 100 * (a.high / b.low - 1)])


@PROPERTY
@given(TRUE_VALUES, DECIMALS, TRUE_VALUES, DECIMALS)
def test_share_pct_holds_the_true_share(part, dp, rest, dr):
    total = part + rest  # a real component of a real total
    a, b = rounded_print(part, dp), rounded_print(total, dr)
    result = share_pct(a, b)
    assert_holds(result, 100 * part / total)
    assert_tight(result, [100 * a.low / b.high, 100 * a.high / b.low])


@PROPERTY
@given(TRUE_VALUES, DECIMALS, st.floats(min_value=-50.0, max_value=200.0), DECIMALS)
def test_level_from_change_holds_the_true_base(base, db, change, dc):
    level = base * (1 + change / 100)
    result = level_from_change(rounded_print(level, db), rounded_print(change, dc))
    assert_holds(result, base)


@PROPERTY
@given(TRUE_VALUES, DECIMALS, TRUE_VALUES, DECIMALS)
def test_prints_of_one_value_agree_and_intersect_around_it(x, dx, y, dy):
    a, b = rounded_print(x, dx), rounded_print(x, dy)
    assert overlaps(a, b) and overlaps(b, a)
    common = intersect(a, b)
    assert common is not None and common.contains(x)
    assert intersect_all([a, b, rounded_print(x, max(dx, dy))]) is not None
    c = rounded_print(y, dy)
    assert overlaps(a, c) == (intersect(a, c) is not None)
