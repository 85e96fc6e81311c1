"""Printed numbers, units and qualifiers -> values and intervals: one row per spelling."""

import math
from decimal import Decimal

import pytest

from digital_exports.contract import qualifiers, units
from digital_exports.contract.printed import (
    PrintedValueError,
    parse_fraction,
    parse_number,
    plausibility_problem,
    read_printed,
)
from digital_exports.contract.qualifiers import Family, QualifierError, parse_qualifier
from digital_exports.contract.units import UnitError, parse_unit

# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "declared", "default", "value", "decimals"),
    [
        ("10,578", None, ",", "10.578", 3),  # the language's own decimal mark
        ("26,2", None, ",", "26.2", 1),
        ("236 956", None, ",", "236956", 0),
        ("236\u00a0956", None, ",", "236956", 0),  # no-break space
        ("236\u202f956", None, ",", "236956", 0),  # narrow no-break space
        ("148.500", ",", ",", "148500", 0),  # declared: the dot separates thousands
        ("10.578", ".", ",", "10.578", 3),  # declared: the dot is the decimal mark
        ("4.75", None, ",", "4.75", 2),  # two digits cannot be a thousands group
        ("1.234.567", None, ",", "1234567", 0),  # a repeated mark groups
        ("1.234,5", None, ",", "1234.5", 1),  # both marks: the last is decimal
        ("+12 223", None, ",", "12223", 0),
        ("-4,9", None, ",", "-4.9", 1),
        ("\u22124,9", None, ",", "-4.9", 1),  # U+2212 minus sign
        ("1 234 567,25", None, ",", "1234567.25", 2),
        ("2.8", None, ".", "2.8", 1),
        ("1,234.5", None, ".", "1234.5", 1),
        ("8.41715833333333", None, ".", "8.41715833333333", 14),
        ("48", None, ",", "48", 0),
        ("٤٫٧٥", None, ",", "4.75", 2),  # Arabic-Indic digits and decimal separator
        ("١٢", None, ",", "12", 0),
    ],
)
def test_parse_number_settles_the_decimal_mark(text, declared, default, value, decimals):
    parsed = parse_number(text, declared, default)
    assert parsed.value == Decimal(value)
    assert parsed.decimals == decimals


@pytest.mark.parametrize(
    ("text", "default"), [("10.578", ","), ("148.500", ","), ("10,578", "."), ("1,234", ".")]
)
def test_an_ambiguous_mark_is_an_error_naming_decimal_mark(text, default):
    with pytest.raises(PrintedValueError) as err:
        parse_number(text, None, default)
    assert err.value.field == "value" and "decimal_mark" in err.value.expected


@pytest.mark.parametrize("text", ["12,3,4", "abc", "", "1 23", "12 3456", "2.8.1", "1,2a", "--3"])
def test_parse_number_rejects_what_is_not_a_number(text):
    with pytest.raises(PrintedValueError) as err:
        parse_number(text, ",", ",")
    assert err.value.field == "value"
    assert repr(text) in err.value.found


@pytest.mark.parametrize(
    ("text", "step", "coarse"),
    [("80", "1", "10"), ("800", "1", "100"), ("20", "1", "10"), ("17", "1", "1"),
     ("26,2", "0.1", "0.1"), ("0", "1", "1"), ("236 000", "1", "1000")],
)  # fmt: skip
def test_trailing_zeros_give_a_coarser_step(text, step, coarse):
    parsed = parse_number(text, None, ",")
    assert (parsed.step, parsed.coarse_step) == (Decimal(step), Decimal(coarse))


@pytest.mark.parametrize(
    ("text", "percent"),
    [("la moitié", 50), ("un tiers", Decimal(100) / 3), ("deux tiers", Decimal(200) / 3),
     ("trois quarts", 75), ("les trois quarts", 75), ("a quarter", 25), ("three-quarters", 75),
     ("half", 50), ("النصف", 50), ("ثلاثة أرباع", 75), ("ثلثي", Decimal(200) / 3)],
)  # fmt: skip
def test_word_fractions_are_percentages(text, percent):
    assert parse_fraction(text) == Decimal(percent)


# ----------------------------------------------------------------------------- units

MAD_BN = ("MAD mn", Decimal(1000))
MAD_MN = ("MAD mn", Decimal(1))


