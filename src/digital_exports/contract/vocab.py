"""Controlled vocabularies: series, segments, measures, printed units and qualifiers.

Every code that may appear in a raw release is declared here once, with its French and English
labels and, for series and segments, a definition of its scope. The raw-release contract in
``data/raw/README.md`` lists the same codes for transcribers.
"""

from __future__ import annotations

from dataclasses import dataclass

from digital_exports.contract.units import level_units, rate_units


@dataclass(frozen=True)
class Term:
    """One code of a controlled vocabulary.

    Attributes:
        code: the code written in ``figures.csv``.
        label_fr: French label, for charts and reports in French.
        label_en: English label.
        definition: the scope of the term, in our own words, with its source where known.
    """

    code: str
    label_fr: str
    label_en: str
    definition: str


@dataclass(frozen=True)
class Break:
    """Where a series ends or begins on the long-run time axis (a decimal year)."""

    at: float
    label_en: str
    label_fr: str = ""

    def label(self, lang: str) -> str:
        """The label in ``lang`` (``fr`` or ``en``)."""
        return self.label_fr if lang == "fr" else self.label_en


@dataclass(frozen=True)
class Series(Term):
    """A series and every fact about it, declared once.

    Attributes:
        short_fr: a French label short enough for a chart legend.
        short_en: the English one.
        official: an official statistic (drawn solid), else an industry or press estimate.
        money: its levels are amounts of money (every series but the exchange rates).
        segments: the complete set of segments whose levels add up to its total (empty when the
            series has no such breakdown).
        composites: composite segments and their parts (``ITO_CRM`` = ITO + CRM).
        breaks: where it begins or ends on the long-run chart.
        pooled_producers: why its identities may combine figures of different producers; empty
            when they may not (an industry body's figure is not chained with a ministry's).
        parts_kind: what its complete set of segments is called in ``estimates.csv``'s
            ``segment_kind``: ``ecosystem`` (the 2023+ framework) or ``legacy_segment``.
        currency: the currency its producer states its levels in (its *own* currency). The
            identities and ``series.csv`` work in it; a level printed in another currency is an
            outlet's conversion, checked through the exchange rate, never chained with changes
            and ratios (a change in dollars is not the change in dirhams).
        context: a series printed for context, not a measure of digital and outsourcing
            exports (Morocco's exports of services, the denominator of their share): reports 70
            and 80 read it, the long-run chart of digital exports does not draw it.
        seasonal_family: series whose first halves weigh alike in their years (one producer's
            measures of one activity, whatever their scope): the first-half projection
            (``model/projection.py``) pools the ratio of first half to year over the series of
            a family, each ratio within one series (a first half is never divided by a year of
            another scope). Empty: the series is never projected.
    """

    short_fr: str = ""
    short_en: str = ""
    official: bool = True
    money: bool = True
    segments: tuple[str, ...] = ()
    composites: tuple[tuple[str, tuple[str, ...]], ...] = ()
    breaks: tuple[Break, ...] = ()
    pooled_producers: str = ""
    currency: str = "MAD"
    parts_kind: str = "ecosystem"
    context: bool = False
    seasonal_family: str = ""


