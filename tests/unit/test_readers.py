"""The readers' formatting layer (``analysis/readers.py``): locale numbers, intervals with
open bounds, labels for codes, nothing for unknown values, escaped text, no pandas repr."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from digital_exports.analysis import labels, readers
from digital_exports.analysis.readers import Column
from digital_exports.report import changes

NAN = float("nan")
INF = math.inf


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (40.3, 1, "fr", "40,3\u202f%"),
        (40.3, 1, "en", "40.3%"),
        (-12.71, 2, "fr", "-12,71\u202f%"),
        (NAN, 1, "fr", ""),
        (None, 1, "en", ""),
    ],
)
def test_percentages_follow_the_locale(value, decimals, lang, expected) -> None:
    assert readers.pct(value, decimals, lang) == expected


@pytest.mark.parametrize(
    ("low", "high", "decimals", "lang", "unit", "expected"),
    [
        (11.94, 12.66, 1, "fr", "", "11,9 à 12,7"),
        (11.94, 12.66, 1, "en", "", "11.9 to 12.7"),
        (14000.0, INF, 0, "fr", "", "au moins 14\u202f000"),
        (14000.0, INF, 0, "en", "", "at least 14,000"),
        (-INF, -30.0, 0, "en", "%", "at most -30%"),
        (26.2, 26.2, 1, "en", "", "26.2"),
        (NAN, 3.0, 1, "en", "", ""),
        (2325.0, 2335.0, -1, "en", "", "2,325 to 2,335"),
        (37.35, 37.45, -1, "en", "%", "37.35% to 37.45%"),
    ],
)
def test_intervals_read_as_words(low, high, decimals, lang, unit, expected) -> None:
    assert readers.interval(low, high, decimals, lang, unit) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1996.578272, "MAD mn", "1,996.6"),  # a derived level: a tenth of a million at most
        (2334.0, "MAD mn", "2,334"),
        (37.2134, "pct", "37.21%"),
        (16.9, "pct", "16.9%"),
        (NAN, "pct", ""),
    ],
)
def test_values_take_the_decimals_they_need(value, unit, expected) -> None:
    assert readers.value_text(value, unit) == expected


def test_interval_text_writes_open_bounds_in_words() -> None:
    assert readers.interval_text(10500.0, INF, "MAD mn") == "at least 10,500"
    assert readers.interval_text(7.05, 7.15, "pct") == "7.05% to 7.15%"
    assert readers.interval_text(NAN, NAN, "pct") == ""


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("consistent_if_coarse", "consistent if coarse"),
        ("share_pct", "share"),
        ("ratio_pct", "ratio to another period"),
        ("level", "level"),
        (NAN, ""),
    ],
)
def test_codes_read_as_words(code, expected) -> None:
    assert readers.plain(code) == expected


def test_reasons_show_infinity_not_inf() -> None:
    text = readers.readable_reason("computed [7000, +inf] and printed [-inf, 6500] overlap")
    assert text == "computed [7000, ∞] and printed [-∞, 6500] overlap"
    assert readers.readable_reason("information") == "information"  # a word is not a bound


def test_labels_replace_codes() -> None:
    assert readers.label_of("ITO", "en") == "IT outsourcing (ITO)"
    assert readers.label_of("total", "fr") == "Total"
    assert readers.label_of("exchange_rate", "en") == "Exchange rates"
    assert readers.label_of("NOT_A_CODE", "en") == "NOT_A_CODE"


TABLE = pd.DataFrame(
    {
        "segment": ["ITO", "CRM"],
        "note": ["<script>alert(1)</script> & more", NAN],
        "value": [10578.0, NAN],
        "flag": [True, False],
    }
)
COLUMNS = [
    Column("segment", "Segment", "segment"),
    Column("note", "Note"),
    Column("value", "Level (MAD million)", "number", 0),
    Column("flag", "Kept", "word"),
]


def test_a_readers_table_has_no_raw_values_and_escapes_text() -> None:
    page = readers.table_html(TABLE, COLUMNS, "en")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert not re.search(r"\bNaN\b|\bnan\b|\bTrue\b|\bFalse\b|<th[^>]*>\s*</th>", page)
    assert ">10,578<" in page and ">yes<" in page and ">no<" in page
    markdown = readers.ReaderTable(TABLE, COLUMNS, "fr")._repr_markdown_()
    assert "10\u202f578" in markdown and "oui" in markdown and "nan" not in markdown.lower()
    assert "\\<script\\>" in markdown  # escaped, read as text


def test_an_empty_table_is_a_sentence() -> None:
    shown = readers.show(TABLE.iloc[0:0], COLUMNS, "en", empty="No release revises another.")
    assert shown.data == "No release revises another."
    assert readers.show(TABLE.iloc[0:0], COLUMNS, "fr").data == "Aucune ligne."


def test_prints_table_reads_each_row_in_its_own_unit() -> None:
    figures = pd.DataFrame(
        {
            "outlet": ["le360", "Walaw"],
            "series": ["digital_outsourcing_exports"] * 2,
            "segment": ["ITO", "ESO"],
            "period": ["2024", "2025-H1"],
            "measure": ["level", "ratio_pct"],
            "qualifier": ["environ", "près de"],
            "value_printed": ["10,6", "75"],
            "unit_printed": ["milliards de dirhams", "%"],
            "low": [10500.0, 74.0],
            "high": [10700.0, 76.0],
            "unit": ["MAD mn", "pct"],
        }
    )
    page = readers.prints_table(figures)._repr_html_()
    for expected in (
        "10,6 milliards de dirhams",
        "10,500 to 10,700",
        "MAD million",
        "74% to 76%",
        "ratio to another period",
        "Engineering (ESO)",
    ):
        assert expected in page, expected


@pytest.mark.parametrize(
    ("code", "fr", "en"),
    [
        ("2025-H1", "S1 2025", "H1 2025"),
        ("2024-Q4", "T4 2024", "Q4 2024"),
        ("2011-05", "mai 2011", "May 2011"),
        ("2011-01..2011-05", "janv.-mai 2011", "Jan-May 2011"),
        ("2024", "2024", "2024"),
        ("2010-11..2011-02", "2010-11..2011-02", "2010-11..2011-02"),  # two years: as written
        ("not a period", "not a period", "not a period"),
    ],
)
def test_periods_read_as_a_reader_writes_them(code, fr, en) -> None:
    assert (labels.period_label(code, "fr"), labels.period_label(code, "en")) == (fr, en)


def test_a_note_is_written_in_the_reports_language() -> None:
    note = labels.Note(
        "note_missing_many",
        {"segments": labels.Codes(("ESO", "ITO", "ITO_CRM")), "period": labels.When("2024-H1")},
    )
    assert labels.say(note, "en") == (
        "Engineering (ESO), IT outsourcing (ITO) and the sum of ITO and CRM have no level for "
        "H1 2024: no change is computed for them, and the chart lists them as not available."
    )
    french = labels.say(note, "fr")
    assert french.startswith("Ingénierie (ESO), Services informatiques (ITO) et l'agrégat ITO")
    assert "S1 2024" in french and "IT outsourcing" not in french
    rate = labels.Note(
        "note_converted_year", {"currency": "USD", "year": 2024, "rate": labels.Num(9.9424, 4)}
    )
    assert "9,9424 dirhams pour un dollar" in labels.say(rate, "fr")
    assert "9.9424 dirhams per dollar" in labels.say(rate, "en")


def test_every_sentence_exists_in_both_languages() -> None:
    keys = {lang: set(labels._WORDS[lang]) for lang in ("fr", "en")}
    assert keys["fr"] == keys["en"]
    for key in keys["fr"]:  # the same fields in both templates
        fields = {lang: set(re.findall(r"{(\w+)}", labels._WORDS[lang][key])) for lang in keys}
        assert fields["fr"] == fields["en"], key


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (
            "digital_outsourcing_exports|ITO|2026-Q1|share_pct",
            "Digital and outsourcing (OC-MTNRA, 2023+), IT outsourcing (ITO), Q1 2026, share",
        ),
        (
            "digital_outsourcing_exports|total|2025-H1|change_pct|2024-H1",
            "Digital and outsourcing (OC-MTNRA, 2023+), Total, H1 2025, change on H1 2024",
        ),
        ("hespress/2026-04-22-exportations", "hespress/2026-04-22-exportations"),  # a release
        ("not_a_series|ITO|2024|level", "not_a_series|ITO|2024|level"),
    ],
)
def test_the_index_names_a_changed_quantity_in_words(quantity, expected) -> None:
    assert changes.quantity_label(quantity) == expected


def test_french_sentences_elide_start_with_a_capital_and_keep_colons_on_their_line() -> None:
    derived = labels.Note(
        "note_derived_one", {"segments": labels.Codes(("ESO",)), "period": labels.When("2024-H1")}
    )
    text = labels.say(derived, "fr")
    assert text.startswith("Le niveau S1 2024 est calculé pour Ingénierie (ESO)")
    assert "de Ingénierie" not in text and " :" not in text and "\u00a0:" in text
    composite = labels.Note(
        "note_missing_one", {"segments": labels.Codes(("ITO_CRM",)), "period": "2024-H1"}
    )
    assert labels.say(composite, "fr").startswith("L'agrégat ITO et CRM n'a pas de niveau")
    assert labels.say(composite, "en").startswith("The sum of ITO and CRM has no level")


@pytest.mark.parametrize(
    ("n", "key"), [(1, "note_no_rate_years_one"), (3, "note_no_rate_years_many")]
)
def test_counts_agree_with_their_noun(n, key) -> None:
    fields = {"years": labels.Items(("2025",)), "n": n, "currency": "USD"}
    en, fr = (labels.say(labels.Note(key, fields), lang) for lang in ("en", "fr"))
    assert ("one level cannot" in en) == (n == 1) and ("un niveau ne peut" in fr) == (n == 1)
    assert ("3 levels cannot" in en) == (n == 3) and ("3 niveaux ne peuvent" in fr) == (n == 3)


def test_a_missing_rate_is_said_in_the_reports_language() -> None:
    from digital_exports.model.currency import CurrencyError

    none = CurrencyError("no rate", currency="MAD", year=2025, covered="")
    french = labels.say(analysis_stays("USD", none), "fr")
    assert "couvrent aucune" in french and "none" not in french
    spans = CurrencyError("two years", period="2010-11..2011-02")
    assert "2010-11..2011-02 spans two years" in labels.say(analysis_stays("MAD", spans), "en")


def analysis_stays(source, exc):
    from digital_exports.analysis import analyses

    return analyses.stays_note(source, exc)


def test_rates_keep_their_decimals_and_zero_has_no_sign() -> None:
    assert readers.value_text(9.94236, "MAD per USD") == "9.9424"
    assert readers.interval_text(9.9402, 9.9446, "MAD per USD") == "9.9402 to 9.9446"
    assert readers.pct(-0.04, 1, "fr") == "0,0\u202f%" and labels.number(-0.4, 0, "en") == "0"
    assert labels.number(-0.6, 0, "en") == "-1"


def test_numpy_booleans_and_unknown_codes_read_as_words() -> None:
    frame = pd.DataFrame({"kept": [True, False]})  # one bool column: numpy booleans in rows
    page = readers.table_html(frame, [Column("kept", "Kept", "word")], "en")
    assert ">yes<" in page and ">no<" in page
    odd = pd.DataFrame({"status": ["revised_twice"]})
    page = readers.table_html(odd, [Column("status", "Status", "word")], "fr")
    assert ">revised twice<" in page


def test_a_growth_rate_names_its_base_as_since() -> None:
    label = changes.quantity_label("digital_outsourcing_exports|total|2022|avg_growth_pct|2005")
    assert label.endswith("average annual growth since 2005")
