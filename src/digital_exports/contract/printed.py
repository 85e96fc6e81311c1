"""Printed figures -> numbers with the interval their printing implies.

A press figure such as "près de 17%" or "10,578 milliards de dirhams" is kept as printed and read
here into a value, a low and a high bound in a canonical unit: the number by :func:`parse_number`
(whose decimal mark is settled by the digits where they can settle it, and by the release
otherwise), the unit by the grammar of ``units.py``, the qualifier by the grammar of
``qualifiers.py``. Arithmetic is done in ``Decimal`` so that bounds such as 26 150 come out
exact, then converted to float once.

**Precision.** A number's *step* is one unit of its last printed digit (0,1 for ``26,2``). An
integer that ends in zeros (``80``, ``800``, ``20``) does not say whether those zeros are
significant: it is read at the coarser precision (step 10 for ``80``, 100 for ``800``), and the
reading keeps the fine interval beside it so that a verdict can say when agreement needs the
coarse reading. A word fraction (``trois quarts``) is a percentage with a step of 5 points.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from digital_exports.contract.qualifiers import (
    READINGS,
    Family,
    QualifierError,
    QualifierReading,
    parse_qualifier,
    suggest_reading,
)
from digital_exports.contract.textnorm import ARABIC_DIGITS, normalize
from digital_exports.contract.units import UnitError, UnitReading, parse_unit

_SPACES = " \u00a0\u202f\u2009"
_MINUS = "-\u2212\u2013"
#: The decimal mark each language writes when the release does not declare one.
DEFAULT_DECIMAL_MARK = {"fr": ",", "ar": ",", "en": "."}


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
        step: one unit of the last printed digit (0.1 for ``26,2``; 1 for ``80``).
        coarse_step: the step when trailing zeros of an integer are not significant (10 for
            ``80``), else the same as ``step``.
    """

    value: Decimal
    decimals: int
    step: Decimal
    coarse_step: Decimal


def _number_error(text: str, why: str, mark: str) -> PrintedValueError:
    expected = (
        "digits with a decimal comma and space- or dot-separated thousands (e.g. 10,578 or 236 956)"
        if mark == ","
        else "digits with a decimal point and comma-separated thousands (e.g. 2.8 or 1,234.5)"
    )
    return PrintedValueError("value", f"{text!r}, {why}", expected)


#: Number notations a release may declare (``number_notation`` in ``release.yml``).
#: ``wire_ra``: the Arabic wire (MAP) writes a decimal number as two digit groups joined by the
#: letter ``ر``, the fraction's digits first in the stored text (``6ر97`` is 97,6). The order of
#: the two groups cannot be told from the text (a transcriber copying the rendered page may type
#: them the other way), so the notation is declared per release, never guessed.
NUMBER_NOTATIONS = ("wire_ra",)
_WIRE_RA = re.compile(r"([+\-\u2212]?)\s*(\d+)\s*\u0631\s*(\d+)")


def _wire_ra(text: str, notation: str | None) -> str:
    """A number in the wire notation written with a decimal point (``6ر97`` -> ``97.6``); any
    other text as it is.

    Raises:
        PrintedValueError: a ``ر`` in a number of a release that declares no wire notation.
    """
    s = text.strip().translate(ARABIC_DIGITS)
    if "\u0631" not in s:
        return text
    match = _WIRE_RA.fullmatch(s)
    if notation != "wire_ra" or match is None:
        raise PrintedValueError(
            "value",
            f"{text!r}, a number in the Arabic wire notation (digits joined by the letter ر)",
            "the release's field number_notation: wire_ra in release.yml (MAP's Arabic "
            "dispatches write 97,6 as 6ر97, the fraction's digits first), and two digit groups "
            "joined by one ر",
        )
    sign, fraction, whole = match.groups()
    return f"{sign}{whole}.{fraction}"


