"""Printed figures -> numbers with the interval their printing implies.

A press figure such as "près de 17%" or "10,578 milliards de dirhams" is kept as printed and
turned here into a value, a low and a high bound in a canonical unit. Arithmetic is done in
``Decimal`` so that bounds such as 26 150 come out exact, then converted to float once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from digital_exports.vocab import QUALIFIERS, UNITS, IntervalRule

#: Characters accepted as thousands separators besides the non-decimal mark.
_SPACES = " \u00a0\u202f\u2009"
_MINUS = "-\u2212\u2013"


class PrintedValueError(ValueError):
    """A printed value, unit or qualifier that cannot be read.

    Attributes:
        field: ``value``, ``unit`` or ``qualifier``.
        found: what was printed.
        expected: what can be read.
    """

    def __init__(self, field: str, found: str, expected: str) -> None:
        self.field, self.found, self.expected = field, found, expected
        super().__init__(f"{field} {found}: expected {expected}")


@dataclass(frozen=True)
class ParsedNumber:
    """A printed number.

    Attributes:
        value: the number.
        decimals: digits printed after the decimal mark (0 for an integer).
    """

    value: Decimal
    decimals: int

    @property
    def last_digit(self) -> Decimal:
        """One unit of the last printed digit (0.1 for ``26,2``)."""
        return Decimal(1).scaleb(-self.decimals)


def parse_number(text: str, decimal_mark: str = ",") -> ParsedNumber:
    """Read a number printed in French (``decimal_mark=","``) or English (``"."``) format.

    French: ``10,578``, ``236 956`` (space, no-break or narrow no-break space), ``148.500`` (dot
    between groups of three digits), ``+12 223``, ``-4,9``, ``−4,9`` (U+2212). English: ``2.8``,
    ``1,234.5``.

    Raises:
        PrintedValueError: on anything else, e.g. ``12,3,4`` or ``abc``.
    """
    if decimal_mark not in (",", "."):
        raise PrintedValueError("decimal_mark", repr(decimal_mark), "',' or '.'")
    group_mark = "." if decimal_mark == "," else ","
    s = text.strip()
    sign = 1
    if s[:1] in _MINUS:
        sign, s = -1, s[1:].lstrip()
    elif s[:1] == "+":
        s = s[1:].lstrip()
    for ch in _SPACES:
        s = s.replace(ch, " ")
    intpart, sep, frac = s.partition(decimal_mark)
    groups = re.split(rf"[ {re.escape(group_mark)}]", intpart)
    ok_int = (
        bool(groups[0])
        and groups[0].isdigit()
        and (
            len(groups) == 1
            or (len(groups[0]) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups[1:]))
        )
    )
    ok_frac = not sep or (frac.isdigit() and frac.isascii())
    if not (ok_int and ok_frac and intpart.isascii()):
        expected = (
            "digits with a decimal comma and space- or dot-separated thousands (e.g. 10,578 or "
            "236 956)"
            if decimal_mark == ","
            else "digits with a decimal point and comma-separated thousands (e.g. 2.8)"
        )
        raise PrintedValueError("value", f"{text!r}, which is not a number", expected)
    digits = "".join(groups) + ("." + frac if sep else "")
    return ParsedNumber(Decimal(digits) * sign, len(frac) if sep else 0)


def interval_rule(qualifier: str) -> IntervalRule:
    """The interval rule of a printed qualifier (empty: plain rounding).

    Raises:
        PrintedValueError: for a qualifier that is not in the vocabulary.
    """
    key = " ".join(qualifier.split())
    try:
        return QUALIFIERS[key]
    except KeyError:
        known = ", ".join(repr(q) for q in QUALIFIERS if q)
        raise PrintedValueError(
            "qualifier", f"{qualifier!r}, which is not known", f"empty or one of {known}"
        ) from None


@dataclass(frozen=True)
class Reading:
    """A printed figure read into a canonical unit.

    Attributes:
        value: the printed number in the canonical unit.
        low: lowest value the print allows (may be -inf).
        high: highest value the print allows (may be +inf).
        unit: canonical unit (``MAD mn``, ``USD mn``, ``pct`` or the rate's own).
        rule: the interval rule applied.
        decimals: digits printed after the decimal mark.
    """

    value: float
    low: float
    high: float
    unit: str
    rule: IntervalRule
    decimals: int


def read_printed(value: str, unit: str, qualifier: str = "", decimal_mark: str = ",") -> Reading:
    """Turn a printed value, unit and qualifier into a value and interval in a canonical unit.

    Rules: no qualifier, ± half a unit of the last printed digit (``26,2`` bn -> 26 150 to
    26 250 MAD mn); an approximate qualifier (``près de``, ``environ``...), ± one unit of the
    last printed digit (``près de 17`` % -> 16 to 18); a lower bound (``plus de``...), from the
    value to +inf; an upper bound (``moins de``), from -inf to the value.

    Raises:
        PrintedValueError: for an unreadable value, or an unknown unit or qualifier.
    """
    number = parse_number(value, decimal_mark)
    try:
        canon = UNITS[unit.strip()]
    except KeyError:
        raise PrintedValueError(
            "unit", f"{unit!r}, which is not known", f"one of {', '.join(map(repr, UNITS))}"
        ) from None
    rule = interval_rule(qualifier)
    v = number.value * canon.factor
    step = number.last_digit * canon.factor
    if rule is IntervalRule.ROUNDED:
        low, high = float(v - step / 2), float(v + step / 2)
    elif rule is IntervalRule.APPROXIMATE:
        low, high = float(v - step), float(v + step)
    elif rule is IntervalRule.LOWER_BOUND:
        low, high = float(v), math.inf
    else:
        low, high = -math.inf, float(v)
    return Reading(float(v), low, high, canon.canonical, rule, number.decimals)
