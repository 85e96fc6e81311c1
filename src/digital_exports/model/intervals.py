"""Closed-interval arithmetic for checking and deriving figures that the press prints rounded.

A printed figure stands for an interval of true values: ``26,2 milliards`` is 26 150 to 26 250
MAD mn, ``plus de 14`` is ``[14, +inf]``. Computing with intervals tells whether printed figures
are consistent with one another (segments summing to a total, a share equal to level / total, a
change equal to the ratio of two levels) and bounds the values derived from them.

Conventions:

* An :class:`Interval` is a closed, non-empty set of real numbers ``[low, high]``. Its bounds
  may be ``-inf`` (low) or ``+inf`` (high) for a one-sided or unbounded interval; they are never
  NaN, and ``[+inf, +inf]`` or ``[-inf, -inf]`` (which hold no real number) are refused.
* Every function assumes its operands vary **independently**. An expression in which one
  quantity appears twice (``x / (x + y)``) therefore gets a bound that is correct but may be
  wider than the exact range (the "dependency problem" of interval arithmetic).
* Multiplication takes ``0 * inf = 0`` (the usual convention of extended interval arithmetic:
  an infinite bound is a limit, never a member, so ``[0, 0] * [1, +inf] = [0, 0]``).
* Division by an interval that contains 0 (inside or at a bound) raises
  :class:`ZeroDivisionError`; the result would be a union of two half-lines or the whole line,
  and this module does not return unions.
* Bounds are computed in ordinary round-to-nearest floating point, not with outward rounding,
  so a computed bound may be off by a few units in the last place (a relative error of order
  ``1e-16``). That is far below the rounding of any printed figure, but two intervals that
  touch at exactly one point in exact arithmetic may miss each other by an ulp.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass


def _as_float(x: object, name: str) -> float:
    """``x`` as a float, refusing non-numbers and booleans."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"interval {name} must be a real number, not {type(x).__name__}")
    return float(x)


def _fmt(x: float) -> str:
    """A bound as printed by ``str(Interval)``: ``26150``, ``3.4625``, ``inf``, ``-inf``."""
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)