def parse_number(
    text: str, declared_mark: str | None = None, default_mark: str = ","
) -> ParsedNumber:
    """Read a printed number, settling its decimal mark from the digits where they can.

    * ``,`` and ``.`` both present: the last one is the decimal mark (``1,234.5``, ``1.234,5``).
    * One mark, repeated: it separates thousands (``1.234.567``).
    * One mark once, followed by other than three digits: it is the decimal mark, whatever the
      release's language (``4.75``, ``26,2``: two digits cannot be a thousands group).
    * One mark once, followed by exactly three digits (``10,578``, ``10.578``): the release's
      declared ``decimal_mark`` settles it; without one, the language's own decimal mark is read
      as decimal (``10,578`` on a French page), and the other mark is **ambiguous** (``10.578``
      on a French page may be 10 578 or 10,578): an error naming ``decimal_mark``.

    Spaces (plain, no-break, narrow) separate thousands; Arabic-Indic digits and the Arabic
    decimal separator (U+066B) are read; a leading ``+``, ``-``, ``−`` is the sign.

    Args:
        text: the number as printed.
        declared_mark: the release's ``decimal_mark`` field, or None when it declares none.
        default_mark: the decimal mark of the release's language.

    Raises:
        PrintedValueError: on anything that is not a number, or an ambiguous mark.
    """
    if declared_mark not in (None, ",", "."):
        raise PrintedValueError("decimal_mark", repr(declared_mark), "',' or '.'")
    mark_for_msg = declared_mark or default_mark
    s = text.strip().translate(ARABIC_DIGITS)
    sign = 1
    if s[:1] in _MINUS:
        sign, s = -1, s[1:].lstrip()
    elif s[:1] == "+":
        s = s[1:].lstrip()
    if "\u066b" in s:  # the Arabic decimal separator is never a thousands mark
        s = s.replace("\u066c", " ").replace(",", " ").replace(".", " ").replace("\u066b", ".")
        decimal: str | None = "."
    else:
        s = s.replace("\u066c", " ")
        decimal = _decimal_mark_of(text, s, declared_mark, default_mark)
    for ch in _SPACES:
        s = s.replace(ch, " ")
    group_marks = " " + "".join(m for m in ",." if m != decimal)
    intpart, sep, frac = s.partition(decimal) if decimal else (s, "", "")
    groups = re.split(f"[{re.escape(group_marks)}]", intpart)
    ok_int = (
        bool(groups[0])
        and groups[0].isdigit()
        and (
            len(groups) == 1
            or (len(groups[0]) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups[1:]))
        )
    )
    ok_frac = not sep or (frac.isdigit() and frac.isascii())
    if not (ok_int and ok_frac and intpart.replace(" ", "").isascii()):
        raise _number_error(text, "which is not a number", mark_for_msg)
    digits = "".join(groups)
    value = Decimal(digits + ("." + frac if sep else "")) * sign
    if value == 0:
        value = abs(value)  # "-0" and "-0,0" read as 0, never as a negative zero
    decimals = len(frac) if sep else 0
    step = Decimal(1).scaleb(-decimals)
    coarse = step
    if not sep and int(digits) != 0:
        zeros = len(digits) - len(digits.rstrip("0"))
        coarse = Decimal(1).scaleb(zeros)
    return ParsedNumber(value, decimals, step, coarse)


def _decimal_mark_of(text: str, s: str, declared: str | None, default: str) -> str | None:
    """Which of ``,`` and ``.`` is the decimal mark of ``s``, or None for an integer."""
    present = [m for m in ",." if m in s]
    if len(present) == 2:
        mark = max(present, key=s.rindex)
        if declared and declared != mark:
            raise _number_error(
                text, f"whose last mark {mark!r} contradicts the release's decimal_mark", declared
            )
        return mark
    if not present:
        return None
    mark = present[0]
    if s.count(mark) > 1:
        if mark == declared:
            raise _number_error(text, f"with {mark!r}, its decimal mark, more than once", mark)
        return None
    digits_after = len(s) - s.index(mark) - 1
    if digits_after != 3 or not s[s.index(mark) + 1 :].isdigit():
        return mark
    if declared:
        return mark if mark == declared else None
    if mark == default:
        return mark
    other = "," if mark == "." else "."
    raise PrintedValueError(
        "value",
        f"{text!r}, whose {mark!r} may be a decimal mark ({s.replace(mark, other)}) or a "
        "thousands separator, and the release declares no decimal_mark",
        f"the release's field decimal_mark (',' or '.') in release.yml, since this page "
        f"writes {mark!r} where its language ({'/'.join(sorted(_langs_with(default)))}) "
        f"writes {default!r}",
    )