SERIES: dict[str, Series] = {
    t.code: t
    for t in (
        Series(
            "digital_outsourcing_exports",
            "Exportations de l'économie numérique et de l'externalisation des services",
            "Exports of digital and outsourcing services",
            "Export receipts of the five ecosystems ITO, CRM, ESO, BPO and KPO, published by the "
            "Office des Changes with the digital-transition ministry (MTNRA) from October 2025, "
            "for 2023 onwards. Preliminary data.",
            short_fr="Numérique et externalisation (OC-MTNRA, 2023+)",
            short_en="Digital and outsourcing (OC-MTNRA, 2023+)",
            segments=("ITO", "CRM", "ESO", "BPO", "KPO"),
            composites=(("ITO_CRM", ("ITO", "CRM")),),
            breaks=(
                Break(
                    2023.0,
                    "new ITO/CRM/ESO/BPO/KPO framework",
                    "nouveau cadre ITO/CRM/ESO/BPO/KPO",
                ),
            ),
            pooled_producers="one joint Office des Changes-MTNRA release, reprinted by the press "
            "and restated by the ministry",
            seasonal_family="offshoring",
        ),
        Series(
            "offshoring_receipts",
            "Recettes de l'offshoring (série historique de l'Office des Changes)",
            "Offshoring receipts (legacy Office des Changes series)",
            "The Office des Changes' legacy 'offshoring' block of its monthly indicators, "
            "2011-2016: call centres and outsourcers' BPO, captive BPO, and ITO. Not comparable "
            "with the 2023+ framework (no ESO/KPO, different perimeter).",
            short_fr="Offshoring, série historique de l'OC",
            short_en="Offshoring, legacy OC series",
            segments=("CC_BPO_OUT", "BPO_CAPTIVE", "ITO"),
            parts_kind="legacy_segment",
            breaks=(
                Break(
                    2016.5,
                    "end of the legacy Office des Changes offshoring series",
                    "fin de l'ancienne série offshoring de l'Office des changes",
                ),
            ),
            pooled_producers="Office des Changes data, quoted by the Ministry of Finance's report",
            seasonal_family="offshoring",
        ),
        Series(
            "outsourcing_exports_mtnra",
            "Chiffre d'affaires à l'export de l'outsourcing (ministère)",
            "Outsourcing export turnover (ministry)",
            "Export turnover of 'outsourcing' stated by the digital-transition ministry for "
            "2020-2023, attributed to Office des Changes data: back-office and IT outsourcing; "
            "ESO and KPO are not named. A different scope from the 2023+ framework.",
            short_fr="Outsourcing (ministère)",
            short_en="Outsourcing (ministry)",
            breaks=(
                Break(
                    2020.0,
                    "ministry 'outsourcing' figures (another scope)",
                    "chiffres « outsourcing » du ministère (autre périmètre)",
                ),
            ),
            pooled_producers="the ministry's statements, citing Office des Changes data",
        ),
        Series(
            "offshoring_turnover_other",
            "Chiffre d'affaires de l'offshoring (profession, autres sources)",
            "Offshoring turnover (industry and other sources)",
            "Offshoring turnover stated by industry federations (AMRC, FMES, APEBI), other "
            "ministries or the press, often estimates; not official balance-of-payments data.",
            short_fr="Offshoring, profession et presse",
            short_en="Offshoring, industry and press",
            official=False,
        ),
        Series(
            "call_centre_receipts",
            "Recettes des centres d'appels (indicateurs mensuels)",
            "Call-centre receipts (monthly indicators)",
            "The 'centres d'appels' services line of the Office des Changes monthly indicators, "
            "2009-2011, year-to-date.",
            short_fr="Centres d'appels (OC)",
            short_en="Call centres (OC)",
            pooled_producers="Office des Changes monthly indicators",
        ),
        Series(
            "digitally_delivered_services_exports_wto",
            "Exportations de services fournis par voie numérique (OMC)",
            "Digitally delivered services exports (WTO)",
            "WTO estimate of all services delivered over computer networks; a broad, "
            "cross-cutting concept in US dollars.",
            short_fr="Services fournis numériquement (OMC)",
            short_en="Digitally delivered services (WTO)",
            currency="USD",
        ),
        Series(
            "telecom_computer_information_services_exports_wto",
            "Exportations de services de télécommunication, d'informatique et d'information (OMC)",
            "Telecommunications, computer and information services exports (WTO)",
            "BPM6 item SI as compiled by the WTO, in US dollars; broader than ITO.",
            short_fr="Télécom., informatique, information (OMC)",
            short_en="Telecom, computer, information (WTO)",
            currency="USD",
        ),
        Series(
            "services_exports",
            "Exportations de services (indicateurs mensuels de l'Office des Changes)",
            "Exports of services (Office des Changes monthly indicators)",
            "Morocco's exports of services as the Office des Changes prints them in its monthly "
            "indicators of foreign trade, cumulated from January ('exportations de services', "
            "earlier 'recettes des services'): travel, transport, digital and outsourcing and "
            "every other service. Preliminary when first printed, restated the next year.",
            short_fr="Exportations de services (OC, indicateurs mensuels)",
            short_en="Services exports (OC monthly indicators)",
            pooled_producers="Office des Changes monthly indicators, reprinted by the press",
            context=True,
            seasonal_family="services",
        ),
        Series(
            "services_receipts_bop",
            "Recettes de services (balance des paiements annuelle)",
            "Services receipts (annual balance of payments)",
            "Credits of the services account in the Office des Changes' annual balance of "
            "payments report. Another measure by the same producer as the monthly "
            "indicators' exports of services (another compilation and timing): never pooled "
            "with it.",
            short_fr="Recettes de services (OC, balance des paiements)",
            short_en="Services receipts (OC balance of payments)",
            pooled_producers="Office des Changes annual balance of payments report",
            context=True,
        ),
        Series(
            "exchange_rate",
            "Taux de change (moyenne annuelle)",
            "Exchange rate (annual average)",
            "Annual average exchange rates used to convert levels between currencies.",
            short_fr="Taux de change",
            short_en="Exchange rates",
            money=False,
        ),
    )
}
#: Views of the declarations above, for the code that reads one fact of every series.
SEGMENT_SETS: dict[str, tuple[str, ...]] = {c: t.segments for c, t in SERIES.items() if t.segments}
COMPOSITES: dict[str, tuple[str, ...]] = dict(
    pair for t in SERIES.values() for pair in t.composites
)
POOLED_PRODUCERS: dict[str, str] = {
    c: t.pooled_producers for c, t in SERIES.items() if t.pooled_producers
}
MONEY_SERIES: tuple[str, ...] = tuple(c for c, t in SERIES.items() if t.money)
CONTEXT_SERIES: tuple[str, ...] = tuple(c for c, t in SERIES.items() if t.context)
PROJECTED_SERIES: tuple[str, ...] = tuple(c for c, t in SERIES.items() if t.seasonal_family)


