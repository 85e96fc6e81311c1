"""Words for readers, in French or English: labels of codes, numbers and periods in the
reader's locale, sentences for the reader (:class:`Note`, written when shown), and Markdown
escaping of text that comes from the data."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from digital_exports.contract.periods import PeriodError, parse_period
from digital_exports.contract.vocab import COMPOSITES, LANGS, MEASURES, SEGMENTS, SERIES

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
        "date_not_printed": "date non indiquée",
        "summary_breakdown": "en {year}, le total atteint {level} {unit}{change} ; le premier "
        "segment, {segment}, en représente {share} %.",
        "summary_change_on_year": " ({change} % sur un an)",
        "summary_comparison": "sur {period}, le total atteint {level} {unit}, contre "
        "{base_level} sur {base}, soit une variation de {change} % (entre {low} et {high} %, "
        "selon les arrondis).",
        "summary_long_run": "de {start} à {end}, le graphique trace {n_series} séries et "
        "{n_points} niveaux ; la dernière période connue est {latest} ({series}).",
        "summary_none": "aucun niveau du total pour cette période.",
        "note_panel_not_drawn": "{kind} : {n} niveau(x) seulement, trop peu pour lire une "
        "tendance ; pas de panneau, le tableau les décrit.",
        "summary_printed": "la variation publiée est de {printed} %.",
        "cite_chart": "Graphique : {title}. {source}. Calculs : paquet de réplication des "
        "exportations de services numériques du Maroc (voir CITATION.cff).",
        "breakdown_title": "Répartition des services numériques {year}",
        "comparison_title": "{period} par rapport à {base}",
        "share_title": "Part des exportations numériques et d'externalisation dans les "
        "exportations de services",
        "share_axis": "Part dans les exportations de services (%)",
        "share_projected": "année projetée depuis le premier semestre (drapeau f)",
        "share_legend": "{series} / {context}",
        "share_subtitle_fell": "{series} : {share} en {year}, contre {before} en {before_year} "
        "(en baisse, au-delà des arrondis)",
        "share_subtitle_rose": "{series} : {share} en {year}, contre {before} en {before_year} "
        "(en hausse, au-delà des arrondis)",
        "share_subtitle_unclear": "{series} : {share} en {year}, contre {before} en "
        "{before_year} (écart dans les arrondis)",
        "share_none": "aucune période ne réunit un niveau d'une série numérique et des "
        "exportations de services.",
        "share_one": "en {year}, la série {series} représente {share} % de la série {context} "
        "({span}, selon les arrondis).",
        "share_fell": "en {year}, la série {series} représente {share} % de la série {context} "
        "({span}, selon les arrondis), contre {before} % en {before_year} ({before_span}) : la "
        "part a baissé, au-delà des arrondis.",
        "share_rose": "en {year}, la série {series} représente {share} % de la série {context} "
        "({span}, selon les arrondis), contre {before} % en {before_year} ({before_span}) : la "
        "part a augmenté, au-delà des arrondis.",
        "share_unclear": "en {year}, la série {series} représente {share} % de la série "
        "{context} ({span}, selon les arrondis), contre {before} % en {before_year} "
        "({before_span}) : les arrondis ne permettent pas de dire si la part a baissé ou "
        "augmenté.",
        "share_growth": "En {year}, les exportations numériques ont varié de {digital} % et "
        "les exportations de services de {services} %.",
        "note_no_share": "De {start} à {end}, aucune période ne réunit un niveau d'une série "
        "numérique et des exportations de services.",
        "note_share_converted": "Niveaux convertis en {currency} au taux annuel moyen de chaque "
        "année ; les parts ne dépendent pas de la monnaie.",
        "note_share_pairs": "{n} couples de séries : chaque couple (série numérique / série de "
        "services) est une ligne à part ; une part n'est jamais reliée à celle d'un autre "
        "périmètre ou d'une autre mesure des services.",
        "note_share_projected": "Part projetée ({periods}) : le numérateur est la projection "
        "du premier semestre (carnet 80, drapeau f), pas un chiffre publié ; le point n'est pas "
        "relié aux autres.",
        "note_share_derived_denominator": "Exportations de services calculées ({periods}) : "
        "déduites d'un niveau et d'une variation publiés (series.csv en donne la formule).",
        "note_share_derived_numerator": "Niveau numérique calculé ({periods}) à partir "
        "d'autres chiffres publiés.",
        "note_share_mixed_status": "Statuts différents ({periods}) : un chiffre préliminaire "
        "rapporté à un chiffre d'un autre statut (définitif, révisé ou non précisé) ; la part "
        "peut changer quand l'un des deux est révisé.",
        "projection_title": "Projection de l'année depuis le premier semestre, et sa mise à "
        "l'épreuve",
        "projection_axis": "Niveau ({unit})",
        "projection_interval": "intervalle projeté (drapeau f)",
        "projection_outturn": "réalisé",
        "projection_error_axis": "Écart au réalisé (%)",
        "projection_backtest": "Mise à l'épreuve : l'intervalle projeté contient-il le "
        "réalisé (0) ?",
        "projection_none": "aucune projection de {series} pour {year} : pas de premier "
        "semestre, ou aucune autre année ne donne le rapport premier semestre / année.",
        "projection_line": "Sur la base de {half} ({first_half} {unit}), la série {series} se "
        "situerait en {year} entre {low} et {high} {unit} (point central {value}) : une "
        "projection (drapeau f), pas un chiffre publié. Sur les années connues, l'intervalle de "
        "la règle a contenu le réalisé {inside} fois sur {graded}.",
        "projection_graded_inside": "Le réalisé publié ({outturn} {unit}) est dans l'intervalle.",
        "projection_graded_outside": "Le réalisé publié ({outturn} {unit}) est hors de "
        "l'intervalle.",
        "note_no_projection": "Pas de projection de {series} pour {year}.",
        "col_pair": "Série / dénominateur",
        "col_share_services": "Part (%)",
        "col_digital_level": "Numérique ({unit})",
        "col_services_level": "Services ({unit})",
        "col_digital_change": "Variation numérique (%)",
        "col_services_change": "Variation services (%)",
        "col_caveats": "À lire avec prudence",
        "col_year": "Année",
        "col_period": "Période",
        "col_first_half": "Premier semestre ({unit})",
        "col_ratios": "Rapports S1 / année utilisés",
        "col_projection": "Projection ({unit})",
        "col_outturn": "Réalisé ({unit})",
        "col_grade": "Verdict",
        "inside": "dans l'intervalle",
        "outside": "hors de l'intervalle",
        "no_outturn": "pas encore publié",
        "no_ratio": "aucun rapport",
        "projected": "projeté",
        "derived_denominator": "dénominateur calculé",
        "derived_numerator": "numérateur calculé",
        "mixed_status": "statuts différents",
        "long_run_title": "Exportations de services numériques et d'externalisation, {start}-{end}",
        "change": "Variation (%)",
        "official": "officiel",
        "estimate": "estimation de la profession ou de la presse",
        "not_available": "non disponible",
        "yes": "oui",
        "no": "non",
        "no_rows": "Aucune ligne.",
        "col_segment": "Segment",
        "col_series": "Série",
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
        "year": "année",
        "half": "semestre",
        "quarter": "trimestre",
        "month": "mois",
        "range": "cumul depuis janvier",
        "forecast": "prévision",
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
        "m_level": "niveau",
        "m_share": "part",
        "m_change": "variation",
        "and": "et",
        "between": "entre",
        "none": "aucune",
        "sum_of": "l'agrégat {label}",
        "note_text": "{text}",
        "period_half": "S{n} {year}",
        "period_quarter": "T{n} {year}",
        "period_month": "{month} {year}",
        "period_range": "{first}-{last} {year}",
        "months": "janv.,févr.,mars,avr.,mai,juin,juil.,août,sept.,oct.,nov.,déc.",
        "note_missing": "{segment} {year} : pas de donnée publiée ni calculable ({measures})",
        "note_no_level_year": "Aucun niveau de la série {series} n'est connu pour {year}.",
        "note_all_known": "Chaque segment a un niveau, une part et une variation.",
        "note_all_shown": "Chaque niveau a pu être montré dans la devise choisie.",
        "note_converted_year": "Niveaux convertis en {currency} au taux annuel moyen de la "
        "Banque mondiale pour {year} ({rate} dirhams pour un dollar) ; les parts et les "
        "variations sont celles des chiffres en dirhams.",
        "note_converted": "Niveaux convertis en {currency} aux taux annuels moyens de la "
        "Banque mondiale.",
        "note_period_rate": "{period} converti au taux annuel moyen de {year}.",
        "note_stay_no_rate": "Les niveaux restent en {source} : pas de taux annuel moyen "
        "{currency} pour un dollar en {year} (les taux disponibles couvrent {covered}).",
        "note_stay": "Les niveaux restent en {source} ({reason}).",
        "note_not_same_kind": "{period} et {base} ne sont pas des périodes de même nature : "
        "comparer un semestre avec un semestre, un trimestre avec un trimestre.",
        "note_no_level_periods": "Aucun niveau de la série {series} n'est connu pour {period} "
        "ni pour {base}. Périodes avec un niveau : {known}.",
        "note_no_change": "Aucun segment de la série {series} n'a de niveau à la fois en "
        "{period} et en {base} : aucune variation ne peut être calculée.",
        "note_pair_currency": "Niveaux et variations calculés en {currency} ; les variations "
        "publiées sont celles des chiffres en dirhams et en diffèrent du fait de la variation du "
        "taux de change.",
        "note_no_rate_years_one": "Pas de taux de change pour {years} : un niveau ne peut pas "
        "être montré en {currency}.",
        "note_no_rate_years_many": "Pas de taux de change pour {years} : {n} niveaux ne peuvent "
        "pas être montrés en {currency}.",
        "note_stay_two_years": "Les niveaux restent en {source} : la période {period} couvre "
        "deux années, et aucun taux annuel ne s'y applique.",
        "note_missing_one": "{segments} n'a pas de niveau pour {period} : aucune variation "
        "n'est calculée, et le graphique l'indique comme non disponible.",
        "note_missing_many": "{segments} n'ont pas de niveau pour {period} : aucune variation "
        "n'est calculée pour eux, et le graphique les indique comme non disponibles.",
        "note_all_levels": "Les deux périodes ont un niveau pour chaque segment présenté.",
        "note_derived_one": "Le niveau {period} est calculé pour {segments} (à partir "
        "d'autres chiffres publiés ; sa formule est dans series.csv) : le graphique trace sa "
        "variation en creux.",
        "note_derived_many": "Les niveaux {period} sont calculés pour {segments} (à partir "
        "d'autres chiffres publiés ; leurs formules sont dans series.csv) : le graphique trace "
        "leurs variations en creux.",
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
        "date_not_printed": "date not printed",
        "summary_breakdown": "in {year}, the total reached {level} {unit}{change}; the largest "
        "segment, {segment}, made up {share}% of it.",
        "summary_change_on_year": " ({change}% on the year before)",
        "summary_comparison": "in {period}, the total reached {level} {unit}, against "
        "{base_level} in {base}: a change of {change}% (from {low}% to {high}%, given the "
        "rounding).",
        "summary_long_run": "from {start} to {end}, the chart draws {n_series} series and "
        "{n_points} levels; the latest period known is {latest} ({series}).",
        "summary_none": "no level of the total for this period.",
        "note_panel_not_drawn": "{kind}: only {n} level(s), too few to read a trend; no panel, "
        "the table describes them.",
        "summary_printed": "the printed change is {printed}%.",
        "cite_chart": "Chart: {title}. {source}. Computations: Morocco digital services exports "
        "replication package (see CITATION.cff).",
        "breakdown_title": "Digital services by segment, {year}",
        "comparison_title": "{period} compared with {base}",
        "share_title": "Digital and outsourcing exports as a share of services exports",
        "share_axis": "Share of services exports (%)",
        "share_projected": "year projected from its first half (flag f)",
        "share_subtitle_fell": "{series}: {share} in {year}, against {before} in {before_year} "
        "(down, beyond rounding)",
        "share_subtitle_rose": "{series}: {share} in {year}, against {before} in {before_year} "
        "(up, beyond rounding)",
        "share_subtitle_unclear": "{series}: {share} in {year}, against {before} in "
        "{before_year} (within rounding)",
        "share_legend": "{series} / {context}",
        "share_none": "no period holds both a level of a digital series and services exports.",
        "share_one": "in {year}, the series {series} was {share}% of the series {context} "
        "({span}, given rounding).",
        "share_fell": "in {year}, the series {series} was {share}% of the series {context} "
        "({span}, given rounding), against {before}% in {before_year} ({before_span}): the "
        "share fell, beyond rounding.",
        "share_rose": "in {year}, the series {series} was {share}% of the series {context} "
        "({span}, given rounding), against {before}% in {before_year} ({before_span}): the "
        "share rose, beyond rounding.",
        "share_unclear": "in {year}, the series {series} was {share}% of the series {context} "
        "({span}, given rounding), against {before}% in {before_year} ({before_span}): "
        "rounding does not tell whether the share fell or rose.",
        "share_growth": "In {year}, digital exports changed by {digital}% and services exports "
        "by {services}%.",
        "note_no_share": "From {start} to {end}, no period holds both a level of a digital "
        "series and services exports.",
        "note_share_converted": "Levels converted to {currency} at each year's average rate; "
        "shares do not depend on the currency.",
        "note_share_pairs": "{n} pairs of series: each pair (digital series / services series) "
        "is a line of its own; a share is never joined to one of another scope or another "
        "measure of services.",
        "note_share_projected": "Projected share ({periods}): the numerator is the first-half "
        "projection (notebook 80, flag f), not a printed figure; the point is not joined to the "
        "others.",
        "note_share_derived_denominator": "Services exports derived ({periods}): computed from "
        "a printed level and a printed change (series.csv gives the formula).",
        "note_share_derived_numerator": "Digital level derived ({periods}) from other prints.",
        "note_share_mixed_status": "Statuses differ ({periods}): a preliminary figure over a "
        "figure of another status (final, revised or not stated); the share may move when "
        "either is revised.",
        "projection_title": "The year projected from its first half, and how the rule has done",
        "projection_axis": "Level ({unit})",
        "projection_interval": "projected interval (flag f)",
        "projection_outturn": "outturn",
        "projection_error_axis": "Distance from the outturn (%)",
        "projection_backtest": "Backtest: does the projected interval hold the outturn (0)?",
        "projection_none": "no projection of {series} for {year}: no first half, or no other "
        "year gives the ratio first half / year.",
        "projection_line": "From {half} ({first_half} {unit}), the series {series} would reach "
        "between {low} and {high} {unit} in {year} (central value {value}): a projection "
        "(flag f), not a printed figure. In the years known, the rule's interval held the "
        "outturn {inside} times out of {graded}.",
        "projection_graded_inside": "The printed outturn ({outturn} {unit}) is inside the "
        "interval.",
        "projection_graded_outside": "The printed outturn ({outturn} {unit}) is outside the "
        "interval.",
        "note_no_projection": "No projection of {series} for {year}.",
        "col_pair": "Series / denominator",
        "col_share_services": "Share (%)",
        "col_digital_level": "Digital ({unit})",
        "col_services_level": "Services ({unit})",
        "col_digital_change": "Digital change (%)",
        "col_services_change": "Services change (%)",
        "col_caveats": "Read with care",
        "col_year": "Year",
        "col_period": "Period",
        "col_first_half": "First half ({unit})",
        "col_ratios": "Ratios H1 / year used",
        "col_projection": "Projection ({unit})",
        "col_outturn": "Outturn ({unit})",
        "col_grade": "Grade",
        "inside": "inside the interval",
        "outside": "outside the interval",
        "no_outturn": "not printed yet",
        "no_ratio": "no ratio",
        "projected": "projected",
        "derived_denominator": "derived denominator",
        "derived_numerator": "derived numerator",
        "mixed_status": "statuses differ",
        "long_run_title": "Exports of digital and outsourcing services, {start}-{end}",
        "change": "Change (%)",
        "official": "official",
        "estimate": "industry or press estimate",
        "not_available": "not available",
        "yes": "yes",
        "no": "no",
        "no_rows": "No rows.",
        "col_segment": "Segment",
        "col_series": "Series",
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
        "year": "year",
        "half": "half-year",
        "quarter": "quarter",
        "month": "month",
        "range": "year to date",
        "forecast": "forecast",
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
        "m_level": "level",
        "m_share": "share",
        "m_change": "change",
        "and": "and",
        "between": "between",
        "none": "none",
        "sum_of": "the sum of {label}",
        "note_text": "{text}",
        "period_half": "H{n} {year}",
        "period_quarter": "Q{n} {year}",
        "period_month": "{month} {year}",
        "period_range": "{first}-{last} {year}",
        "months": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
        "note_missing": "{segment} {year}: no {measures} published or derivable",
        "note_no_level_year": "No level of {series} is known for {year}.",
        "note_all_known": "Every segment has a level, a share and a change.",
        "note_all_shown": "Every level could be shown in the chosen currency.",
        "note_converted_year": "Levels converted to {currency} with the World Bank annual "
        "average rate of {year} ({rate} dirhams per dollar); shares and changes are those of "
        "the dirham figures.",
        "note_converted": "Levels converted to {currency} with the World Bank annual average "
        "rates.",
        "note_period_rate": "{period} converted with the annual average rate of {year}.",
        "note_stay_no_rate": "Levels stay in {source}: there is no annual average {currency} "
        "per dollar rate for {year} (the rates available cover {covered}).",
        "note_stay": "Levels stay in {source} ({reason}).",
        "note_not_same_kind": "{period} and {base} are not periods of the same kind: compare "
        "a half with a half, a quarter with a quarter.",
        "note_no_level_periods": "No level of {series} is known for {period} or {base}. "
        "Periods with a level: {known}.",
        "note_no_change": "No segment of {series} has a level in both {period} and {base}: "
        "no change can be computed.",
        "note_pair_currency": "Levels and computed changes are in {currency}; printed changes "
        "are those of the dirham figures, so they differ by the movement of the exchange rate.",
        "note_no_rate_years_one": "No exchange rate for {years}: one level cannot be shown in "
        "{currency}.",
        "note_no_rate_years_many": "No exchange rate for {years}: {n} levels cannot be shown in "
        "{currency}.",
        "note_stay_two_years": "Levels stay in {source}: the period {period} spans two years, "
        "and no annual rate applies to it.",
        "note_missing_one": "{segments} has no level for {period}: no change is computed for "
        "it, and the chart lists it as not available.",
        "note_missing_many": "{segments} have no level for {period}: no change is computed "
        "for them, and the chart lists them as not available.",
        "note_all_levels": "Both periods have a level for every segment shown.",
        "note_derived_one": "The {period} level of {segments} is derived (computed from other "
        "prints; its formula is in series.csv): the chart draws its change hollow.",
        "note_derived_many": "The {period} levels of {segments} are derived (computed from "
        "other prints; their formulas are in series.csv): the chart draws their changes hollow.",
    },
}

#: Each currency after a scale word: ``milliards de dirhams``; ``MAD billion``.
_CURRENCY_AFTER_SCALE = {"MAD": "de dirhams", "USD": "de dollars", "EUR": "d'euros"}

#: Levels in billions (the charts' axes), as a reader says them.
UNIT_LABELS = {
    "fr": {c: f"milliards {w}" for c, w in _CURRENCY_AFTER_SCALE.items()},
    "en": {c: f"{c} billion" for c in _CURRENCY_AFTER_SCALE},
}

#: The units of the processed tables' levels (millions), as a reader's header says them.
UNIT_MN_LABELS = {
    "fr": {f"{c} mn": f"millions {w}" for c, w in _CURRENCY_AFTER_SCALE.items()},
    "en": {f"{c} mn": f"{c} million" for c in _CURRENCY_AFTER_SCALE},
}


def unit_label(unit: str, lang: str) -> str:
    """A processed table's unit (``MAD mn``) as words (``millions de dirhams``)."""
    return UNIT_MN_LABELS[lang].get(unit, unit)


