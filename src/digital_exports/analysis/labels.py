"""Words and numbers for readers: French or English labels, French number formatting."""

from __future__ import annotations

import math
import re
import unicodedata

from digital_exports.contract.vocab import LANGS, SEGMENTS, SERIES

__all__ = ["LANGS"]

_WORDS = {
    "fr": {
        "share": "Part dans le total (%)",
        "level": "Recettes",
        "printed": "publié",
        "derived": "calculé",
        "preliminary": "données préliminaires",
        "final": "données définitives",
        "unknown": "statut non précisé",
        "source": "Source : {producer}, {status}, via {outlets}",
        "breakdown_title": "Répartition des services numériques {year}",
        "comparison_title": "{period} par rapport à {base}",
        "long_run_title": "Exportations de services numériques et d'externalisation, {start}-{end}",
        "sub_annual": "Semestres, trimestres et cumuls depuis janvier",
        "change": "Variation (%)",
        "official": "officiel",
        "estimate": "estimation de la profession ou de la presse",
        "not_available": "non disponible",
    },
    "en": {
        "share": "Share of the total (%)",
        "level": "Receipts",
        "printed": "printed",
        "derived": "derived",
        "preliminary": "preliminary data",
        "final": "final data",
        "unknown": "status not stated",
        "source": "Source: {producer}, {status}, via {outlets}",
        "breakdown_title": "Digital services by segment, {year}",
        "comparison_title": "{period} compared with {base}",
        "long_run_title": "Exports of digital and outsourcing services, {start}-{end}",
        "sub_annual": "Halves, quarters and year-to-date totals",
        "change": "Change (%)",
        "official": "official",
        "estimate": "industry or press estimate",
        "not_available": "not available",
    },
}

UNIT_LABELS = {
    "fr": {
        "MAD": "milliards de dirhams",
        "USD": "milliards de dollars",
        "EUR": "milliards d'euros",
    },
    "en": {"MAD": "MAD billion", "USD": "USD billion", "EUR": "EUR billion"},
}


def short_series_label(code: str, lang: str) -> str:
    """A label short enough for a chart legend."""
    term = SERIES.get(code)
    if term is None:
        return code
    return term.short_fr if lang == "fr" else term.short_en


def word(key: str, lang: str) -> str:
    """A fixed word or phrase in ``lang`` (``fr`` or ``en``)."""
    return _WORDS[lang][key]


def segment_label(code: str, lang: str) -> str:
    """The segment's label in ``lang``."""
    term = SEGMENTS[code]
    return term.label_fr if lang == "fr" else term.label_en


def number(x: float, decimals: int, lang: str) -> str:
    """``x`` with ``decimals`` decimals: ``40,3`` and ``26 219`` in French, ``40.3`` and
    ``26,219`` in English; infinite bounds as ``∞``."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    text = f"{x:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


#: Characters that can open Markdown markup in the middle of a line: emphasis, code spans,
#: links and images (``[``, ``]``, ``!``), raw HTML and entities, math, tables, strikethrough,
#: bare web addresses.
#: An underscore inside a word (``change_from_levels``) opens nothing and is left as it is.
#: The colon of ``://`` is escaped too, or the address would become a link.
_MARKDOWN_INLINE = re.compile(r"([\\`*\[\]<>&$|~!]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|:(?=//))")
#: What opens a block at the start of a list item's text: heading, list, quote, rule.
_MARKDOWN_BLOCK_START = re.compile(r"^(\d{1,9}(?=[.)])|[#+\-=>])")


def markdown_text(value: object) -> str:
    """``value`` as literal Markdown text, for a line the caller has started (``- `` ...).

    Text from the data is data, never markup: line breaks and other control characters become
    spaces (a value cannot start a new block), every character that could open inline markup
    (``<script>``, ``[x](javascript:...)``, ``![t](https://...)``, ``$...$``, ``**``) is
    escaped with a backslash, and so is a heading, list or quote marker at its start; the
    rendered text reads exactly as the value.
    """
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in str(value)
    ).strip()
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    m = _MARKDOWN_BLOCK_START.match(text)
    if m is None:
        return text
    if m[0][0].isdigit():  # "1. x" would be an ordered list: escape the delimiter
        return m[0] + "\\" + text[len(m[0]) :]
    return "\\" + text
