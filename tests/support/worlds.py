"""Generated worlds for the model's property tests: a hidden truth, printed as outlets print it.

A *world* is a truth (exact monthly levels for a few consecutive years of several series, each
series' segments adding up to its total, and annual exchange rates) and a set of *releases* that
print a random part of it: levels, changes, shares, average growth rates, ratios and rates, over
every kind of period (years, halves, quarters, months, year-to-date and other ranges), each
rounded at a random precision, with a qualifier of a random family (approximate, bounds, close
bounds, ranges, forecasts, coarse round numbers, word fractions), in French, English or Arabic
notation, grouped into releases of one producer, some reprinted by other outlets.

Every print is *honest*: the interval its words stand for, read by the contract's rules, holds the
true value (a forecast is any value: it is never checked). :func:`perturb` then turns one print
into a misprint (digits swapped, a factor of 1 000, a wrong sign, a wrong base period).

Draws go through a :class:`Chooser`, so that the same generator runs under Hypothesis (which then
shrinks a failing world) and under a plain seeded ``random.Random`` (the fuzz loop and the
coverage test).

Declared coverage: :data:`COVERED` lists what the generator prints, by the names the contract uses
(``tests/unit/test_model_properties.py`` checks that it is the contract's whole domain and that
drawn worlds really print each of them).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    localcontext,
)
from fractions import Fraction
from pathlib import Path
from typing import Protocol, TypeVar

from digital_exports.contract.periods import YEARS, parse_period
from digital_exports.contract.printed import plausibility_problem, read_printed
from digital_exports.contract.releases import add_checksums

T = TypeVar("T")


class Chooser(Protocol):
    """Where a world's random choices come from."""

    def integer(self, lo: int, hi: int) -> int: ...

    def choice(self, options: Sequence[T]) -> T: ...


@dataclass
class RandomChooser:
    """Choices from a seeded ``random.Random``."""

    rng: random.Random

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]


class HypothesisChooser:
    """Choices drawn by Hypothesis (``st.data()``), so that a failing world shrinks."""

    def __init__(self, data: object) -> None:
        from hypothesis import strategies as st

        self._data, self._st = data, st

    def integer(self, lo: int, hi: int) -> int:
        return self._data.draw(self._st.integers(lo, hi))  # type: ignore[attr-defined]

    def choice(self, options: Sequence[T]) -> T:
        return self._data.draw(self._st.sampled_from(list(options)))  # type: ignore[attr-defined]


def chance(c: Chooser, percent: int) -> bool:
    return c.integer(1, 100) <= percent


# ----------------------------------------------------------------------------- the series


@dataclass(frozen=True)
class Plan:
    """How the generator makes one series: its own currency, segments, composites, producer."""

    own: str  # MAD or USD
    segments: tuple[str, ...] = ()
    composites: tuple[tuple[str, tuple[str, ...]], ...] = ()
    producer: str = "Office des Changes"
    markets: tuple[str, ...] = ()  # another cut of the total (by origin market): a part of it


PLANS: dict[str, Plan] = {
    "digital_outsourcing_exports": Plan(
        "MAD", ("ITO", "CRM", "ESO", "BPO", "KPO"), (("ITO_CRM", ("ITO", "CRM")),)
    ),
    "offshoring_receipts": Plan("MAD", ("CC_BPO_OUT", "BPO_CAPTIVE", "ITO"), markets=("MKT_FR",)),
    "outsourcing_exports_mtnra": Plan("MAD", producer="Ministère de la Transition numérique"),
    "offshoring_turnover_other": Plan("MAD", producer="AMRC"),
    "call_centre_receipts": Plan("MAD"),
    "digitally_delivered_services_exports_wto": Plan("USD", producer="WTO"),
    "telecom_computer_information_services_exports_wto": Plan("USD", producer="WTO"),
    "services_exports": Plan("MAD"),
    "services_receipts_bop": Plan("MAD"),
}
RATE_PRODUCER = "World Bank"
RATE_PAIRS = ("MAD_PER_USD", "EUR_PER_USD")