@dataclass(frozen=True)
class Segment(Term):
    """A segment; ``part_of_total`` is False for a broader perimeter than its series' total;
    ``market`` is True for a destination market (a part of the total by geography, never summed
    with the activities)."""

    part_of_total: bool = True
    market: bool = False


SEGMENTS: dict[str, Segment] = {
    t.code: t
    for t in (
        Segment("total", "Total", "Total", "The whole series."),
        Segment(
            "ITO",
            "Services informatiques (ITO)",
            "IT outsourcing (ITO)",
            "Information technology outsourcing: application development, infrastructure "
            "management, maintenance of information systems.",
        ),
        Segment(
            "CRM",
            "Relation client (CRM)",
            "Customer relationship (CRM)",
            "Customer relationship management, mainly contact centres.",
        ),
        Segment(
            "ESO",
            "Ingénierie (ESO)",
            "Engineering (ESO)",
            "Engineering services outsourcing: industrial engineering, R&D.",
        ),
        Segment(
            "BPO",
            "Processus métiers (BPO)",
            "Business processes (BPO)",
            "Business process outsourcing: back-office, administrative and management processes.",
        ),
        Segment(
            "KPO",
            "Processus de connaissance (KPO)",
            "Knowledge processes (KPO)",
            "Knowledge process outsourcing: expert activities such as data analysis.",
        ),
        Segment("ITO_CRM", "ITO et CRM", "ITO and CRM", "ITO and CRM together."),
        Segment(
            "CC_BPO_OUT",
            "Centres d'appels et BPO des outsourceurs",
            "Call centres and outsourcers' BPO",
            "Legacy Office des Changes segment: activity outsourced to independent providers "
            "under subcontracting contracts.",
        ),
        Segment(
            "BPO_CAPTIVE",
            "BPO des captifs",
            "Captive BPO",
            "Legacy Office des Changes segment: production outsourced to foreign-owned "
            "subsidiaries (captives) set up by direct investment.",
        ),
        Segment("CALL_CENTRES", "Centres d'appels", "Call centres", "Call-centre receipts."),
        Segment("IT_DEV", "Développement informatique", "IT development", "IT development."),
        Segment(
            "OFFSHORING_POLE",
            "Pôle offshoring (large)",
            "Offshoring pole (broad)",
            "The broad 'pôle offshoring' of 2004-2005, probably including domestic turnover; "
            "not comparable with export series.",
            part_of_total=False,
        ),
        Segment(
            "MKT_EU", "Union européenne", "European Union", "Receipts from the EU.", market=True
        ),
        Segment("MKT_FR", "France", "France", "Receipts from France.", market=True),
        Segment("MKT_BE", "Belgique", "Belgium", "Receipts from Belgium.", market=True),
        Segment("MKT_AMERICA", "Amérique", "America", "Receipts from America.", market=True),
        Segment("MAD_PER_USD", "Dirhams par dollar", "MAD per USD", "Dirhams for one US dollar."),
        Segment("EUR_PER_USD", "Euros par dollar", "EUR per USD", "Euros for one US dollar."),
        Segment("USD_PER_EUR", "Dollars par euro", "USD per EUR", "US dollars for one euro."),
    )
}

