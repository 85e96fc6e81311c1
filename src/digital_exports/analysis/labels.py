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
        "yes": "oui",
        "no": "non",
        "no_rows": "Aucune ligne.",
        "official_word": "officiel",
        "col_segment": "Segment",
        "col_series": "Série",
        "col_period": "Période",
        "col_level": "Niveau ({unit})",
        "col_level_of": "Niveau {period} ({unit})",
        "col_interval": "Intervalle ({unit})",
        "col_interval_of": "Intervalle {period} ({unit})",
        "col_origin": "Origine",
        "col_share_printed": "Part publiée",
        "col_share_computed": "Part calculée",
        "col_share_interval": "Intervalle de la part",
        "col_change": "Variation",
        "col_change_interval": "Intervalle de la variation",
        "col_change_origin": "Origine de la variation",
        "col_printed_change": "Variation publiée",
        "col_rounding_explains": "Publiée dans l'intervalle",
        "col_status": "Statut des données",
        "col_kind": "Périodicité",
        "col_first": "Première",
        "col_last": "Dernière",
        "col_n": "Niveaux",
        "col_official": "Statistique officielle",
        "year": "année",
        "half": "semestre",
        "quarter": "trimestre",
        "month": "mois",
        "range": "cumul depuis janvier",
        "forecast": "prévision",
        "derived_legend": "calculé (hachuré ou creux)",
        "printed_legend": "publié",
        "range_of": "cumuls de {n} mois",
        "producers_long_run": "Office des Changes, MTNRA, OMC, profession",
        "composites": "Agrégats de segments",
        "composite_of": "{label} (agrégat)",
        "sub_half": "Semestres",
        "sub_quarter": "Trimestres",
        "sub_range": "Cumuls depuis janvier",
        "sub_month": "Mois",
        "breaks": "Ruptures de série : {items}",
        "key_interval": "intervalle calculé",
        "key_point": "variation calculée",
        "key_point_derived": "variation calculée sur un niveau calculé",
        "key_printed": "variation publiée",
        "key_official": "officiel (trait plein)",
        "key_estimate": "estimation de la profession ou de la presse (tirets, creux)",
        "key_derived_point": "calculé (point creux)",
        "key_printed_bar": "part publiée",
        "key_derived_bar": "part calculée (hachurée)",
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
        "yes": "yes",
        "no": "no",
        "no_rows": "No rows.",
        "official_word": "official",
        "col_segment": "Segment",
        "col_series": "Series",
        "col_period": "Period",
        "col_level": "Level ({unit})",
        "col_level_of": "Level {period} ({unit})",
        "col_interval": "Interval ({unit})",
        "col_interval_of": "Interval {period} ({unit})",
        "col_origin": "Origin",
        "col_share_printed": "Printed share",
        "col_share_computed": "Computed share",
        "col_share_interval": "Interval of the share",
        "col_change": "Change",
        "col_change_interval": "Interval of the change",
        "col_change_origin": "Origin of the change",
        "col_printed_change": "Printed change",
        "col_rounding_explains": "Printed within the interval",
        "col_status": "Data status",
        "col_kind": "Frequency",
        "col_first": "First",
        "col_last": "Last",
        "col_n": "Levels",
        "col_official": "Official statistic",
        "year": "year",
        "half": "half-year",
        "quarter": "quarter",
        "month": "month",
        "range": "year to date",
        "forecast": "forecast",
        "derived_legend": "derived (hatched or hollow)",
        "printed_legend": "printed",
        "range_of": "{n}-month year-to-date totals",
        "producers_long_run": "Office des Changes, MTNRA, WTO, industry",
        "composites": "Sums of segments",
        "composite_of": "{label} (sum of segments)",
        "sub_half": "Halves",
        "sub_quarter": "Quarters",
        "sub_range": "Year-to-date totals",
        "sub_month": "Months",
        "breaks": "Series breaks: {items}",
        "key_interval": "computed interval",
        "key_point": "computed change",
        "key_point_derived": "change computed on a derived level",
        "key_printed": "printed change",
        "key_official": "official (solid line)",
        "key_estimate": "industry or press estimate (dashed, hollow)",
        "key_derived_point": "derived (hollow point)",
        "key_printed_bar": "printed share",
        "key_derived_bar": "computed share (hatched)",
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

#: The units of the processed tables' levels (millions), as a reader's header says them.
UNIT_MN_LABELS = {
    "fr": {
        "MAD mn": "millions de dirhams",
        "USD mn": "millions de dollars",
        "EUR mn": "millions d'euros",
    },
    "en": {"MAD mn": "MAD million", "USD mn": "USD million", "EUR mn": "EUR million"},
}


def unit_label(unit: str, lang: str) -> str:
    """A processed table's unit (``MAD mn``) as words (``millions de dirhams``)."""
    return UNIT_MN_LABELS[lang].get(unit, unit)


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