#: What the generator prints, in the contract's own names (checked against the contract).
COVERED = {
    "series": (*PLANS, "exchange_rate"),
    "period_kinds": ("year", "half", "quarter", "month", "range"),
    "measures": ("level", "change_pct", "share_pct", "avg_growth_pct", "ratio_pct", "rate"),
    "families": (
        "rounded",
        "approximate",
        "lower_bound",
        "upper_bound",
        "close_lower_bound",
        "close_upper_bound",
        "range",
    ),
    "languages": ("fr", "en", "ar"),
    "notations": ("comma", "point", "arabic_indic", "declared_point", "declared_comma"),
}

# ----------------------------------------------------------------------------- the words

#: Units by language: (currency, scale exponent) -> spellings; percent; rates.
UNITS = {
    "fr": {
        ("MAD", 9): ("milliards de dirhams", "MMDH", "Mds DH", "milliard de DH", "Md DH"),
        ("MAD", 6): ("millions de dirhams", "MDH", "millions de DH"),
        ("USD", 9): ("milliards de dollars",),
        ("USD", 6): ("millions de dollars", "millions de dollars US"),
        ("EUR", 6): ("millions d'euros",),
        ("EUR", 9): ("milliards d'euros",),
        "pct": ("%", "pour cent"),
    },
    "en": {
        ("MAD", 9): ("billion dirhams", "Dh bn", "MAD bn"),
        ("MAD", 6): ("million dirhams", "Dh m", "MAD mn"),
        ("USD", 9): ("$ bn", "billion dollars"),
        ("USD", 6): ("million dollars", "USD mn"),
        ("EUR", 6): ("million euros",),
        ("EUR", 9): ("Mrd €", "billion euros"),
        "pct": ("%", "per cent"),
    },
    "ar": {
        ("MAD", 9): ("مليار درهم", "مليار درهم مغربي"),
        ("MAD", 6): ("مليون درهم",),
        ("USD", 9): ("مليار دولار",),
        ("USD", 6): ("مليون دولار",),
        ("EUR", 6): ("مليون يورو",),
        ("EUR", 9): ("مليار يورو",),
        "pct": ("%", "في المائة", "٪"),
    },
}
RATE_UNITS = {"MAD_PER_USD": "MAD per USD", "EUR_PER_USD": "EUR per USD"}

#: Qualifiers by language and family (empty: none).
QUALIFIERS = {
    "fr": {
        "rounded": ("", "soit"),
        "approximate": ("près de", "environ", "de l'ordre de", "quelque"),
        "lower_bound": ("plus de", "au moins", "dépassent", "franchit la barre des"),
        "upper_bound": ("moins de", "inférieur à"),
        "close_lower_bound": ("un peu plus de", "légèrement plus de"),
        "close_upper_bound": ("un peu moins de", "à peine moins de"),
        "range": ("entre",),
        "forecast": ("devrait atteindre", "objectif de"),
    },
    "en": {
        "rounded": ("",),
        "approximate": ("nearly", "about", "around", "roughly"),
        "lower_bound": ("more than", "over", "at least"),
        "upper_bound": ("less than", "under", "below"),
        "close_lower_bound": ("just over", "slightly more than"),
        "close_upper_bound": ("just under", "slightly less than"),
        "range": ("between",),
        "forecast": ("expected to reach", "target of"),
    },
    "ar": {
        "rounded": ("",),
        "approximate": ("حوالي", "نحو", "قرابة"),
        "lower_bound": ("أكثر من", "ما يفوق"),
        "upper_bound": ("أقل من",),
        "close_lower_bound": ("أكثر بقليل من",),
        "close_upper_bound": ("أقل بقليل من",),
        "range": ("بين",),
        "forecast": ("من المتوقع أن يصل",),
    },
}
RANGE_WORD = {"fr": " et ", "en": " and ", "ar": " و "}
#: Word fractions by language: percent -> spelling.
FRACTIONS = {
    "fr": {Fraction(25): "un quart", Fraction(50): "la moitié", Fraction(75): "trois quarts",
           Fraction(100, 3): "un tiers", Fraction(200, 3): "deux tiers"},
    "en": {Fraction(25): "a quarter", Fraction(50): "half", Fraction(75): "three quarters",
           Fraction(100, 3): "a third", Fraction(200, 3): "two thirds"},
    "ar": {Fraction(25): "ربع", Fraction(50): "نصف", Fraction(75): "ثلاثة أرباع",
           Fraction(100, 3): "ثلث", Fraction(200, 3): "ثلثي"},
}  # fmt: skip
#: Notations by language: how digits, decimal and thousands marks are written, and the
#: release's declared ``decimal_mark`` (None: the language's own).
NOTATIONS = {
    "fr": ("comma", "declared_point"),
    "en": ("point", "declared_comma"),
    "ar": ("comma", "arabic_indic"),
}
OUTLETS = ("le360", "hespress", "medias24", "map", "lematin", "reuters", "alyaoum24", "bladi")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