@pytest.mark.parametrize(
    ("printed", "language", "canonical", "factor"),
    [
        ("milliards de dirhams", "fr", *MAD_BN),
        ("Milliards de dirhams", "fr", *MAD_BN),
        ("milliards  de  dirhams", "fr", *MAD_BN),  # a double space
        ("milliard de DH", "fr", *MAD_BN),
        ("milliards de Dh", "fr", *MAD_BN),
        ("Mds de dirhams", "fr", *MAD_BN),
        ("Mds DH", "fr", *MAD_BN),
        ("Mds. DH", "fr", *MAD_BN),
        ("Md DH", "fr", *MAD_BN),
        ("MMDH", "fr", *MAD_BN),
        ("MM DH", "fr", *MAD_BN),
        ("Mrds DH", "fr", *MAD_BN),
        ("Dh bn", "en", *MAD_BN),
        ("bn dirhams", "en", *MAD_BN),
        ("billion dirhams", "en", *MAD_BN),
        ("MAD bn", "en", *MAD_BN),
        ("مليار درهم", "ar", *MAD_BN),
        ("مليارات دراهم", "ar", *MAD_BN),
        ("مليارات الدراهم", "ar", *MAD_BN),  # the article is read off a known word
        ("مليار الدولارات", "ar", "USD mn", Decimal(1000)),
        ("millions de DH", "fr", *MAD_MN),
        ("millions de dirhams", "fr", *MAD_MN),
        ("millions DH", "fr", *MAD_MN),
        ("MDH", "fr", *MAD_MN),
        ("M DH", "fr", *MAD_MN),
        ("Dh m", "en", *MAD_MN),
        ("Dh mn", "en", *MAD_MN),
        ("مليون درهم", "ar", *MAD_MN),
        ("milliards de dollars", "fr", "USD mn", Decimal(1000)),
        ("$ bn", "en", "USD mn", Decimal(1000)),
        ("US$ bn", "en", "USD mn", Decimal(1000)),
        ("billion dollars", "en", "USD mn", Decimal(1000)),
        ("USD mn", "en", "USD mn", Decimal(1)),
        ("millions de dollars US", "fr", "USD mn", Decimal(1)),
        ("millions de dollars américains", "fr", "USD mn", Decimal(1)),
        ("مليار دولار", "ar", "USD mn", Decimal(1000)),
        ("millions d'euros", "fr", "EUR mn", Decimal(1)),
        ("millions d’euros", "fr", "EUR mn", Decimal(1)),  # typographic apostrophe
        ("milliards d'euros", "fr", "EUR mn", Decimal(1000)),
        ("Mrd €", "fr", "EUR mn", Decimal(1000)),
        ("€ bn", "en", "EUR mn", Decimal(1000)),
        ("مليون يورو", "ar", "EUR mn", Decimal(1)),
        ("dirhams", "fr", "MAD mn", Decimal("0.000001")),
        ("%", "fr", "pct", Decimal(1)),
        ("pc", "fr", "pct", Decimal(1)),
        ("pour cent", "fr", "pct", Decimal(1)),
        ("٪", "ar", "pct", Decimal(1)),
        ("في المائة", "ar", "pct", Decimal(1)),
        ("MAD per USD", "en", "MAD per USD", Decimal(1)),
        ("EUR per USD", "en", "EUR per USD", Decimal(1)),
        ("USD per EUR", "en", "USD per EUR", Decimal(1)),
    ],
)
def test_unit_spellings_read_by_the_grammar(printed, language, canonical, factor):
    unit = parse_unit(printed, language)
    assert (unit.canonical, unit.factor) == (canonical, factor)


@pytest.mark.parametrize(("printed", "expected"), units.EXAMPLES)
def test_every_example_of_the_contract_reads_as_it_says(printed, expected):
    unit = parse_unit(printed, "en" if "billion" in printed else "fr")
    factor = "" if unit.kind != "level" else f" × {unit.factor.normalize():f}"
    assert expected.startswith(unit.canonical + factor)


@pytest.mark.parametrize(
    ("printed", "language", "says"),
    [
        ("milliards de francs", "fr", "unknown word 'francs'"),
        ("miliards de dirhams", "fr", "did you mean 'milliards'"),
        ("Mds", "fr", "no currency"),
        ("milliards", "fr", "no currency"),
        ("M", "fr", "bare 'M'"),
        ("billion dirhams", "fr", "10^12 in French"),
        ("milliards de dirhams dollars", "fr", "2 currencies"),
        ("millions de milliards de DH", "fr", "2 scale words"),
        ("dirhams US", "fr", "qualifies another currency"),
        ("MAD per GBP", "en", "unknown word"),
        ("EUR per MAD", "en", "not a rate"),
        ("", "fr", "empty"),
    ],
)
def test_unreadable_or_ambiguous_units_are_refused_in_one_line(printed, language, says):
    with pytest.raises(UnitError) as err:
        parse_unit(printed, language)
    message = str(err.value)
    assert says in message and "\n" not in message


# ----------------------------------------------------------------------------- qualifiers

A, LB, UB = Family.APPROXIMATE, Family.LOWER_BOUND, Family.UPPER_BOUND


