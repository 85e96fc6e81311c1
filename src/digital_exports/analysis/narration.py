"""The fixed narration of the analysis notebooks (30, 40, 50, 70, 80) in French and English,
declared once: each report is written in the language of its ``lang`` parameter, headings and prose
included. A notebook shows a section with ``Markdown(narration.section(step, key, lang))``.

Every key has both languages (a test checks it); a section's text is Markdown written here,
never built from data.
"""

from __future__ import annotations

from digital_exports.model.projection import RULE

_TEXT: dict[str, dict[str, dict[str, str]]] = {
    "30_segment_breakdown": {
        "intro": {
            "en": """# 30 · Segment breakdown of a year

**Purpose.** Levels and shares of each segment for one year, printed shares beside the
shares computed from the levels, the change on the year before where it is known, and the
chart of the article "Répartition des services numériques 2024" (le360, 17 October 2025).

**Inputs.** `data/processed/series.csv`, `releases.csv` (notebooks 10 and 20). **Outputs.**
the chart in `reports/figures/` (SVG, PNG, PDF), the data it draws (CSV) and how to cite it.

**Sources.** Office des Changes preliminary data as printed by the press, listed under the
chart and in the provenance below; conversions use the World Bank's annual average rates.""",
            "fr": """# 30 · Répartition d'une année par segment

**Objet.** Niveau et part de chaque segment pour une année : parts publiées à côté des parts
calculées à partir des niveaux, variation sur l'année précédente quand elle est connue, et le
graphique de l'article « Répartition des services numériques 2024 » (le360, 17 octobre 2025).

**Entrées.** `data/processed/series.csv`, `releases.csv` (carnets 10 et 20). **Sorties.** le
graphique dans `reports/figures/` (SVG, PNG, PDF), les données qu'il trace (CSV) et la façon
de le citer.

**Sources.** Données préliminaires de l'Office des changes publiées par la presse, nommée sous
le graphique et dans la provenance ci-dessous ; conversions au taux moyen annuel de la Banque
mondiale.""",
        },
        "compute": {
            "en": """## Compute

Levels are in millions of the chosen currency, with the interval the prints allow (a rounded
"26,2 milliards" is anything from 26.15 to 26.25 billion). The printed share is the share as
printed; the computed share, with its interval, is the level divided by the total. A derived
level or change was computed from other prints (`series.csv` gives its formula).""",
            "fr": """## Calcul

Les niveaux sont en millions de la monnaie choisie, avec l'intervalle que permettent les
chiffres publiés (un « 26,2 milliards » arrondi vaut de 26,15 à 26,25 milliards). La part
publiée est celle de la presse ; la part calculée, avec son intervalle, est le niveau divisé
par le total. Un niveau ou une variation « calculé » vient d'autres chiffres publiés
(`series.csv` en donne la formule).""",
        },
        "notes": {
            "en": "## What is not known, and how the figures were converted",
            "fr": "## Ce qui n'est pas connu, et comment les chiffres ont été convertis",
        },
        "chart": {
            "en": """## The chart

Solid bars are shares as printed; hatched bars are shares computed from printed levels. All
figures of the new framework are preliminary Office des Changes data.""",
            "fr": """## Le graphique

Les barres pleines sont les parts publiées ; les barres hachurées, les parts calculées à partir
des niveaux publiés. Tous les chiffres du nouveau cadre sont des données préliminaires de
l'Office des changes.""",
        },
    },
    "40_period_comparison": {
        "intro": {
            "en": """# 40 · Two periods compared

**Purpose.** The total and each segment in one period against a base period of the same
kind: both levels, the change computed from them with the interval that rounding allows, and
the printed change beside it. By default, the latest period the data hold against the same
period a year before.

**Inputs.** `data/processed/series.csv`, `releases.csv`. **Outputs.** the chart in
`reports/figures/` (SVG, PNG, PDF), the data it draws (CSV) and how to cite it.

**Sources.** As in notebook 30: Office des Changes preliminary data via the press; World Bank
exchange rates for conversions.""",
            "fr": """# 40 · Deux périodes comparées

**Objet.** Le total et chaque segment sur une période, face à une période de base de même
nature : les deux niveaux, la variation calculée à partir d'eux avec l'intervalle que
permettent les arrondis, et la variation publiée à côté. Par défaut, la dernière période
connue face à la même période un an plus tôt.

**Entrées.** `data/processed/series.csv`, `releases.csv`. **Sorties.** le graphique dans
`reports/figures/` (SVG, PNG, PDF), les données qu'il trace (CSV) et la façon de le citer.

**Sources.** Comme pour le carnet 30 : données préliminaires de l'Office des changes
publiées par la presse ; taux de change de la Banque mondiale pour les conversions.""",
        },
        "compute": {
            "en": """## Compute

Levels are in millions of the chosen currency. The change is computed from the two levels'
point values, its interval from the rounding of both levels; the printed change is the change
as printed, and the last column says whether rounding explains it.""",
            "fr": """## Calcul

Les niveaux sont en millions de la monnaie choisie. La variation est calculée à partir des
valeurs des deux niveaux, son intervalle à partir de leurs arrondis ; la variation publiée est
celle de la presse, et la dernière colonne dit si les arrondis l'expliquent.""",
        },
        "chart": {
            "en": """## The chart

Bars are the computed intervals of the change, dots the computed values, diamonds the
printed changes; a hollow dot is a change computed from a derived level. Segments with no
level in one of the periods are listed as not available, and the ITO and CRM composite is
drawn apart from the segments.""",
            "fr": """## Le graphique

Les barres sont les intervalles calculés de la variation, les points les valeurs calculées,
les losanges les variations publiées ; un point creux est une variation calculée à partir
d'un niveau lui-même calculé. Les segments sans niveau sur l'une des périodes sont signalés
comme non disponibles, et l'agrégat ITO et CRM est tracé à part.""",
        },
    },
    "50_long_run": {
        "intro": {
            "en": """# 50 · The long run, scope by scope

**Purpose.** Every series on one time axis, each scope drawn separately and never chained:
the legacy Office des Changes offshoring receipts, the ministry's "outsourcing" turnover, the
new ITO/CRM/ESO/BPO/KPO framework (2023 onwards), the WTO concepts, and industry or press
estimates drawn apart from official data. Error bars are the intervals of the prints.

**Inputs.** `data/processed/series.csv`, `releases.csv`. **Outputs.** the chart in
`reports/figures/` (SVG, PNG, PDF), the data it draws (CSV) and how to cite it.

**Sources.** All releases under `data/raw/`; `releases.csv` gives each one's address, date
and status.""",
            "fr": """# 50 · Le temps long, périmètre par périmètre

**Objet.** Toutes les séries sur un même axe du temps, chaque périmètre tracé à part et
jamais raccordé : l'ancienne série « offshoring » de l'Office des changes, le chiffre
d'affaires « outsourcing » du ministère, le nouveau cadre ITO/CRM/ESO/BPO/KPO (depuis 2023),
les concepts de l'OMC, et les estimations de la profession ou de la presse, tracées à part des
données officielles. Les barres d'erreur sont les intervalles des chiffres publiés.

**Entrées.** `data/processed/series.csv`, `releases.csv`. **Sorties.** le graphique dans
`reports/figures/` (SVG, PNG, PDF), les données qu'il trace (CSV) et la façon de le citer.

**Sources.** Toutes les publications de `data/raw/` ; `releases.csv` donne l'adresse, la date
et le statut de chacune.""",
        },
        "compute": {
            "en": """## Compute

The chart draws one point per series, segment and period: annual levels of each series as a
whole, and every sub-annual level, in millions of the chosen currency. The table says what is
drawn: for each series and kind of period, the first and last period and the number of
levels.""",
            "fr": """## Calcul

Le graphique trace un point par série, segment et période : les niveaux annuels de chaque
série dans son ensemble, et chaque niveau infra-annuel, en millions de la monnaie choisie. Le
tableau dit ce qui est tracé : pour chaque série et chaque périodicité, la première et la
dernière période et le nombre de niveaux.""",
        },
        "chart": {
            "en": """## The chart

The dotted lines mark where a scope ends or begins: the series are not comparable across
them. Hollow points are derived values or industry and press estimates; an arrow is an open
bound ("plus de 14 milliards"). The sub-annual panels are split by kind of period, one colour
per segment; the ITO and CRM composite is drawn apart.""",
            "fr": """## Le graphique

Les lignes pointillées marquent le début ou la fin d'un périmètre : les séries ne sont pas
comparables de part et d'autre. Les points creux sont des valeurs calculées ou des
estimations de la profession ou de la presse ; une flèche est une borne ouverte (« plus de
14 milliards »). Les panneaux infra-annuels sont séparés par périodicité, une couleur par
segment ; l'agrégat ITO et CRM est tracé à part.""",
        },
    },
    "70_context": {
        "intro": {
            "en": """# 70 · Where digital stands among Morocco's services exports

**Purpose.** The share of digital and outsourcing exports in Morocco's exports of services,
year by year and for the year-to-date periods both series print, with the interval their
rounding allows; digital growth beside services growth; and whether the share fell or rose.

**Inputs.** `data/processed/series.csv`, `projections.csv`, `releases.csv`. **Outputs.** the
chart in `reports/figures/` (SVG, PNG, PDF), the table it draws (CSV) and how to cite it.

**Sources.** Office des Changes figures as printed by the press: the digital series, and its
exports of services (monthly indicators) and services receipts (annual balance of payments).""",
            "fr": """# 70 · La place du numérique dans les exportations de services du Maroc

**Objet.** La part des exportations numériques et d'externalisation dans les exportations de
services du Maroc, année par année et pour les cumuls depuis janvier que publient les deux
séries, avec l'intervalle que permettent les arrondis ; la croissance du numérique à côté de
celle des services ; et si la part a baissé ou augmenté.

**Entrées.** `data/processed/series.csv`, `projections.csv`, `releases.csv`. **Sorties.** le
graphique dans `reports/figures/` (SVG, PNG, PDF), le tableau qu'il trace (CSV) et la façon de
le citer.

**Sources.** Chiffres de l'Office des changes publiés par la presse : la série numérique, ses
exportations de services (indicateurs mensuels) et ses recettes de services (balance des
paiements annuelle).""",
        },
        "compute": {
            "en": """## Compute

A share is one level divided by another of the same period, each with its interval (interval
arithmetic: the share's interval holds every value the two rounded prints allow). It is
computed for each pair of series separately: the 2023+ framework (ITO, CRM, ESO, BPO, KPO)
and the ministry's narrower "outsourcing" series (2020-2023) are different scopes, and the
monthly indicators' exports of services and the balance of payments' services receipts are
two measures of one producer. A share is never joined to a share of another pair. Where the
year's digital level is not printed yet, its first-half projection (notebook 80, flag f)
gives a projected share, drawn hollow and never joined.""",
            "fr": """## Calcul

Une part est un niveau divisé par un autre de la même période, chacun avec son intervalle
(arithmétique d'intervalles : l'intervalle de la part contient toutes les valeurs que
permettent les deux chiffres arrondis). Elle est calculée pour chaque couple de séries à
part : le cadre de 2023 (ITO, CRM, ESO, BPO, KPO) et la série « outsourcing » du ministère,
plus étroite (2020-2023), sont deux périmètres, et les exportations de services des
indicateurs mensuels et les recettes de services de la balance des paiements sont deux
mesures d'un même producteur. Une part n'est jamais reliée à celle d'un autre couple. Quand le
niveau numérique de l'année n'est pas encore publié, sa projection depuis le premier semestre
(carnet 80, drapeau f) donne une part projetée, tracée en creux et jamais reliée.""",
        },
        "notes": {
            "en": "## What is not comparable, and what to read with care",
            "fr": "## Ce qui n'est pas comparable, et ce qu'il faut lire avec prudence",
        },
        "chart": {
            "en": """## The chart

One colour per pair of series; a vertical bar is the interval of the share, a line joins two
consecutive years of the same pair only. A hollow dot with a dashed bar is a projected year.""",
            "fr": """## Le graphique

Une couleur par couple de séries ; une barre verticale est l'intervalle de la part, une ligne
ne relie que deux années consécutives d'un même couple. Un point creux à barre pointillée est
une année projetée.""",
        },
    },
    "80_projection": {
        "intro": {
            "en": """# 80 · Where the year is heading: a projection from the first half

**Purpose.** The full-year level a first half implies, with an honest interval, and a test of
the rule on every past year that has both a first half and a year.

**Inputs.** `data/processed/projections.csv` (notebook 20), `releases.csv`. **Outputs.** the
chart in `reports/figures/` (SVG, PNG, PDF), the table it draws (CSV) and how to cite it.""",
            "fr": """# 80 · Où va l'année : une projection depuis le premier semestre

**Objet.** Le niveau annuel qu'implique un premier semestre, avec un intervalle honnête, et
l'épreuve de la règle sur chaque année passée qui a un premier semestre et une année.

**Entrées.** `data/processed/projections.csv` (carnet 20), `releases.csv`. **Sorties.** le
graphique dans `reports/figures/` (SVG, PNG, PDF), le tableau qu'il trace (CSV) et la façon de
le citer.""",
        },
        "compute": {
            "en": "## The rule\n\n"
            + RULE
            + """

The backtest leaves each year out in turn: a year is projected from the ratios of the other
years, never its own. With so few years it is a small test; the table shows every one.""",
            "fr": """## La règle

Projection d'une année depuis son premier semestre : le niveau du premier semestre du total
divisé par l'étendue des rapports premier semestre / année observés dans toutes les autres
années où les deux sont connus, dans la série et dans les autres séries de la même famille
(les mesures d'une même activité par un même producteur ; chaque rapport au sein d'une seule
série, jamais à travers une rupture de périmètre). L'intervalle contient la dispersion de ces
rapports et l'arrondi de chaque chiffre. Drapeau f : une projection, jamais réconciliée avec
les réalisés ; quand le réalisé est connu, elle est jugée dans l'intervalle (les intervalles
se recouvrent) ou hors de l'intervalle.

L'épreuve laisse chaque année de côté à tour de rôle : une année est projetée à partir des
rapports des autres années, jamais du sien. Avec si peu d'années, l'épreuve est modeste ; le
tableau les montre toutes.""",
        },
        "chart": {
            "en": """## The chart

A bar is a projected interval (the year asked for in colour, the years that test the rule in
grey), a tick its central value, a dot the printed outturn.""",
            "fr": """## Le graphique

Une barre est un intervalle projeté (l'année demandée en couleur, les années qui mettent la
règle à l'épreuve en gris), un trait sa valeur centrale, un point le réalisé publié.""",
        },
    },
}
_TEXT["40_period_comparison"]["notes"] = _TEXT["30_segment_breakdown"]["notes"]
_TEXT["50_long_run"]["notes"] = {
    "en": "## What is not shown, and how the figures were converted",
    "fr": "## Ce qui n'est pas tracé, et comment les chiffres ont été convertis",
}


def section(step: str, key: str, lang: str) -> str:
    """The Markdown of section ``key`` of notebook ``step`` in ``lang`` (``fr`` or ``en``).

    Raises:
        KeyError: naming the step, section or language that has no text.
    """
    try:
        return _TEXT[step][key][lang]
    except KeyError:
        raise KeyError(f"no narration for {step}, section {key!r}, language {lang!r}") from None


def sections() -> dict[str, dict[str, dict[str, str]]]:
    """Every section of every notebook, by step, key and language (for the tests)."""
    return _TEXT