# ----------------------------------------------------------------------------- the truth


@dataclass(frozen=True)
class Q:
    """A quantity and the unit it is printed in (``MAD``, ``USD``, ``EUR``, ``pct`` or a rate)."""

    series: str
    segment: str
    period: str
    measure: str
    base_period: str = ""
    currency: str = ""

    @property
    def ref(self) -> str:
        parts = [self.series, self.segment, self.period, self.measure]
        return "|".join([*parts, self.base_period] if self.base_period else parts)


@dataclass
class Truth:
    """Exact monthly levels (own currency, millions) for ``years``, and annual rates."""

    years: tuple[int, ...]
    monthly: dict[tuple[str, str], list[Fraction]]
    rates: dict[tuple[str, int], Fraction]
    series: tuple[str, ...]

    def parts(self, series: str, segment: str) -> tuple[str, ...]:
        plan = PLANS[series]
        if segment == "total":
            return plan.segments or ("total",)
        return dict(plan.composites).get(segment, (segment,))

    def covers(self, period: str) -> bool:
        """Whether the world holds the true value of ``period`` (a period of the domain)."""
        try:
            p = parse_period(period)
        except ValueError:
            return False
        return p.start.year >= self.years[0] and p.end.year <= self.years[-1]

    def level(self, series: str, segment: str, period: str) -> Fraction:
        p = parse_period(period)
        first = (p.start.year - self.years[0]) * 12 + p.start.month - 1
        last = (p.end.year - self.years[0]) * 12 + p.end.month - 1
        if not (self.covers(period)):
            raise ValueError(f"{period} is outside the world's years {self.years}")
        return sum(
            (sum(self.monthly[(series, s)][first : last + 1], Fraction(0)))
            for s in self.parts(series, segment)
        )

    def value(self, q: Q) -> Fraction:
        """The true value of ``q`` (a growth rate may be irrational: a close fraction)."""
        if q.measure == "rate":
            return self.rates[(q.segment, int(q.period))]
        level = self.level(q.series, q.segment, q.period)
        if q.measure == "level":
            own = PLANS[q.series].own
            if q.currency == own:
                return level
            year = parse_period(q.period).start.year
            usd = level / self.rates[("MAD_PER_USD", year)]
            return usd if q.currency == "USD" else usd * self.rates[("EUR_PER_USD", year)]
        if q.measure == "share_pct":
            return 100 * level / self.level(q.series, "total", q.period)
        base = self.level(q.series, q.segment, q.base_period)
        if q.measure == "change_pct":
            return 100 * (level / base - 1)
        if q.measure == "ratio_pct":
            return 100 * level / base
        n = parse_period(q.period).end.year - parse_period(q.base_period).end.year
        return Fraction(100 * ((float(level) / float(base)) ** (1 / n) - 1)).limit_denominator(
            10**12
        )