@pytest.mark.parametrize(
    ("printed", "family", "forecast"),
    [
        ("", Family.ROUNDED, False),
        ("près de", A, False),
        ("Près de", A, False),
        ("environ", A, False),
        ("quelque", A, False),
        ("autour de", A, False),
        ("de l'ordre de", A, False),
        ("de l’ordre de", A, False),
        ("avoisine", A, False),
        ("avoisinent", A, False),
        ("proches de", A, False),
        ("aux alentours de", A, False),
        ("nearly", A, False),
        ("about", A, False),
        ("around", A, False),
        ("approximately", A, False),
        ("حوالي", A, False),
        ("نحو", A, False),
        ("قرابة", A, False),
        ("ما يقارب", A, False),
        ("ما يناهز", A, False),
        ("plus de", LB, False),
        ("plus des", LB, False),
        ("au moins", LB, False),
        ("dépasse", LB, False),
        ("dépassent", LB, False),
        ("dépassant", LB, False),
        ("au-delà de", LB, False),
        ("franchit la barre des", LB, False),
        ("franchi le cap des", LB, False),
        ("le cap des", LB, False),
        ("atteindre le cap des", LB, False),
        ("above", LB, False),
        ("over", LB, False),
        ("more than", LB, False),
        ("at least", LB, False),
        ("أكثر من", LB, False),
        ("يفوق", LB, False),
        ("ما يفوق", LB, False),
        ("moins de", UB, False),
        ("under", UB, False),
        ("below", UB, False),
        ("less than", UB, False),
        ("أقل من", UB, False),
        ("un peu plus de", Family.CLOSE_LOWER_BOUND, False),
        ("légèrement plus de", Family.CLOSE_LOWER_BOUND, False),
        ("just over", Family.CLOSE_LOWER_BOUND, False),
        ("un peu moins de", Family.CLOSE_UPPER_BOUND, False),
        ("just under", Family.CLOSE_UPPER_BOUND, False),
        ("devrait dépasser", LB, True),
        ("devrait atteindre", Family.ROUNDED, True),
        ("prévu à", Family.ROUNDED, True),
        ("objectif de", Family.ROUNDED, True),
        ("expected to reach", Family.ROUNDED, True),
        ("target of", Family.ROUNDED, True),
        ("من المتوقع أن يصل إلى", Family.ROUNDED, True),
    ],
)
def test_qualifier_spellings_read_by_family(printed, family, forecast):
    q = parse_qualifier(printed)
    assert (q.family, q.forecast) == (family, forecast)


@pytest.mark.parametrize("printed", [p for p, _ in qualifiers.EXAMPLES])
def test_every_qualifier_example_of_the_contract_parses(printed):
    parse_qualifier(printed)


@pytest.mark.parametrize(
    ("printed", "says"),
    [
        ("prés de", "did you mean 'près'"),
        ("grosso modo", "unknown word 'grosso'"),
        ("près de plus de", "mixes"),
        ("un peu", "closeness word without a bound"),
        ("entre plus de", "opens a range"),
        # a word known only at the start of longer phrases: the phrases are named
        ("in bref", "'in bref' is not a known phrase; 'in' is read only in 'in excess'"),
        ("cap de", "the word 'cap' cannot start a qualifier here"),
        # "ما" + a past-tense verb is a negation ("did not exceed"): never read as a bound
        ("ما تجاوزت", "'ما تجاوزت' is not a known phrase; 'ما' is read only in"),
        ("ما", "'ما' alone is not a known phrase; 'ما' is read only in 'ما بين'"),
    ],
)
def test_unknown_qualifiers_are_refused_with_a_suggestion(printed, says):
    with pytest.raises(QualifierError) as err:
        parse_qualifier(printed)
    assert says in str(err.value) and "\n" not in str(err.value)


# ----------------------------------------------------------------------------- intervals


def test_rounded_approximate_and_bounds():
    r = read_printed("26,2", "milliards de dirhams")
    assert (r.low, r.high, r.unit, r.family) == (26150.0, 26250.0, "MAD mn", Family.ROUNDED)
    r = read_printed("17", "%", "près de")
    assert (r.low, r.high) == (16.0, 18.0)
    r = read_printed("14", "MMDH", "plus de")
    assert (r.low, r.high) == (14000.0, math.inf)


def test_a_bound_on_a_negative_value_opens_away_from_zero():
    r = read_printed("-30", "%", "plus de")  # "un recul de plus de 30 %"
    assert (r.low, r.high) == (-math.inf, -30.0)
    r = read_printed("-5", "%", "moins de")  # "un recul de moins de 5 %"
    assert (r.low, r.high) == (-5.0, 0.0)
    r = read_printed("5", "%", "moins de")
    assert (r.low, r.high) == (0.0, 5.0)