@dataclass(frozen=True)
class Interval:
    """The closed interval ``[low, high]`` of real numbers.

    Attributes:
        low: the lower bound (may be ``-inf``).
        high: the upper bound (may be ``+inf``).

    Raises:
        TypeError: if a bound is not a real number.
        ValueError: if a bound is NaN, if ``low > high``, or if the interval holds no real
            number (``low == +inf`` or ``high == -inf``).
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        low, high = self.low, self.high
        # Floats (nearly every bound) skip the check of the numeric tower, a third of the cost.
        if type(low) is not float:
            low = _as_float(low, "low")
        if type(high) is not float:
            high = _as_float(high, "high")
        if math.isnan(low) or math.isnan(high):
            raise ValueError(f"interval bounds must not be NaN, got low={low}, high={high}")
        if low > high:
            raise ValueError(f"interval low must be <= high, got low={low}, high={high}")
        if low == math.inf or high == -math.inf:
            raise ValueError(f"interval [{low}, {high}] holds no real number")
        # Store floats, and 0.0 rather than -0.0 so that str() never prints "-0".
        object.__setattr__(self, "low", low + 0.0)
        object.__setattr__(self, "high", high + 0.0)

    @classmethod
    def point(cls, x: float) -> Interval:
        """The degenerate interval ``[x, x]`` (an exact value)."""
        return cls(x, x)

    @classmethod
    def of(cls, a: float, b: float) -> Interval:
        """The interval between ``a`` and ``b``, whichever is the smaller."""
        return cls(a, b) if a <= b else cls(b, a)

    @property
    def width(self) -> float:
        """``high - low``; ``inf`` for an unbounded interval."""
        return self.high - self.low

    @property
    def midpoint(self) -> float:
        """The centre ``(low + high) / 2``; ``math.nan`` if a bound is infinite."""
        if not self.is_bounded:
            return math.nan
        return 0.5 * self.low + 0.5 * self.high

    @property
    def is_bounded(self) -> bool:
        """Whether both bounds are finite."""
        return math.isfinite(self.low) and math.isfinite(self.high)

    def contains(self, x: float) -> bool:
        """Whether ``low <= x <= high`` (False for NaN)."""
        return self.low <= x <= self.high

    def __str__(self) -> str:
        return f"[{_fmt(self.low)}, {_fmt(self.high)}]"

    def __neg__(self) -> Interval:
        return Interval(-self.high, -self.low)

    def __add__(self, other: Interval | float) -> Interval:
        if not _is_operand(other):
            return NotImplemented
        return add(self, other)

    def __radd__(self, other: float) -> Interval:
        if not _is_operand(other):
            return NotImplemented
        return add(other, self)

    def __sub__(self, other: Interval | float) -> Interval:
        if not _is_operand(other):
            return NotImplemented
        return sub(self, other)

    def __rsub__(self, other: float) -> Interval:
        if not _is_operand(other):
            return NotImplemented
        return sub(other, self)

    def __mul__(self, other: Interval | float) -> Interval:
        if not _is_operand(other):
            return NotImplemented
        return mul(self, other)

    def __rmul__(self, other: float) -> Interval:
        if not _is_operand(other):
            return NotImplemented
        return mul(other, self)

    def __truediv__(self, other: Interval | float) -> Interval:
        if not _is_operand(other):
            return NotImplemented
        return div(self, other)

    def __rtruediv__(self, other: float) -> Interval:
        if not _is_operand(other):
            return NotImplemented
        return div(other, self)


def _is_operand(x: object) -> bool:
    """Whether ``x`` can take part in interval arithmetic (an Interval or a real number)."""
    return isinstance(x, Interval) or (isinstance(x, numbers.Real) and not isinstance(x, bool))


def _coerce(x: Interval | float) -> Interval:
    """``x`` itself if it is an Interval, else the point interval ``[x, x]``."""
    return x if isinstance(x, Interval) else Interval.point(x)


def _times(x: float, y: float) -> float:
    """``x * y`` with ``0 * inf = 0``."""
    if x == 0.0 or y == 0.0:
        return 0.0
    return x * y


def add(a: Interval | float, b: Interval | float) -> Interval:
    """The sum ``a + b``: ``[a.low + b.low, a.high + b.high]``.

    Args:
        a: an interval or an exact number.
        b: an interval or an exact number.

    Returns:
        The interval of all ``x + y`` with ``x`` in ``a`` and ``y`` in ``b``.
    """
    a, b = _coerce(a), _coerce(b)
    return Interval(a.low + b.low, a.high + b.high)


def sub(a: Interval | float, b: Interval | float) -> Interval:
    """The difference ``a - b``: ``[a.low - b.high, a.high - b.low]``.

    Args:
        a: an interval or an exact number.
        b: an interval or an exact number.

    Returns:
        The interval of all ``x - y`` with ``x`` in ``a`` and ``y`` in ``b``.
    """
    a, b = _coerce(a), _coerce(b)
    return Interval(a.low - b.high, a.high - b.low)


def mul(a: Interval | float, b: Interval | float) -> Interval:
    """The product ``a * b``: the smallest and largest of the four products of bounds.

    Any signs are handled. With an infinite bound, ``0 * inf`` is taken as 0 (an infinite bound
    is a limit and not a member of the interval), so ``[0, inf] * [2, 3] = [0, inf]`` and
    ``[0, 0] * [1, inf] = [0, 0]``.

    Args:
        a: an interval or an exact number.
        b: an interval or an exact number.

    Returns:
        The interval of all ``x * y`` with ``x`` in ``a`` and ``y`` in ``b`` (closed, so it
        includes limits such as 0 for ``[1, inf] * [0, 1]``).
    """
    a, b = _coerce(a), _coerce(b)
    products = (
        _times(a.low, b.low),
        _times(a.low, b.high),
        _times(a.high, b.low),
        _times(a.high, b.high),
    )
    return Interval(min(products), max(products))


def div(a: Interval | float, b: Interval | float) -> Interval:
    """The quotient ``a / b``, computed as ``a * [1 / b.high, 1 / b.low]`` with ``1 / ±inf = 0``.

    Args:
        a: the dividend, an interval or an exact number.
        b: the divisor, an interval or an exact number that does not contain 0.

    Returns:
        The closed interval of all ``x / y`` with ``x`` in ``a`` and ``y`` in ``b``.

    Raises:
        ZeroDivisionError: if ``b`` contains 0, inside or at a bound. The quotient would then be
            a union of two half-lines (or the whole line), and unions are not returned.
    """
    a, b = _coerce(a), _coerce(b)
    if b.contains(0.0):
        raise ZeroDivisionError(
            f"interval division by {b}, which contains 0: the quotient of {a} by it would be "
            "a union of intervals, and unions are not returned"
        )
    reciprocal = Interval(1.0 / b.high, 1.0 / b.low)  # 1 / ±inf is ±0.0 in Python
    return mul(a, reciprocal)


def sum_intervals(intervals: Iterable[Interval | float]) -> Interval:
    """The sum of intervals (and exact numbers); ``[0, 0]`` for none.

    Args:
        intervals: the terms, e.g. the segments of a total.

    Returns:
        The interval of all sums of one value taken from each term.
    """
    total = Interval.point(0.0)
    for term in intervals:
        total = add(total, term)
    return total


def growth_pct(new: Interval | float, base: Interval | float) -> Interval:
    """The change in percent from ``base`` to ``new``: ``100 * (new / base - 1)``.

    Args:
        new: the level of the later period.
        base: the level of the base period (must not contain 0).

    Returns:
        The interval of percent changes allowed by the two levels.

    Raises:
        ZeroDivisionError: if ``base`` contains 0.
    """
    return mul(100.0, sub(div(new, base), 1.0))


def share_pct(part: Interval | float, total: Interval | float) -> Interval:
    """The share of ``part`` in ``total`` in percent: ``100 * part / total``.

    ``part`` is usually a component of ``total``, so the two are not independent; they are
    treated as independent all the same. The result is a conservative bound: it always holds
    the true share, but may be wider than the exact range under the constraint
    ``part <= total``.

    Args:
        part: the level of the component.
        total: the level of the whole (must not contain 0).

    Returns:
        The interval of shares allowed by the two levels.

    Raises:
        ZeroDivisionError: if ``total`` contains 0.
    """
    return mul(100.0, div(part, total))


def level_from_change(level: Interval | float, change_pct: Interval | float) -> Interval:
    """The base-period level implied by a level and its change: ``level / (1 + change / 100)``.

    Args:
        level: the level of the later period.
        change_pct: its change in percent over the base period.

    Returns:
        The interval of base-period levels allowed by the two figures.

    Raises:
        ZeroDivisionError: if ``change_pct`` contains -100 (a base that could be anything).
    """
    return div(level, add(1.0, div(change_pct, 100.0)))


def intersect(a: Interval, b: Interval) -> Interval | None:
    """The values common to ``a`` and ``b``, or None if they are disjoint.

    Args:
        a: an interval.
        b: an interval.

    Returns:
        ``[max(lows), min(highs)]`` (a point if they only touch), or None.
    """
    low, high = max(a.low, b.low), min(a.high, b.high)
    return Interval(low, high) if low <= high else None


def intersect_all(intervals: Iterable[Interval]) -> Interval | None:
    """The values common to all the intervals, or None if there is none.

    Args:
        intervals: one or more intervals, e.g. bounds on one figure from several sources.

    Returns:
        The common interval, or None as soon as two of them are disjoint.

    Raises:
        ValueError: if ``intervals`` is empty (like ``min()``, there is no sensible answer).
    """
    iterator = iter(intervals)
    try:
        result: Interval | None = next(iterator)
    except StopIteration:
        raise ValueError("intersect_all() needs at least one interval") from None
    for interval in iterator:
        if result is None:
            break
        result = intersect(result, interval)
    return result


def fmt(x: float) -> str:
    """A number for a reason text: six significant digits, ``inf`` kept."""
    if math.isinf(x):
        return "+inf" if x > 0 else "-inf"
    return f"{x:.6g}"


def fmt_interval(i: Interval) -> str:
    """``[a, b]`` with :func:`fmt` bounds."""
    return f"[{fmt(i.low)}, {fmt(i.high)}]"


#: The relative error that floating-point arithmetic on a few intervals can make (of order
#: 1e-16), widened a million times: what never turns two touching intervals into disjoint ones.
REL_TOL = 1e-9


def loosened(i: Interval, rel_tol: float = REL_TOL) -> Interval:
    """``i`` widened on each bounded side by ``rel_tol`` times its largest finite bound (at
    least 1), so that a comparison is not decided by floating-point error."""
    pad = rel_tol * max([1.0, *(abs(b) for b in (i.low, i.high) if not math.isinf(b))])
    return Interval(i.low - pad, i.high + pad)


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether ``a`` and ``b`` share at least one value (touching counts)."""
    return a.low <= b.high and b.low <= a.high