def draw_truth(c: Chooser) -> Truth:
    n_years = c.integer(1, 3)
    # Edges of the period domain are drawn as often as the middle (the contract accepts them).
    where = c.choice(("first", "last", "any", "any"))
    lo, hi = YEARS.start, YEARS.stop - n_years
    start = {"first": lo, "last": hi}.get(where) or c.integer(lo, hi)
    years = tuple(range(start, start + n_years))
    n_series = c.integer(1, 2)
    series = tuple(sorted({c.choice(tuple(PLANS)) for _ in range(n_series)}))
    monthly: dict[tuple[str, str], list[Fraction]] = {}
    for s in series:
        plan = PLANS[s]
        for seg in plan.segments or ("total",):
            size = c.integer(20, 2000)  # millions a month
            trend = c.integer(-30, 40)  # percent a year
            # the month-to-month noise from one drawn seed: few draws, so that a world shrinks
            noise = random.Random(c.integer(0, 2**32 - 1))
            monthly[(s, seg)] = [
                Fraction(size * 1000 + noise.randint(-size * 200, size * 200), 1000)
                * (1 + Fraction(trend, 100) * m / 12)
                for m in range(12 * n_years)
            ]
        for market in plan.markets:  # a share of the total, month by month
            total = [
                sum((monthly[(s, seg)][m] for seg in plan.segments), Fraction(0))
                for m in range(12 * n_years)
            ]
            share = Fraction(c.integer(20, 70), 100)
            monthly[(s, market)] = [x * share for x in total]
    rates = {}
    for y in years:
        rates[("MAD_PER_USD", y)] = Fraction(c.integer(80_000, 110_000), 10_000)
        rates[("EUR_PER_USD", y)] = Fraction(c.integer(7_000, 9_800), 10_000)
    return Truth(years, monthly, rates, series)


# ----------------------------------------------------------------------------- quantities


def draw_period(c: Chooser, years: tuple[int, ...], kind: str | None = None) -> str:
    kind = kind or c.choice(COVERED["period_kinds"])
    y = c.choice(years)
    if kind == "year":
        return f"{y}"
    if kind == "half":
        return f"{y}-H{c.integer(1, 2)}"
    if kind == "quarter":
        return f"{y}-Q{c.integer(1, 4)}"
    if kind == "month":
        return f"{y}-{c.integer(1, 12):02d}"
    shape = c.choice(("ytd", "ytd", "inner", "across"))
    if shape == "across" and y + 1 in years:
        m = c.integer(2, 12)
        return f"{y}-{m:02d}..{y + 1}-{c.integer(1, m - 1):02d}"
    if shape == "inner":
        m1 = c.integer(2, 11)
        return f"{y}-{m1:02d}..{y}-{c.integer(m1 + 1, 12):02d}"
    return f"{y}-01..{y}-{c.integer(2, 12):02d}"


def _year_before(period: str) -> str:
    p = parse_period(period)
    a, b = p.start, p.end
    return (
        f"{a.year - 1:04d}-{a.month:02d}..{b.year - 1:04d}-{b.month:02d}"
        if p.kind == "range"
        else str(a.year - 1) + period[4:]
    )


def draw_quantity(c: Chooser, t: Truth, pool: Sequence[str]) -> Q | None:
    """One quantity of the world, or None when the drawn shape does not fit it. Its period is
    mostly one of the world's ``pool``, so that prints meet in identities (a year, its halves and
    quarters, a year-to-date range of the same year)."""
    measure = c.choice(COVERED["measures"])
    if measure == "rate":
        return Q("exchange_rate", c.choice(RATE_PAIRS), str(c.choice(t.years)), "rate")
    s = c.choice(t.series)
    plan = PLANS[s]
    segments = ("total", *plan.segments, *plan.markets, *(k for k, _ in plan.composites))
    segment = c.choice(segments)
    period = c.choice(pool) if chance(c, 80) else draw_period(c, t.years)
    if measure == "level":
        other = (
            plan.own == "MAD"
            and parse_period(period).start.year == parse_period(period).end.year
            and chance(c, 15)
        )
        return Q(
            s, segment, period, "level", currency=c.choice(("USD", "EUR")) if other else plan.own
        )
    if measure == "share_pct":
        return Q(s, segment, period, "share_pct", currency="pct") if segment != "total" else None
    if measure == "avg_growth_pct":
        p = parse_period(period)
        if p.kind != "year" or p.start.year - 1 < t.years[0]:
            return None
        base = str(c.integer(t.years[0], p.start.year - 1))
        return Q(s, segment, period, measure, base, currency="pct")
    base = _year_before(period)
    if parse_period(period).start.year - 1 < t.years[0]:
        return None
    if measure == "ratio_pct" and chance(c, 50):
        base = str(parse_period(period).start.year - 1)  # "75 % of last year's total"
    return Q(s, segment, period, measure, base, currency="pct")