def _langs_with(mark: str) -> set[str]:
    return {lang for lang, m in DEFAULT_DECIMAL_MARK.items() if m == mark}


#: Word fractions: (numerator words, denominator word) -> fraction. Articles count as one.
_NUMERATORS = {
    "un": 1, "une": 1, "le": 1, "la": 1, "les": 1, "l'": 1, "a": 1, "one": 1, "the": 1,
    "deux": 2, "two": 2, "trois": 3, "three": 3,
}  # fmt: skip
_DENOMINATORS = {
    "moitié": 2, "moitie": 2, "half": 2, "tiers": 3, "third": 3, "thirds": 3,
    "quart": 4, "quarts": 4, "quarter": 4, "quarters": 4,
}  # fmt: skip
_ARABIC_FRACTIONS = {
    "نصف": (1, 2), "النصف": (1, 2), "ثلث": (1, 3), "الثلث": (1, 3), "ثلثي": (2, 3),
    "ثلثا": (2, 3), "الثلثين": (2, 3), "ربع": (1, 4), "الربع": (1, 4),
    "ثلاثة ارباع": (3, 4), "ثلاثه ارباع": (3, 4),
}  # fmt: skip
#: The precision of a word fraction, in percentage points: "les trois quarts" is read as a
#: percentage rounded to 5.
FRACTION_STEP = Decimal(5)


def parse_fraction(text: str) -> Decimal | None:
    """A word fraction (``la moitié``, ``un tiers``, ``trois quarts``, ``ثلثي``) in percent, or
    None when ``text`` is not one."""
    norm = normalize(text).replace("-", " ")
    if norm in _ARABIC_FRACTIONS:
        n, d = _ARABIC_FRACTIONS[norm]
        return Decimal(100 * n) / Decimal(d)
    words = re.sub(r"\b(l)'", r"\1' ", norm).split()
    if not words or words[-1] not in _DENOMINATORS:
        return None
    numerator = 1
    for w in words[:-1]:
        if w not in _NUMERATORS:
            return None
        numerator = max(numerator, _NUMERATORS[w]) if _NUMERATORS[w] > 1 else numerator
    if len(words) > 3:
        return None
    return Decimal(100 * numerator) / Decimal(_DENOMINATORS[words[-1]])


_RANGE_SEP = re.compile(r"\s+(?:et|à|a|and|to|و)\s+|\s*[–—]\s*|(?<=\d)-(?=[\d+\u2212-])")


@dataclass(frozen=True)
class Reading:
    """A printed figure read into a canonical unit.

    Attributes:
        value: the printed number in the canonical unit (a range: its centre).
        low: lowest value the print allows (may be -inf); a round number is read at its coarse
            precision.
        high: highest value the print allows (may be +inf).
        low_fine: the low bound if every printed digit were significant.
        high_fine: the high bound likewise.
        unit: canonical unit (``MAD mn``, ``USD mn``, ``EUR mn``, ``pct`` or a rate).
        family: the qualifier family.
        forecast: whether the qualifier marks a forecast or a target.
        step: one unit of the last printed digit, in the canonical unit.
        coarse: whether trailing zeros were read as not significant (the interval is wider).
        decimals: digits printed after the decimal mark.
        declared: the reading the release declared for a qualifier the grammar does not know
            (``at_most``...), or empty when the grammar read it.
    """

    value: float
    low: float
    high: float
    low_fine: float
    high_fine: float
    unit: str
    family: Family
    forecast: bool
    step: float
    coarse: bool
    decimals: int
    declared: str = ""


def interval(family: Family, v: Decimal, step: Decimal) -> tuple[float, float]:
    """The interval a print of ``v`` with precision ``step`` stands for (rules in
    ``qualifiers.INTERVALS``). A bound bounds the magnitude: on a negative value it opens away
    from zero, so "a fall of more than 30 %" is (-inf, -30]."""
    neg = v < 0
    if family is Family.ROUNDED:
        return float(v - step / 2), float(v + step / 2)
    if family is Family.APPROXIMATE:
        return float(v - step), float(v + step)
    if family is Family.LOWER_BOUND:
        return (-math.inf, float(v)) if neg else (float(v), math.inf)
    if family is Family.UPPER_BOUND:
        return (float(v), 0.0) if neg else (0.0, float(v))
    if family is Family.CLOSE_LOWER_BOUND:
        return (float(v - step), float(v)) if neg else (float(v), float(v + step))
    if family is Family.CLOSE_UPPER_BOUND:
        return (float(v), float(v + step)) if neg else (float(v - step), float(v))
    raise ValueError(f"interval() of a {family.value}: a range has two numbers")