MEASURES: dict[str, Term] = {
    t.code: t
    for t in (
        Term("level", "Niveau", "Level", "An amount over the period."),
        Term(
            "change_pct",
            "Variation (%)",
            "Change (%)",
            "Change of the period over its base period, in percent.",
        ),
        Term(
            "share_pct",
            "Part (%)",
            "Share (%)",
            "Share of the segment in the total of the same series and period, in percent.",
        ),
        Term(
            "avg_growth_pct",
            "Croissance annuelle moyenne (%)",
            "Average annual growth (%)",
            "Average annual growth from the base period to the period, in percent.",
        ),
        Term(
            "ratio_pct",
            "Rapport à une autre période (%)",
            "Ratio to another period (%)",
            "Level of the period as a percentage of the level of the same segment in the base "
            "period ('déjà près de 75 % du total de 2024').",
        ),
        Term("rate", "Taux", "Rate", "An exchange rate."),
    )
}

#: Segments that are not a part of their series' total (a broader perimeter).
#: The kinds of segment in ``estimates.csv`` (:func:`segment_kind`): what may be summed with what.
SEGMENT_KINDS = ("total", "ecosystem", "legacy_segment", "composite", "market", "other")


def segment_kind(series: str, segment: str) -> str:
    """What a segment is within its series: ``total``; a part of the series' complete set of
    segments (``ecosystem`` in the 2023+ framework, ``legacy_segment`` in a legacy series: the
    parts that add up to the total); a ``composite`` of parts (``ITO_CRM``); a destination
    ``market``; or ``other`` (a segment outside the series' complete set, never summed)."""
    if segment == "total":
        return "total"
    if segment in COMPOSITES:
        return "composite"
    if SEGMENTS[segment].market:
        return "market"
    if segment in SERIES[series].segments:
        return SERIES[series].parts_kind
    return "other"


def part_of(series: str, segment: str) -> str:
    """What a segment is a part of, ``;``-separated: ``total`` for a part of the complete set,
    a market or a composite, and each composite that contains it (``ITO`` ->
    ``total;ITO_CRM``); empty for the total and for a segment outside the set."""
    kind = segment_kind(series, segment)
    if kind in ("total", "other"):
        return ""
    wholes = ["total"] + [code for code, parts in SERIES[series].composites if segment in parts]
    return ";".join(wholes)


NOT_PARTS = frozenset(c for c, t in SEGMENTS.items() if not t.part_of_total)

#: Measures that compare a period with a base period and so need ``base_period``.
MEASURES_WITH_BASE = frozenset({"change_pct", "avg_growth_pct", "ratio_pct"})


#: Measures and the canonical units they accept (levels: one per currency of the unit grammar).
MEASURE_UNITS: dict[str, frozenset[str]] = {
    "level": frozenset(level_units()),
    "change_pct": frozenset({"pct"}),
    "share_pct": frozenset({"pct"}),
    "ratio_pct": frozenset({"pct"}),
    "avg_growth_pct": frozenset({"pct"}),
    "rate": frozenset(rate_units()),
}

#: Data statuses, most final first: the order in which a conflict prefers prints, and the
#: order "weakest status" reads. ``forecast`` is a figure's own status when its qualifier marks a
#: forecast or a target (never a release's).
STATUS_ORDER = ("final", "preliminary", "unknown", "forecast")
#: The statuses a release may declare in ``release.yml``.
DATA_STATUSES = STATUS_ORDER[:3]
#: Languages a release may be printed in.
LANGUAGES = ("fr", "en", "ar")
#: Languages of charts and labels.
LANGS = ("fr", "en")
#: Currencies levels can be shown in.
CURRENCIES = ("MAD", "USD", "EUR")