#: How the notes in parentheses of an outlet's name (``le360 (press review of L'Economiste)``,
#: written in English in ``release.yml``) read in French; a note no pattern knows is left out
#: of a French label (the release id in the provenance keeps it).
_OUTLET_NOTES_FR = (
    (re.compile(r"via (?P<x>.+)"), "via {x}"),
    (re.compile(r"English edition"), "édition anglaise"),
    (re.compile(r"press review of (?P<x>.+)"), "revue de presse de {x}"),
    (re.compile(r"citing (?P<x>.+)"), "citant {x}"),
    (re.compile(r"forum repost on (?P<x>.+)"), "repris sur le forum {x}"),
)
_OUTLET_NOTE = re.compile(r"^(?P<name>.*?)\s*\((?P<note>[^()]*)\)\s*$")


def outlet_label(name: str, lang: str) -> str:
    """An outlet's name as a reader of ``lang`` reads it: as written in English; in French,
    with its note in parentheses translated (``le360 (revue de presse de L'Economiste)``)."""
    match = _OUTLET_NOTE.match(name)
    if lang != "fr" or match is None:
        return name
    for pattern, template in _OUTLET_NOTES_FR:
        found = pattern.fullmatch(match["note"])
        if found:
            return f"{match['name']} ({template.format(**found.groupdict())})"
    return match["name"]