def draw_block(c: Chooser, t: Truth, pool: Sequence[str]) -> list[Q]:
    """Quantities printed together, as a bulletin prints them: a breakdown of one period (the
    total, every segment or all but one, some shares and changes on the year before), or one
    segment over a year and its parts (the year, a half, its quarters, a year-to-date range)."""
    s = c.choice(t.series)
    plan = PLANS[s]
    own = plan.own
    if plan.segments and chance(c, 60):
        period = c.choice(pool)
        segments = ["total", *plan.segments]
        if chance(c, 40):
            segments.remove(c.choice(segments))
        out = [Q(s, seg, period, "level", currency=own) for seg in segments]
        base = _year_before(period)
        has_base = t.covers(base)
        for seg in segments:
            if seg != "total" and chance(c, 40):
                out.append(Q(s, seg, period, "share_pct", currency="pct"))
            if has_base and chance(c, 40):
                out.append(Q(s, seg, period, "change_pct", base, currency="pct"))
        return out
    segment = c.choice(("total", *plan.segments))
    y = c.choice(t.years)
    periods = [f"{y}", f"{y}-H1", f"{y}-H2", *(f"{y}-Q{k}" for k in range(1, 5)),
               f"{y}-01..{y}-{c.integer(2, 11):02d}"]  # fmt: skip
    return [Q(s, segment, p, "level", currency=own) for p in periods if chance(c, 60)]


# ----------------------------------------------------------------------------- printing


@dataclass(frozen=True)
class Print:
    """One printed figure: its quantity, the words it is printed with, and its true value."""

    q: Q
    value: str
    unit: str
    qualifier: str
    family: str
    forecast: bool
    truth: Fraction