def _read_value(
    value: str, declared_mark: str | None, default_mark: str, notation: str | None = None
) -> list[ParsedNumber] | None:
    """The number(s) of a value field: one, two for a range, or None for a word fraction."""
    if parse_fraction(value) is not None:
        return None
    parts = _RANGE_SEP.split(value.strip(), maxsplit=1)
    if len(parts) == 2 and all(p.strip() for p in parts):
        return [_one_number(p, declared_mark, default_mark, notation) for p in parts]
    return [_one_number(value, declared_mark, default_mark, notation)]


def _one_number(
    text: str, declared_mark: str | None, default_mark: str, notation: str | None
) -> ParsedNumber:
    wire = _wire_ra(text, notation)
    if wire is not text:  # the wire notation, rewritten with a decimal point
        return parse_number(wire, ".", ".")
    return parse_number(text, declared_mark, default_mark)


def read_printed(
    value: str,
    unit: str,
    qualifier: str = "",
    *,
    language: str = "fr",
    decimal_mark: str | None = None,
    number_notation: str | None = None,
    reading: str = "",
) -> Reading:
    """Turn a printed value, unit and qualifier into a value and interval in a canonical unit.

    Args:
        value: the number as printed (``26,2``, ``10 et 11``, ``trois quarts``).
        unit: the unit as printed (``milliards de dirhams``, ``%``; empty for a word fraction).
        qualifier: the qualifier as printed (``près de``, ``plus de``, ...), or empty.
        language: the release's language, for its default decimal mark and ``billion``.
        decimal_mark: the release's declared ``decimal_mark``, or None.
        number_notation: the release's declared ``number_notation`` (``wire_ra``), or None.
        reading: the reading the transcriber declared for the qualifier (``at_most``...), the
            last resort for a phrase the grammar does not know; empty otherwise.

    Raises:
        PrintedValueError: for an unreadable value, or an unknown unit or qualifier.
    """
    default_mark = DEFAULT_DECIMAL_MARK.get(language, ",")
    q = _qualifier(qualifier, reading)
    numbers = _read_value(value, decimal_mark, default_mark, number_notation)
    canon = _read_unit(unit, language, fraction=numbers is None)
    if numbers is None:
        v = parse_fraction(value)
        assert v is not None
        numbers = [ParsedNumber(v, 0, FRACTION_STEP, FRACTION_STEP)]
    if (len(numbers) == 2 and q.family is not Family.ROUNDED) or (
        len(numbers) == 1 and q.range_opener
    ):
        raise PrintedValueError(
            "value" if len(numbers) == 2 else "qualifier",
            f"{value!r} with qualifier {qualifier!r}",
            "two numbers (e.g. '10 et 11') only in a range, with no bound or approximate "
            "qualifier; one number otherwise",
        )
    f = canon.factor
    if len(numbers) == 2:
        # A range states its own precision: both ends are read at the finer of their steps.
        a, b = sorted(numbers, key=lambda n: n.value)
        step = min(a.step, b.step) * f
        lo, hi = float(a.value * f - step / 2), float(b.value * f + step / 2)
        centre = (a.value + b.value) * f / 2
        return Reading(
            float(centre), lo, hi, lo, hi, canon.canonical, Family.RANGE, q.forecast,
            float(step), False, max(a.decimals, b.decimals), reading,
        )  # fmt: skip
    n = numbers[0]
    v = n.value * f
    low, high = interval(q.family, v, n.coarse_step * f)
    low_f, high_f = interval(q.family, v, n.step * f)
    return Reading(
        float(v), low, high, low_f, high_f, canon.canonical, q.family, q.forecast,
        float(n.step * f), (low, high) != (low_f, high_f), n.decimals, reading,
    )  # fmt: skip