def short_series_label(code: str, lang: str) -> str:
    """A label short enough for a chart legend."""
    term = SERIES.get(code)
    if term is None:
        return code
    return term.short_fr if lang == "fr" else term.short_en


def has_word(key: str, lang: str) -> bool:
    """Whether the label layer declares ``key`` in ``lang``."""
    return key in _WORDS[lang]


def word(key: str, lang: str) -> str:
    """A fixed word or phrase in ``lang`` (``fr`` or ``en``).

    Raises:
        KeyError: for a key the label layer does not declare.
    """
    return _WORDS[lang][key]


def segment_label(code: str, lang: str) -> str:
    """The segment's label in ``lang``."""
    term = SEGMENTS[code]
    return term.label_fr if lang == "fr" else term.label_en


def period_label(code: str, lang: str) -> str:
    """A period code as a reader writes it: ``2025-H1`` -> ``S1 2025`` / ``H1 2025``,
    ``2024-Q4`` -> ``T4 2024`` / ``Q4 2024``, ``2011-05`` -> ``mai 2011`` / ``May 2011``,
    ``2011-01..2011-05`` -> ``janv.-mai 2011`` / ``Jan-May 2011``; a year as it is. A code
    outside the grammar, or a range over two years, is left as written."""
    try:
        p = parse_period(code)
    except PeriodError:
        return code
    months = word("months", lang).split(",")
    year = p.start.year
    if p.kind == "half" or p.kind == "quarter":
        n = (p.start.month - 1) // (6 if p.kind == "half" else 3) + 1
        return word(f"period_{p.kind}", lang).format(n=n, year=year)
    if p.kind == "month":
        return word("period_month", lang).format(month=months[p.start.month - 1], year=year)
    if p.kind == "range" and p.end.year == year:
        first, last = months[p.start.month - 1], months[p.end.month - 1]
        return word("period_range", lang).format(first=first, last=last, year=year)
    return code