def test_a_round_number_is_read_at_its_coarser_precision():
    r = read_printed("80", "%", "près de")
    assert r.low <= 77.7 <= r.high  # ITO + CRM 2024 = 40,3 + 37,4
    assert not r.low_fine <= 77.7 <= r.high_fine and r.coarse
    r = read_printed("20", "%")  # MTNRA two-year growth, 14,7 -> 17,9 = 21,8 %
    assert r.low <= 21.77 <= r.high and r.coarse
    assert not read_printed("26,2", "milliards de dirhams").coarse


def test_close_bounds_ranges_fractions_and_forecasts():
    r = read_printed("40", "%", "un peu plus de")
    assert (r.low, r.high, r.family) == (40.0, 50.0, Family.CLOSE_LOWER_BOUND)
    r = read_printed("10 et 11", "milliards de dirhams", "entre")
    assert (r.low, r.high, r.family, r.value) == (9500.0, 11500.0, Family.RANGE, 10500.0)
    r = read_printed("10 à 11", "Mds DH", "de")
    assert (r.low, r.high) == (9500.0, 11500.0)
    r = read_printed("trois quarts", "", "plus des")
    assert (r.low, r.high, r.unit) == (75.0, math.inf, "pct")
    r = read_printed("trois quarts", "%", "près des")
    assert (r.low, r.high) == (70.0, 80.0)
    r = read_printed("10,5", "milliards de DH", "devrait dépasser")
    assert r.forecast and (r.low, r.high) == (10500.0, math.inf)


def test_decimal_marks_in_context():
    r = read_printed("4.75", "مليار درهم", language="ar")
    assert r.value == 4750.0
    with pytest.raises(PrintedValueError) as err:
        read_printed("10.578", "milliards de dirhams", language="fr")
    assert "decimal_mark" in err.value.expected
    assert read_printed("10.578", "Mds DH", decimal_mark=".").value == 10578.0
    assert read_printed("2.8", "billion dollars", language="en").unit == "USD mn"


def test_plausibility_guard_on_levels_shares_and_changes():
    big = read_printed("10.578", "milliards de dirhams", decimal_mark=",")  # read as 10 578 bn
    assert "plausibility ceiling" in plausibility_problem(big, "level", "10.578", "milliards")
    tiny = read_printed("48", "dirhams")
    assert "scale word" in plausibility_problem(tiny, "level", "48", "dirhams")
    assert plausibility_problem(read_printed("26,2", "MMDH"), "level", "", "") is None
    assert plausibility_problem(read_printed("140", "%"), "share_pct", "", "")
    assert plausibility_problem(read_printed("-100", "%"), "change_pct", "", "")


# The width of "approximate" (± one step) is justified by real prints, each checked against the
# value that other prints of the data give. The half-step of plain rounding would refuse some.
APPROXIMATE_CASES = [
    # (printed, unit, qualifier, the value other prints give, source)
    ("10,6", "milliards de dirhams", "environ", 10578, "hespress ITO 2024 vs L'Economiste"),
    ("9,8", "milliards de dirhams", "environ", 9797, "hespress CRM 2024 vs L'Economiste"),
    ("17", "%", "près de", 16.93, "L'Economiste BPO 2024: 2,334 / 1,996"),
    ("80", "%", "près de", 77.7, "managers.tn ITO+CRM 2024: 40,3 + 37,4"),
    ("37", "%", "environ", 37.4, "expresstv CRM share 2024 vs 37,4"),
    ("75", "%", "près de", 74.52, "walaw ESO 2025-H1 / 2024: 2,58 / 3,462"),
    ("trois quarts", "", "près des", 74.52, "expresstv ESO 2025-H1 / 2024"),
    ("18", "milliards de dirhams", "près de", 17900, "le Nouvelliste 2023 vs MTNRA 17,9"),
]


@pytest.mark.parametrize(("printed", "unit", "qualifier", "other", "source"), APPROXIMATE_CASES)
def test_the_approximate_width_holds_on_real_prints(printed, unit, qualifier, other, source):
    r = read_printed(printed, unit, qualifier)
    assert r.low <= other <= r.high, source


def test_the_arabic_article_never_turns_one_unit_word_into_another():
    """``ال`` is read off a word only when the bare word is known: no known word may become a
    known word of another meaning by adding or removing the article."""

    words = units._WORDS
    arabic = [w for w in words if any("\u0600" <= ch <= "\u06ff" for ch in w)]
    assert arabic, "the unit grammar declares Arabic words"
    for w in arabic:
        with_article = units.ARABIC_ARTICLE + w
        assert words.get(with_article, words[w]) == words[w], with_article
        bare = w.removeprefix(units.ARABIC_ARTICLE)
        assert bare == w or words.get(bare, words[w]) == words[w], w
    assert units._without_article("الدراهم") == "دراهم"
    assert units._without_article("الف") == "الف"  # not the article before a known word
