"""The Arabic and wire-service press as it prints (issue 18): negation as a rule, the idioms of
thresholds as one family across languages, Arabic spelling variants, the wire notation A ر B,
and a declared reading as the last resort, each read to the interval stated here."""

from __future__ import annotations

import math

import pytest

from digital_exports.contract.printed import PrintedValueError, read_printed
from digital_exports.contract.qualifiers import Family, parse_qualifier, suggest_reading
from digital_exports.contract.textnorm import normalize

LOWER, UPPER = Family.LOWER_BOUND, Family.UPPER_BOUND


@pytest.mark.parametrize(
    ("printed", "family"),
    [
        # a negated lower bound is an upper bound
        ("لم تتجاوز", UPPER),
        ("لم يتجاوز", UPPER),
        ("لم تتعد", UPPER),
        ("لم تتعدى", UPPER),
        ("لا يتجاوز", UPPER),
        ("ne dépasse pas", UPPER),
        ("n'a pas dépassé", UPPER),
        ("n\u2019excède pas", UPPER),
        ("n'a jamais dépassé", UPPER),
        ("did not exceed", UPPER),
        ("didn't exceed", UPPER),
        ("not more than", UPPER),
        ("no more than", UPPER),
        # a negated upper bound is a lower bound
        ("لا يقل عن", LOWER),
        ("ما لا يقل عن", LOWER),
        ("pas moins de", LOWER),
        ("n'est pas inférieur à", LOWER),
        ("not less than", LOWER),
        ("no less than", LOWER),
        # thresholds, in every tense and gender the languages inflect
        ("franchir la barre des", LOWER),
        ("a franchi le cap des", LOWER),
        ("dépasse le seuil des", LOWER),
        ("atteindre le cap des", LOWER),
        ("sous la barre des", UPPER),
        ("crossed the mark", LOWER),
        ("crossed the threshold of", LOWER),
        ("passed the milestone of", LOWER),
        ("below the threshold of", UPPER),
        ("تجاوزت حاجز", LOWER),
        ("تجاوز حاجز", LOWER),
        ("يتجاوز عتبة", LOWER),
        ("تخطت عتبة", LOWER),
        ("تخطى حاجز", LOWER),
        ("فاقت سقف", LOWER),
        ("فاق الحاجز", LOWER),
        ("لم تتجاوز حاجز", UPPER),
        ("ne devrait pas dépasser", UPPER),
    ],
)
def test_negations_and_thresholds_read_as_a_rule(printed, family):
    assert parse_qualifier(printed).family is family


@pytest.mark.parametrize(
    "printed", ["pas environ", "not about", "لم يقارب", "ne pas", "not", "pas un peu plus de"]
)
def test_a_negation_the_grammar_cannot_resolve_is_refused(printed):
    with pytest.raises(PrintedValueError) as err:
        read_printed("5", "%", printed)
    assert err.value.field == "qualifier"


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "notation", "low", "high", "printed_unit"),
    [
        # the four prints of the issue, to the interval stated there
        ("0,2", "%", "لم تتجاوز", None, 0.0, 0.2, "pct"),
        ("26.2", "مليار درهم", "تجاوزت حاجز", None, 26200.0, math.inf, "MAD mn"),
        ("833", "مليون دولار أميركي", "", None, 832.5, 833.5, "USD mn"),
        ("3ر3", "مليار درهم", "", "wire_ra", 3250.0, 3350.0, "MAD mn"),
        ("6ر97", "%", "", "wire_ra", 97.55, 97.65, "pct"),
        # Arabic-Indic digits, the Arabic decimal separator, spelling variants
        ("٣٫٣", "مليار درهم", "", None, 3250.0, 3350.0, "MAD mn"),
        ("۳٫۳", "مليار درهم", "حوالى", None, 3200.0, 3400.0, "MAD mn"),
        ("833", "مليون دولار امريكي", "أكثر من", None, 833.0, math.inf, "USD mn"),
        ("10", "ملايير الدراهم", "على الأقل", None, 10000.0, math.inf, "MAD mn"),
    ],
)
def test_the_arabic_and_wire_prints_read_to_their_interval(
    value, unit, qualifier, notation, low, high, printed_unit
):
    r = read_printed(value, unit, qualifier, language="ar", number_notation=notation)
    assert (r.low, r.high, r.unit) == pytest.approx((low, high, printed_unit))


def test_the_same_value_printed_both_ways_agrees():
    wire = read_printed("6ر97", "%", "", language="ar", number_notation="wire_ra")
    plain = read_printed("97,6", "%", "", language="ar")
    assert (wire.value, wire.low, wire.high) == (plain.value, plain.low, plain.high)


def test_the_wire_notation_is_declared_never_guessed():
    with pytest.raises(PrintedValueError, match="number_notation: wire_ra") as err:
        read_printed("3ر3", "مليار درهم", "", language="ar")
    assert err.value.field == "value"
    with pytest.raises(PrintedValueError, match="number_notation"):  # two letters: not a number
        read_printed("3ر3ر3", "مليار درهم", "", language="ar", number_notation="wire_ra")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("عتبة", "عتبه"),
        ("حوالى", "حوالي"),
        ("أكثر", "اكثر"),
        ("إلى", "الى"),
        ("مـلـيـار", "مليار"),  # tatweel
        ("مِلْيَار", "مليار"),  # vowel marks
    ],
)
def test_arabic_spelling_variants_meet_in_one_form(a, b):
    assert normalize(a) == normalize(b)


def test_a_declared_reading_reads_what_the_grammar_does_not_know():
    with pytest.raises(PrintedValueError) as err:
        read_printed("0,2", "%", "لم تقارب")
    assert "reading" in err.value.expected  # the message leads to the declared reading
    r = read_printed("0,2", "%", "لم تقارب", reading="at_most")
    assert (r.low, r.high, r.family, r.declared) == (0.0, 0.2, UPPER, "at_most")
    f = read_printed("30", "milliards de dirhams", "à l'horizon", reading="forecast")
    assert f.forecast and f.declared == "forecast"


def test_a_declared_reading_never_overrides_the_grammar():
    assert read_printed("5", "%", "près de", reading="about").declared == "about"
    with pytest.raises(PrintedValueError, match="which the grammar reads as approximate"):
        read_printed("5", "%", "près de", reading="at_most")
    with pytest.raises(PrintedValueError, match="one of exact, about"):
        read_printed("5", "%", "xyz", reading="roughly")


@pytest.mark.parametrize(
    ("printed", "reading"),
    [
        ("تخطت بقوة", "at_least"),  # an unknown adverb beside a known verb of crossing
        ("لم تبلغ حاجز", "at_most"),  # a negated threshold with an unknown verb
        ("a largement dépassé", "at_least"),
    ],
)
def test_a_refusal_names_the_closest_family_and_the_line_to_add(printed, reading):
    assert f"add reading: {reading} " in suggest_reading(printed)


def test_a_sealed_contract_readme_is_named_for_what_it_is(tmp_path):
    """A SHA256SUMS of an earlier layout lists data/raw/README.md: the message says that the
    README is never sealed and how to fix the listing, not that the file is missing."""
    from digital_exports.contract.errors import ChecksumError
    from digital_exports.contract.releases import verify_checksums

    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "README.md").write_text("contract\n", encoding="utf-8")
    (raw / "SHA256SUMS").write_text("0" * 64 + "  README.md\n", encoding="utf-8")
    with pytest.raises(ChecksumError) as err:
        verify_checksums(raw, tmp_path)
    text = str(err.value)
    assert "never sealed" in text and "delete that line" in text and "missing" not in text