def number(x: float, decimals: int, lang: str) -> str:
    """``x`` with ``decimals`` decimals: ``40,3`` and ``26 219`` in French, ``40.3`` and
    ``26,219`` in English; infinite bounds as ``∞``."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if round(x, decimals) == 0:
        x = 0.0  # no "-0,0": a value that rounds to zero is written without a sign
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


def plain(code: Any) -> str:
    """A code of the processed tables in plain words: ``consistent_if_coarse`` ->
    ``consistent if coarse``, a measure by its label (``share_pct`` -> ``share``); empty when
    unknown."""
    if code is None or code == "" or (isinstance(code, float) and math.isnan(code)):
        return ""
    text = str(code)
    if text in MEASURES:
        return MEASURES[text].label_en.removesuffix(" (%)").lower()
    return text.replace("_", " ")


def readable_reason(text: Any) -> str:
    """A check's reason as a reader reads it: infinite bounds as ``∞`` rather than ``inf``."""
    if text is None or text == "" or (isinstance(text, float) and math.isnan(text)):
        return ""
    return re.sub(r"([+-]?)\binf\b", lambda m: ("-" if m[1] == "-" else "") + "∞", str(text))


# ------------------------------------------------------------ sentences for the reader


@dataclass(frozen=True)
class Codes:
    """Segment or series codes in a sentence, written as their labels and joined (``ITO,
    CRM and ESO`` / ``ITO, CRM et ESO``); a composite as "the sum of ..." ."""

    codes: tuple[str, ...]


