"""Text that cannot deceive: a right-to-left override or a zero-width character from the data
is shown, never applied, wherever it reaches a reader (tables, pages, charts, Markdown)."""

from __future__ import annotations

import unicodedata

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from digital_exports.base.text import reveal

RLO = "\u202e"
SPOOF = f"Office des {RLO}segnahC"


@given(st.text(max_size=40))
def test_revealed_text_holds_no_hidden_character_and_keeps_the_rest(text):
    shown = reveal(text)
    assert not any(
        ch in shown for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200f"
    )
    hidden = [
        c
        for c in text
        if (unicodedata.category(c) == "Cc" and c not in "\t\n\r")
        or 0x200B <= ord(c) <= 0x200F
        or 0x202A <= ord(c) <= 0x202E
        or 0x2060 <= ord(c) <= 0x2069
        or c == "\ufeff"
    ]
    if not hidden:
        assert shown == text


def test_a_table_cell_shows_the_override():
    from digital_exports.analysis.readers import Column, table_html

    page = table_html(pd.DataFrame({"outlet": [SPOOF]}), [Column("outlet", "Outlet")], "en")
    assert RLO not in page and "⟨U+202E⟩" in page


def test_a_page_shows_the_override():
    from digital_exports.report.html import render_page

    page = render_page(
        "nav.html.j2",
        title=SPOOF,
        here="a",
        other="b",
        other_href="x.html",
        w={"also": "also", "provenance_link": "p"},
    )
    assert RLO not in page and "⟨U+202E⟩" in page


def test_a_chart_shows_the_override():
    from matplotlib.figure import Figure

    from digital_exports.analysis import charts

    fig = Figure()
    fig.text(0.1, 0.5, SPOOF)
    charts._plain_text(fig)
    assert [t.get_text() for t in fig.texts] == [reveal(SPOOF)]