def _dec(x: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        return Decimal(x.numerator) / Decimal(x.denominator)


def _quantize(x: Decimal, exponent: int, rounding: str) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return x.quantize(Decimal(1).scaleb(exponent), rounding=rounding)


def format_number(x: Decimal, notation: str) -> str:
    """``x`` written as the notation writes it (thousands grouped where it is unambiguous)."""
    sign = "-" if x < 0 else ""
    digits = f"{abs(x):f}"
    whole, _, frac = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    if notation in ("comma", "declared_comma"):
        text = "\u202f".join(groups) + ("," + frac if frac else "")
    elif notation == "arabic_indic":
        text = "٬".join(groups) + ("٫" + frac if frac else "")
        text = text.translate(ARABIC_INDIC)
    elif notation == "declared_point":
        text = " ".join(groups) + ("." + frac if frac else "")
    else:  # point: a single group of three after a comma would be ambiguous without decimals
        sep = "," if frac or len(groups) > 2 else ""
        text = sep.join(groups) + ("." + frac if frac else "")
    return sign + text


def declared_mark(notation: str) -> str | None:
    return {"declared_point": ".", "declared_comma": ","}.get(notation)


@dataclass(frozen=True)
class Style:
    """How one release prints: language and notation."""

    language: str
    notation: str


def _scale_and_unit(c: Chooser, q: Q, style: Style) -> tuple[int, str]:
    """The exponent the value is printed at (millions = 0, billions = 3) and the unit words."""
    words = UNITS[style.language]
    if q.measure == "rate":
        return 0, RATE_UNITS[q.segment]
    if q.measure != "level":
        return 0, c.choice(words["pct"])
    exponent = c.choice((6, 9))
    return exponent - 6, c.choice(words[(q.currency, exponent)])


_ROUNDING = {
    # family -> (rounding for v >= 0, rounding for v < 0): the print that the family's
    # interval makes honest (printed.interval).
    "rounded": (ROUND_HALF_UP, ROUND_HALF_UP),
    "lower_bound": (ROUND_DOWN, ROUND_DOWN),
    "upper_bound": (ROUND_UP, ROUND_UP),
    "close_lower_bound": (ROUND_FLOOR, ROUND_CEILING),
    "close_upper_bound": (ROUND_CEILING, ROUND_FLOOR),
}


def print_quantity(c: Chooser, t: Truth, q: Q, style: Style) -> Print:
    """An honest print of ``q`` in ``style``."""
    truth = t.value(q)
    shift, unit = _scale_and_unit(c, q, style)
    x = _dec(truth) / Decimal(1000) ** (shift // 3)
    lang = style.language
    if q.measure in ("share_pct", "ratio_pct") and chance(c, 15):
        fractions = FRACTIONS[lang]
        near = min(fractions, key=lambda f: abs(f - truth))
        if abs(near - truth) <= Fraction(5, 2):
            return Print(q, fractions[near], "", "", "rounded", False, truth)
        if abs(near - truth) <= 5:
            words = c.choice(QUALIFIERS[lang]["approximate"])
            return Print(q, fractions[near], "", words, "approximate", False, truth)
    family = c.choice((*COVERED["families"], "forecast", "coarse"))
    coarse = family == "coarse"
    if coarse:
        family = c.choice(("rounded", "approximate"))
    exponent = c.integer(1, 2) if coarse else -c.integer(0, 3 if q.measure != "rate" else 4)
    if family == "forecast":  # the world's target: the outturn plus a quarter (or a fall less)
        v = _quantize(x * Decimal("1.25"), exponent, ROUND_HALF_UP)
        words = c.choice(QUALIFIERS[lang]["forecast"])
        made = Print(q, format_number(v, style.notation), unit, words, "rounded", True, truth)
        if not _refused(made, style):
            return made
        family = "rounded"
    if family == "range":
        low = _quantize(x, exponent, ROUND_FLOOR)
        high = _quantize(x, exponent, ROUND_CEILING)
        if high == low:
            high = low + Decimal(1).scaleb(exponent)
        if low < 0 < high or low == 0:
            family = "rounded"
        else:
            value = (
                format_number(low, style.notation)
                + RANGE_WORD[lang]
                + format_number(high, style.notation)
            )
            words = c.choice(QUALIFIERS[lang]["range"])
            return Print(q, value, unit, words, "range", False, truth)
    if family == "approximate":
        v = _quantize(x, exponent, c.choice((ROUND_HALF_UP, ROUND_FLOOR, ROUND_CEILING)))
    else:
        pos, neg = _ROUNDING[family]
        v = _quantize(x, exponent, pos if x >= 0 else neg)
    # A bound is strict ("un peu moins de 56" is below 56): on the grid, or at zero, only a
    # rounded print is honest.
    if v == 0 or (family != "rounded" and family != "approximate" and v == x):
        family, v = "rounded", _quantize(x, -3, ROUND_HALF_UP)
    words = c.choice(QUALIFIERS[lang][family])
    made = Print(q, format_number(v, style.notation), unit, words, family, False, truth)
    if _refused(made, style):  # a round number the contract finds implausible (-100 %)
        v = _quantize(x, -3, ROUND_HALF_UP)
        made = replace(made, value=format_number(v, style.notation), qualifier="", family="rounded")
    return made


def _refused(p: Print, style: Style) -> bool:
    """Whether the contract refuses ``p`` as implausible for its measure."""
    got = read_printed(p.value, p.unit, p.qualifier, language=style.language,
                       decimal_mark=declared_mark(style.notation))  # fmt: skip
    return plausibility_problem(got, p.q.measure, p.value, p.unit) is not None


# ----------------------------------------------------------------------------- releases


@dataclass
class Release:
    """One release: where and how it prints, and its prints (in file order)."""

    outlet: str
    day: date
    slug: str
    producer: str
    style: Style
    status: str
    prints: list[Print] = field(default_factory=list)

    @property
    def release_id(self) -> str:
        return f"{self.outlet}/{self.day.isoformat()}-{self.slug}"

    def ref(self, i: int) -> str:
        return f"{self.release_id}#F{i:03d}"


@dataclass
class World:
    truth: Truth
    releases: list[Release]

    def prints(self) -> dict[str, tuple[Release, Print]]:
        """Every print by its ref ``release_id#figure_id``."""
        return {r.ref(i): (r, p) for r in self.releases for i, p in enumerate(r.prints)}


def producer_of(q: Q) -> str:
    return RATE_PRODUCER if q.series == "exchange_rate" else PLANS[q.series].producer


def draw_style(c: Chooser) -> Style:
    language = c.choice(COVERED["languages"])
    return Style(language, c.choice(NOTATIONS[language]))


def draw_world(c: Chooser, max_quantities: int = 40) -> World:
    """A truth and honest releases printing part of it."""
    t = draw_truth(c)
    y = c.choice(t.years)
    family = (
        f"{y}",
        f"{y}-H1",
        f"{y}-H2",
        *(f"{y}-Q{k}" for k in range(1, 5)),
        f"{y}-01..{y}-{c.integer(2, 11):02d}",
        f"{y - 1}" if y - 1 in t.years else f"{y}",
    )
    pool = [c.choice(family) for _ in range(c.integer(2, 6))]  # fmt: skip
    quantities: list[Q] = []
    for _ in range(c.integer(1, max_quantities)):
        q = draw_quantity(c, t, pool)
        if q is not None and q not in quantities:
            quantities.append(q)
    for _ in range(c.integer(0, 2)):
        for q in draw_block(c, t, pool):
            if q not in quantities:
                quantities.append(q)
    if not quantities:  # every drawn shape missed: the world prints at least its total
        s = t.series[0]
        quantities.append(Q(s, "total", pool[0], "level", currency=PLANS[s].own))
    by_producer: dict[str, list[Q]] = {}
    for q in quantities:
        by_producer.setdefault(producer_of(q), []).append(q)
    releases: list[Release] = []
    last = t.years[-1]
    for number, (producer, qs) in enumerate(sorted(by_producer.items())):
        n = c.integer(1, min(3, len(qs)))
        originals = [
            Release(
                c.choice(OUTLETS),
                date(last + 1, c.integer(1, 12), c.integer(1, 28)),
                f"p{number}-r{k}",
                producer,
                draw_style(c),
                c.choice(("preliminary", "final", "unknown")),
            )
            for k in range(n)
        ]
        for q in qs:
            r = c.choice(originals)
            r.prints.append(print_quantity(c, t, q, r.style))
            if chance(c, 8):  # the same quantity twice in one release
                r.prints.append(print_quantity(c, t, q, r.style))
        kept = [r for r in originals if r.prints]
        releases.extend(kept)
        for r in kept:
            if chance(c, 30):  # a reprint by another outlet, in its own style
                style = draw_style(c)
                copy = replace(r, outlet=c.choice(OUTLETS), slug=f"{r.slug}-reprint", style=style)
                copy.prints = [print_quantity(c, t, p.q, style) for p in r.prints]
                releases.append(copy)
    return World(t, releases)


# ----------------------------------------------------------------------------- misprints

PERTURBATIONS = ("digits_swapped", "factor_1000", "wrong_sign", "wrong_base_period")


def _swap_digits(text: str, c: Chooser) -> str | None:
    spots = [i for i in range(len(text) - 1) if text[i].isdigit() and text[i + 1].isdigit()
             and text[i] != text[i + 1]]  # fmt: skip
    if not spots:
        return None
    i = c.choice(spots)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def perturb(c: Chooser, p: Print, kind: str) -> Print | None:
    """``p`` with one misprint of ``kind``, or None when ``p`` cannot take it."""
    if p.forecast or p.unit == "":
        return None
    if kind == "digits_swapped":
        value = _swap_digits(p.value, c)
        return replace(p, value=value) if value else None
    if kind == "wrong_sign":
        if p.family == "range":
            return None
        value = p.value[1:] if p.value.startswith("-") else "-" + p.value
        return replace(p, value=value)
    if kind == "factor_1000":
        swaps = {"milliards": "millions", "milliard": "million", "MMDH": "MDH", "Mds": "Millions",
                 "billion": "million", "bn": "m", "مليار": "مليون"}  # fmt: skip
        for old, new in swaps.items():
            if old in p.unit.split():
                return replace(p, unit=" ".join(new if w == old else w for w in p.unit.split()))
        return None
    if kind == "wrong_base_period" and p.q.base_period:
        base = parse_period(p.q.base_period)
        if base.start.year - 1 not in YEARS:
            return None
        return replace(p, q=replace(p.q, base_period=_year_before(p.q.base_period)))
    return None


# ----------------------------------------------------------------------------- files


HEADER = "figure_id,series,segment,period,measure,value,unit,qualifier,base_period,note\n"


def _cell(text: str) -> str:
    return f'"{text}"' if any(ch in text for ch in ',"\n') else text


def _row(i: int, p: Print) -> tuple[str, ...]:
    """The cells of one figure row, in the order of :data:`HEADER`."""
    q = p.q
    return (f"F{i:03d}", q.series, q.segment, q.period, q.measure, p.value, p.unit, p.qualifier,
            q.base_period, "")  # fmt: skip


def _row(i: int, p: Print) -> tuple[str, ...]:
    """The cells of one figure row, in the order of :data:`HEADER`."""
    q = p.q
    return (f"F{i:03d}", q.series, q.segment, q.period, q.measure, p.value, p.unit, p.qualifier,
            q.base_period, "")  # fmt: skip


def write_world(world: World, root: Path, *, shuffle: random.Random | None = None) -> Path:
    """Write the releases as a project's ``data/raw/`` (sealed) and return that folder; with
    ``shuffle``, the releases are written and each file's rows laid out in another order."""
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    (root / "data" / "processed").mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'world'\n", encoding="utf-8")
    releases = list(world.releases)
    if shuffle is not None:
        shuffle.shuffle(releases)
    for r in releases:
        folder = raw / r.release_id
        folder.mkdir(parents=True)
        meta = {
            "title": "A generated release",
            "outlet": r.outlet,
            "url": f"https://example.org/{r.release_id}",
            "date_published": r.day.isoformat(),
            "date_accessed": max(r.day.isoformat(), "2026-12-01"),
            "language": r.style.language,
            "producer": r.producer,
            "data_status": r.status,
            "notes": "Generated by the property tests: not a real release.",
        }
        lines = [f"{k}: {v}" if k == "date_published" else f"{k}: {v!r}" for k, v in meta.items()]
        if (mark := declared_mark(r.style.notation)) is not None:
            lines.append(f"decimal_mark: {mark!r}")
        (folder / "release.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        rows = [",".join(map(_cell, _row(i, p))) + "\n" for i, p in enumerate(r.prints)]
        if shuffle is not None:
            shuffle.shuffle(rows)
        (folder / "figures.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    add_checksums(raw)
    return raw


def reading(p: Print, r: Release) -> tuple[float, float]:
    """The interval the contract reads ``p`` as (the coarse one for a round number)."""
    got = read_printed(
        p.value, p.unit, p.qualifier, language=r.style.language,
        decimal_mark=declared_mark(r.style.notation),
    )  # fmt: skip
    return got.low, got.high