@dataclass(frozen=True)
class Words:
    """Keys of the label layer in a sentence, written as their words and joined."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Items:
    """Plain items in a sentence (periods, years), joined with commas; "none" when empty."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class When:
    """A period code in a sentence, written as the reader writes it (:func:`period_label`)."""

    code: str


@dataclass(frozen=True)
class Num:
    """A number in a sentence, in the reader's locale."""

    value: float
    decimals: int


Field = str | int | Codes | Words | Items | When | Num


@dataclass
class Note:
    """A sentence for the reader, kept as the key of its template in the label layer and its
    fields, so that it is written in the report's language when it is shown (:func:`say`).

    Attributes:
        key: a key of the label layer whose template takes ``fields``.
        fields: the values to fill in; codes, words and numbers are written in the language
            (:class:`Codes`, :class:`Words`, :class:`Num`), text as it is.
    """

    key: str
    fields: Mapping[str, Field] = field(default_factory=dict)


def code_label(code: str, lang: str, *, in_sentence: bool = True) -> str:
    """A segment's or a series' label for a code: ``total`` as "Total", the code itself when
    the vocabulary does not know it; ``in_sentence``, a composite reads "the sum of ..."."""
    if code == "total":
        return "Total"
    if code in SEGMENTS:
        label = segment_label(code, lang)
        if in_sentence and code in COMPOSITES:
            return word("sum_of", lang).format(label=label)
        return label
    if code in SERIES:
        return short_series_label(code, lang)
    return str(code)


def joined(items: Sequence[str], lang: str) -> str:
    """``a``, ``a and b``, ``a, b and c`` (``et`` in French)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word('and', lang)} " + items[-1]


def _field(value: Field, lang: str) -> str:
    if isinstance(value, Codes):
        return joined([code_label(c, lang) for c in value.codes], lang)
    if isinstance(value, Words):
        return joined([word(k, lang) for k in value.keys], lang)
    if isinstance(value, Items):
        return ", ".join(value.items) if value.items else word("none", lang)
    if isinstance(value, When):
        return period_label(value.code, lang)
    if isinstance(value, Num):
        return number(value.value, value.decimals, lang)
    return str(value)


def say(note: Note, lang: str) -> str:
    """A note written in ``lang``, its first letter a capital; in French, a no-break space
    before a colon and a narrow one before a semicolon, so that neither starts a line (plain
    text: escape it where it reaches markup)."""
    text = word(note.key, lang).format(**{k: _field(v, lang) for k, v in note.fields.items()})
    if lang == "fr":
        text = text.replace(" :", "\u00a0:").replace(" ;", "\u202f;")
    return text[:1].upper() + text[1:]