def _qualifier(qualifier: str, reading: str) -> QualifierReading:
    """The qualifier read by the grammar, or, where the grammar refuses it, by the reading the
    release declares. A declared reading of a phrase the grammar reads otherwise is refused:
    the two would say different things.

    Raises:
        PrintedValueError: an unknown qualifier with no declared reading (the message shows
            the line to add), an unknown reading, or a reading the grammar contradicts.
    """
    if reading and reading not in READINGS:
        raise PrintedValueError("reading", repr(reading), f"one of {', '.join(READINGS)}")
    try:
        q = parse_qualifier(qualifier)
    except QualifierError as exc:
        if reading:
            family, forecast = READINGS[reading]
            return QualifierReading(family, forecast)
        raise PrintedValueError(
            "qualifier", exc.found, exc.expected + "; " + suggest_reading(qualifier)
        ) from None
    if reading and READINGS[reading] != (q.family, q.forecast):
        raise PrintedValueError(
            "reading",
            f"{reading!r} for {qualifier!r}, which the grammar reads as {q.family.value}"
            + (", forecast" if q.forecast else ""),
            "no reading (the grammar reads the phrase), or one that agrees with it",
        )
    return q


def _read_unit(unit: str, language: str, *, fraction: bool) -> UnitReading:
    if fraction and normalize(unit) in ("", "%"):
        return UnitReading("pct", Decimal(1), "pct")
    if fraction:
        raise PrintedValueError(
            "unit", f"{unit!r} after a word fraction", "'%' or empty (a fraction is a share)"
        )
    try:
        return parse_unit(unit, language)
    except UnitError as exc:
        raise PrintedValueError("unit", exc.found, exc.expected) from None


#: Plausibility ceilings of a level, by currency (millions). Morocco's GDP is about 1 500 000
#: MAD mn; no services export comes near it, so a level above a million million dirhams (or
#: 100 000 million dollars or euros) is a misread scale or decimal mark, not data.
LEVEL_CEILING_MN = {"MAD": 1_000_000.0, "USD": 100_000.0, "EUR": 100_000.0}
#: A level below this (0,1 million, i.e. 100 000 units of currency) is a scale word missing.
LEVEL_FLOOR_MN = 0.1


#: The largest change a print may state: +1 000 % is eleven times the base, far beyond any
#: year-on-year change of this statistic (the largest printed is +21 %).
CHANGE_CEILING_PCT = 1000.0


def plausibility_problem(reading: Reading, measure: str, printed: str, unit: str) -> str | None:
    """What makes a reading implausible for its measure, or None.

    A negative level, a level whose magnitude contradicts its printed scale by orders of
    magnitude (``10.578`` read as ten thousand *milliards*), a share outside 0-100 %, a fall of
    100 % or more, a rise above :data:`CHANGE_CEILING_PCT`, or an exchange rate that is not
    positive.
    """
    v = reading.value
    if measure == "level" and v < 0:
        return f"a level of {v:g} {reading.unit}: exports are not negative (a fall is a change)"
    if measure in ("change_pct", "avg_growth_pct") and v > CHANGE_CEILING_PCT:
        return (
            f"a change of {v:g} %, above {CHANGE_CEILING_PCT:g} % (more than eleven times the "
            "base): check the decimal mark and the measure"
        )
    if measure == "level" and reading.unit.endswith(" mn") and v != 0:
        currency = reading.unit.split()[0]
        ceiling = LEVEL_CEILING_MN.get(currency, math.inf)
        if abs(v) > ceiling:
            return (
                f"{printed!r} {unit!r} reads as {v:,.0f} {reading.unit}, above the plausibility "
                f"ceiling of {ceiling:,.0f} {reading.unit} for a level: check the decimal mark "
                "(release field decimal_mark) or the unit"
            )
        if abs(v) < LEVEL_FLOOR_MN:
            return (
                f"{printed!r} {unit!r} reads as {v:g} {reading.unit}, below {LEVEL_FLOOR_MN} "
                f"{reading.unit}: a scale word (millions, milliards) seems missing"
            )
    if measure == "share_pct" and not 0 <= v <= 100:
        return f"a share of {v:g} %, outside 0 to 100"
    if measure == "rate" and v <= 0:
        return f"an exchange rate of {v:g}, not a positive number"
    if measure in ("change_pct", "avg_growth_pct") and v <= -100:
        return f"a change of {v:g} %, a fall of 100 % or more"
    return None
