"""Schemas of the processed tables: every column and table of ``data/processed/``, declared once.

Metadata as code, as PUDL keeps it: :data:`FIELDS` gives each column its type, unit, allowed
values and description, once for every table that has it; :data:`RESOURCES` gives each table its
columns (in file order), primary key, grain and description. Everything else is generated from
these two declarations: the typed reader and writer (:mod:`digital_exports.tables.io`), the
Frictionless Data Package ``data/processed/datapackage.json`` (:func:`datapackage`), the codebook
(``data/processed/CODEBOOK.md``, ``reports/codebook.html``) and the Excel workbook. No other
module lists the columns of a table.

Encoding of a cell (what a spreadsheet, Stata or R reads): UTF-8 text, ``\\n`` line ends;
numbers in their shortest round-trip form; booleans ``true``/``false``; dates ISO 8601; an empty
cell is missing, except in an interval bound whose :attr:`Field.open_bound` says it is open
(``low`` empty = no lower bound, -infinity; ``high`` empty = no upper bound, +infinity). The
texts ``inf``, ``nan`` and ``None`` never appear in a numeric column.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from digital_exports.contract.qualifiers import READINGS, Family
from digital_exports.contract.units import level_units, rate_units
from digital_exports.contract.vocab import (
    LANGUAGES,
    MEASURES,
    SEGMENT_KINDS,
    SEGMENTS,
    SERIES,
    STATUS_ORDER,
)

FieldType = Literal["string", "number", "integer", "boolean", "date"]

#: The pandas dtype each field type has after :func:`digital_exports.tables.io.read_table`.
DTYPES: dict[str, str] = {
    "string": "str",
    "date": "str",  # ISO text, so that period_start[:4] is the year and sorting is by date
    "number": "float64",
    "integer": "int64",
    "boolean": "bool",
}

#: Check verdicts, from agreement to contradiction (``checks.csv``'s ``verdict``).
VERDICTS = (
    "consistent",
    "consistent_if_coarse",
    "consistent_if_truncated",
    "converted_at_other_rate",
    "contradicted",
    "not_checkable",
)
#: Verdicts of the rows of ``checks.csv`` that grade a first-half projection against its
#: outturn (kind ``projection_outturn``): the package grading its own method, never a print.
PROJECTION_CHECK_VERDICTS = ("projection_inside", "projection_outside")
#: How ``projections.csv`` is made, in one paragraph (the codebook and report 80 say it;
#: ``model/projection.py`` implements it).
PROJECTION_RULE = (
    "Projection of a year from its first half: the total's first-half level divided by the "
    "range of the ratios first half / year observed in every other year where both are known, "
    "in the series and in the other series of the same family (one producer's measures of one "
    "activity; each ratio within one series, never across a scope break). The interval holds "
    "the spread of those ratios and the rounding of every print. Flag f: a projection, never "
    "reconciled with outturns; when the outturn is known it is graded inside (the intervals "
    "overlap) or outside."
)
#: How the prints of one quantity agree (``series.csv``'s and ``conflicts.csv``'s ``agreement``).
AGREEMENTS = ("agree", "consistent_if_coarse", "consistent_if_truncated", "conflict")
#: Where a series row comes from.
ORIGINS = ("printed", "derived")
#: Kinds of change between two runs (``changes.csv``).
CHANGE_KINDS = (
    "new_release",
    "new",
    "removed",
    "moved",
    "interval_narrowed",
    "interval_widened",
    "new_conflict",
    "conflict_resolved",
    "verdict_changed",
    "new_contradiction",
    "revision",
    "projection_graded",
)
PERIOD_KINDS = ("year", "half", "quarter", "month", "range")
UNITS = (*level_units(), *rate_units(), "pct")

#: The flags of ``estimates.csv``, in the Eurostat/SDMX convention: letter -> (name, meaning here).
FLAGS: dict[str, tuple[str, str]] = {
    "p": (
        "provisional",
        "the quantity's data status is `preliminary` (the producer's figures are preliminary).",
    ),
    "e": (
        "estimated",
        "derived here from other figures (`origin` = `derived` in series.csv: a sum, a share, a "
        "level from a share or a change), not printed by any source.",
    ),
    "b": (
        "break in series",
        "the period starts in the first year after a break declared for the series in the "
        "vocabulary (`contract/vocab.py`, `SERIES[...].breaks`: a new framework or another scope "
        "begins), or a change whose base period lies before such a break and its period after.",
    ),
    "d": (
        "definition differs",
        "the series is not an official statistic (`SERIES[...].official` is false: industry, "
        "ministry or press estimates of turnover, not balance-of-payments receipts).",
    ),
    "f": ("forecast", "the figure is a forecast or a target (data status `forecast`)."),
    "u": (
        "low reliability",
        "a check on the quantity fails: an identity computed from other figures contradicts it "
        "(`check_failed` in series.csv, verdict `contradicted` in checks.csv).",
    ),
    "r": (
        "revised",
        "a later vintage of the same producer revised an earlier print of the quantity "
        "(`revisions.csv`); the estimate is the latest vintage.",
    ),
}


@dataclass(frozen=True)
class Field:
    """One column, as every table that has it holds it.

    Attributes:
        name: the column name.
        type: ``string``, ``number``, ``integer``, ``boolean`` or ``date`` (Frictionless types).
        description: what the column holds, for the codebook.
        unit: the unit of a number (a text; ``"see unit"`` when another column gives it).
        enum: the allowed values (empty: any); an empty cell is allowed where ``required`` is
            false.
        required: whether every row has a value.
        open_bound: ``"low"`` or ``"high"`` for an interval bound whose empty cell means open
            (-infinity or +infinity); ``None`` for any other column.
        open_if: for an open bound, the column that says the interval exists: when that column is
            empty too, the empty bound is missing (no interval), not open.
    """

    name: str
    type: FieldType
    description: str
    unit: str = ""
    enum: tuple[str, ...] = ()
    required: bool = False
    open_bound: Literal["low", "high"] | None = None
    open_if: str | None = None

    @property
    def dtype(self) -> str:
        """The pandas dtype of the column once read."""
        return DTYPES[self.type]

    def missing_meaning(self) -> str:
        """What an empty cell means, in words (for the codebook)."""
        if self.open_bound is not None:
            side = (
                "no lower bound (-infinity)"
                if self.open_bound == "low"
                else ("no upper bound (+infinity)")
            )
            if self.open_if:
                return f"{side} when `{self.open_if}` is set; otherwise no interval"
            return side
        if self.required:
            return "never empty"
        return "missing / not applicable"


def _f(name: str, type: FieldType, description: str, **kw: Any) -> Field:
    return Field(name, type, description, **kw)


_KEY_TEXT = "Empty when the measure has no base period."
_AMOUNT = "in `unit`"

_DECLARED: tuple[Field, ...] = (
    # --- keys and vocabulary codes
    _f(
        "series",
        "string",
        "Series code (contract/vocab.py SERIES).",
        enum=tuple(SERIES),
        required=True,
    ),
    _f(
        "segment",
        "string",
        "Segment code: an ecosystem (ITO, CRM, ...), `total`, a composite "
        "or a market (contract/vocab.py SEGMENTS).",
        enum=tuple(SEGMENTS),
        required=True,
    ),
    _f(
        "period",
        "string",
        "Period code: `2024`, `2025-H1`, `2024-Q2`, `2011-05`, or a range "
        "`2011-01..2011-05` (contract/periods.py).",
        required=True,
    ),
    _f("period_kind", "string", "Kind of period.", enum=PERIOD_KINDS, required=True),
    _f("period_start", "date", "First day of the period.", required=True),
    _f("period_end", "date", "Last day of the period.", required=True),
    _f(
        "measure",
        "string",
        "What the number measures (contract/vocab.py MEASURES): a level, a "
        "change, a share, an average growth, a ratio to another period or an exchange rate.",
        enum=tuple(MEASURES),
        required=True,
    ),
    _f(
        "base_period",
        "string",
        "Period the measure compares with (changes, growth rates, ratios). " + _KEY_TEXT,
    ),
    _f(
        "unit",
        "string",
        "Canonical unit of the numbers of the row: `MAD mn`, `USD mn`, `EUR mn` "
        "(millions), `pct` (percent) or an exchange rate.",
        enum=UNITS,
        required=True,
    ),
    # --- releases and prints
    _f(
        "release_id",
        "string",
        "Release id: `<outlet>/<YYYY-MM-DD>-<slug>`, the folder of "
        "data/raw/ that holds the release.",
        required=True,
    ),
    _f("figure_id", "string", "Id of the figure within its release (figures.csv).", required=True),
    _f("value_printed", "string", "The number exactly as printed (`26,2`)."),
    _f("unit_printed", "string", "The unit exactly as printed (`milliards de dirhams`)."),
    _f(
        "qualifier",
        "string",
        "The qualifier exactly as printed (`près de`, `plus de`); empty when none.",
    ),
    _f(
        "interval_rule",
        "string",
        "How the print became an interval (contract/qualifiers.py): "
        "`rounded` = ± half a step of the last digit, `approximate` = ± one step, bounds, ranges.",
        enum=tuple(f.value for f in Family),
        required=True,
    ),
    _f(
        "value",
        "number",
        "Point value " + _AMOUNT + ". Empty when the prints give an interval but no point value.",
        unit="see unit",
    ),
    _f(
        "low",
        "number",
        "Lower bound of the interval the prints imply " + _AMOUNT + " (round "
        "numbers at their coarse precision).",
        unit="see unit",
        open_bound="low",
    ),
    _f(
        "high",
        "number",
        "Upper bound of that interval " + _AMOUNT + ".",
        unit="see unit",
        open_bound="high",
    ),
    _f(
        "low_fine",
        "number",
        "Lower bound if every printed digit were significant "
        + _AMOUNT
        + "; differs from `low` only for a round number.",
        unit="see unit",
        open_bound="low",
    ),
    _f(
        "high_fine",
        "number",
        "Upper bound if every printed digit were significant " + _AMOUNT + ".",
        unit="see unit",
        open_bound="high",
    ),
    _f(
        "step",
        "number",
        "One unit of the last printed digit, " + _AMOUNT + ".",
        unit="see unit",
        required=True,
    ),
    _f(
        "coarse",
        "boolean",
        "The print is a round number (`80`, `20`) whose trailing zeros may not be significant.",
        required=True,
    ),
    _f(
        "data_status",
        "string",
        "`final`, `preliminary` or `unknown` as the release declares, "
        "or `forecast` for a forecast or a target; for a quantity, the weakest status of its "
        "prints. The rule for `unknown`: the page does not say whether the figure is "
        "preliminary or final, and the package never guesses it; read it as a figure that a "
        "later release may revise (as preliminary), and prefer a `final` or `preliminary` "
        "print of the same quantity, which the reconciliation does (final over preliminary "
        "over unknown).",
        enum=STATUS_ORDER,
        required=True,
    ),
    _f("producer", "string", "Who produced the statistic, as the release names it."),
    _f("outlet", "string", "The outlet that printed the release.", required=True),
    _f(
        "date_published",
        "date",
        "Publication date of the release; empty when the page shows "
        "none (the release id then carries the earliest date the content allows).",
    ),
    _f("url", "string", "Address of the release (press article or data page).", required=True),
    _f("note", "string", "The transcriber's note on the figure."),
    _f(
        "revises",
        "string",
        "`;`-separated ids of earlier releases of the same producer whose "
        "figures this release revises (declared in its release.yml).",
    ),
    _f("title", "string", "Title of the release (in brackets when not recorded).", required=True),
    _f(
        "date_note",
        "string",
        "Why the release carries the date it carries, when the page shows none.",
    ),
    _f("language", "string", "Language of the release.", enum=LANGUAGES, required=True),
    _f(
        "n_figures",
        "integer",
        "Number of figures transcribed from the release.",
        unit="figures",
        required=True,
    ),
    _f(
        "supersedes",
        "string",
        "`;`-separated ids of earlier transcriptions of the same page that this one replaces.",
    ),
    _f(
        "superseded_by",
        "string",
        "Id of the transcription that replaces this one; empty when it is current.",
    ),
    _f("revised_by", "string", "`;`-separated ids of later releases that revise this one."),
    _f(
        "figures_sha256",
        "string",
        "SHA-256 of the release's figures.csv, as verified against data/raw/SHA256SUMS.",
        required=True,
    ),
    # --- series
    _f(
        "origin",
        "string",
        "`printed` (reconciled from prints) or `derived` (computed here from "
        "other quantities by an identity).",
        enum=ORIGINS,
        required=True,
    ),
    _f(
        "agreement",
        "string",
        "How the prints of the quantity agree: `agree` (their intervals "
        "share a value), `consistent_if_coarse`, `consistent_if_truncated`, `conflict`. On a "
        "derived row, empty, or `conflict` when two routes to the quantity share no value (see "
        "`conflicted`).",
        enum=AGREEMENTS,
    ),
    _f(
        "n_sources",
        "integer",
        "Number of releases that print the quantity; 0 on derived rows.",
        unit="releases",
        required=True,
    ),
    _f(
        "best_release_id",
        "string",
        "The release whose print gives the point value (the most "
        "precise one inside the common interval); empty on derived rows.",
    ),
    _f(
        "conflicted",
        "boolean",
        "The prints of the quantity conflict (no value is consistent "
        "with all of them); conflicts.csv lists them and which one was kept. On a derived row: "
        "several identities reach the quantity and their intervals share no value; the row keeps "
        "the first route in the model's order (its formula and inputs) and `formula` names the "
        "routes that disagree with it: some print behind them is wrong.",
        required=True,
    ),
    _f("producers", "string", "`;`-separated producers of the prints (lower case)."),
    _f("formula", "string", "For a derived row or a check: the identity, in words and symbols."),
    _f(
        "inputs",
        "string",
        "What the row is computed from: `;`-separated `<release_id>#<figure_"
        "id>` for prints, `series|segment|period|measure[|base_period]` for other quantities.",
    ),
    *(
        _f(
            f"checks_{v}",
            "integer",
            f"Number of checks on the quantity whose verdict is `{v}`.",
            unit="checks",
            required=True,
        )
        for v in VERDICTS
    ),
    _f(
        "check_failed",
        "boolean",
        "At least one check on the quantity is `contradicted`.",
        required=True,
    ),
    # --- conflicts
    _f("chosen", "boolean", "This print is the one kept as the estimate.", required=True),
    _f("chosen_because", "string", "Why the kept print was chosen (on the chosen row only)."),
    # --- checks
    _f(
        "check_id",
        "string",
        "Id of the check: `kind:target:print:inputs`, the identity, its target, the print "
        "checked and the route (the `;`-joined quantities the identity is computed from, absent "
        "when no identity could be computed), so that two routes to one target are two checks.",
        required=True,
    ),
    _f(
        "kind",
        "string",
        "The identity (segments_sum, share_from_levels, change_from_levels, "
        "currency_conversion, ...), or `forecast` for a forecast that is not checked.",
        required=True,
    ),
    _f("description", "string", "The check in words.", required=True),
    _f(
        "computed_value",
        "number",
        "Value of the identity on the inputs' point values, in the target's unit; empty when it "
        "could not be computed or an input has no point value (a bound, `plus de`).",
        unit="see measure",
    ),
    _f(
        "computed_low",
        "number",
        "Lower bound of the identity's interval (interval arithmetic).",
        unit="see measure",
        open_bound="low",
        open_if="formula",
    ),
    _f(
        "computed_high",
        "number",
        "Upper bound of the identity's interval.",
        unit="see measure",
        open_bound="high",
        open_if="formula",
    ),
    _f("printed_ref", "string", "The print checked: `<release_id>#<figure_id>.<measure>`."),
    _f("printed_value", "string", "The print checked, as printed (qualifier, number, unit)."),
    _f(
        "printed_low",
        "number",
        "Lower bound of the print's interval.",
        unit="see measure",
        open_bound="low",
        open_if="printed_ref",
    ),
    _f(
        "printed_high",
        "number",
        "Upper bound of the print's interval.",
        unit="see measure",
        open_bound="high",
        open_if="printed_ref",
    ),
    _f(
        "verdict",
        "string",
        "`consistent`: the intervals overlap; `consistent_if_coarse`: only "
        "with round numbers at their coarse precision; `consistent_if_truncated`: only if the "
        "print truncates; `converted_at_other_rate`: an outlet's own conversion, at a positive "
        "rate within 25 % of the reference; `contradicted`; `not_checkable`: an input is missing "
        "(or the reference rate is not a positive rate).",
        enum=(*VERDICTS, *PROJECTION_CHECK_VERDICTS),
        required=True,
    ),
    _f("reason", "string", "The verdict's reason, with the intervals compared."),
    # --- revisions
    _f(
        "vintage",
        "integer",
        "Number of the later vintage of the pair (2 = the first revision).",
        unit="vintage",
        required=True,
    ),
    _f(
        "revision",
        "number",
        "Later value minus earlier value, in `unit` (percentage points for a share or a change).",
        unit="see unit",
    ),
    _f("revision_pct", "number", "The revision relative to the earlier value.", unit="percent"),
    _f(
        "beyond_rounding",
        "boolean",
        "The two prints' intervals share no value: rounding cannot explain the revision.",
        required=True,
    ),
    # --- changes
    _f(
        "change",
        "string",
        "Kind of change since the baseline (the committed tables).",
        enum=CHANGE_KINDS,
        required=True,
    ),
    _f(
        "quantity",
        "string",
        "The quantity (`series|segment|period|measure[|base_period]`), "
        "release or check that changed.",
        required=True,
    ),
    _f("before", "string", "The estimate or verdict before the change."),
    _f("after", "string", "The estimate or verdict after the change."),
    _f(
        "releases",
        "string",
        "`;`-separated new or changed releases that feed the quantity; "
        "empty when none does (a change of code or of an earlier release).",
    ),
    # --- estimates
    _f(
        "level_unit",
        "string",
        "Unit of the level: the series' own currency, in millions.",
        enum=tuple(level_units()),
    ),
    *(
        field
        for m, unit, what in (
            ("level", "see level_unit", "Level of the segment in the period"),
            ("share_pct", "percent", "Share of the segment in the series' total"),
            ("change_pct", "percent", "Change over the same period a year before"),
        )
        for field in (
            _f(
                m,
                "number",
                f"{what}: the best estimate (point value; empty when only an "
                "interval is known or there is no estimate).",
                unit=unit,
            ),
            _f(
                f"{m}_low",
                "number",
                f"{what}: lower bound of the interval.",
                unit=unit,
                open_bound="low",
                open_if=f"{m}_origin",
            ),
            _f(
                f"{m}_high",
                "number",
                f"{what}: upper bound of the interval.",
                unit=unit,
                open_bound="high",
                open_if=f"{m}_origin",
            ),
            _f(
                f"{m}_origin",
                "string",
                f"{what}: `printed` or `derived`; empty when there is no estimate.",
                enum=ORIGINS,
            ),
            _f(
                f"{m}_flags",
                "string",
                f"{what}: flags, in the Eurostat/SDMX convention (letters "
                "in the order p, e, b, d, f, u, r; see the flags below).",
            ),
        )
    ),
    _f(
        "change_base_period",
        "string",
        "Base period of `change_pct` (the same period a year "
        "before); empty when no change is known.",
    ),
    _f(
        "segment_kind",
        "string",
        "What the segment is in its series: `total`; `ecosystem` or `legacy_segment`, the "
        "parts of the series' complete set, which add up to the total; `composite` (ITO_CRM, "
        "already the sum of two parts); `market` (a destination, never summed with the "
        "activities); `other` (outside the complete set). Sum only `ecosystem` (or "
        "`legacy_segment`) rows of one series and period.",
        enum=SEGMENT_KINDS,
        required=True,
    ),
    _f(
        "part_of",
        "string",
        "`;`-separated segments this one is a part of (`total`, a composite); empty for the "
        "total and for a segment outside the complete set.",
    ),
    _f("series_label_en", "string", "The series' label in English.", required=True),
    _f("series_label_fr", "string", "The series' label in French.", required=True),
    _f("segment_label_en", "string", "The segment's label in English.", required=True),
    _f("segment_label_fr", "string", "The segment's label in French.", required=True),
    _f(
        "source_release",
        "string",
        "`;`-separated releases the row's estimates come from: the release whose print gives "
        "each printed value, and for a derived value the releases of the prints it is computed "
        "from (`data/raw/<release>/`).",
        required=True,
    ),
    _f(
        "source_url",
        "string",
        "The addresses of `source_release`, in the same order, separated by a space.",
        required=True,
    ),
    _f(
        "level_bound",
        "string",
        "Whether the level is an open interval: `lower` for a printed lower bound ('plus de "
        "14 milliards': `level_high` is empty and means +infinity), `upper` for an upper bound, "
        "`none` for a closed interval; empty when there is no level.",
        enum=("lower", "upper", "none"),
    ),
    _f(
        "reading",
        "string",
        "The reading the release declared for a qualifier the grammar does not know yet "
        "(figures.csv's `reading` column: the interval follows it); empty when the grammar "
        "read the qualifier.",
        enum=tuple(READINGS),
    ),
    # --- outlets
    _f("outlet_folder", "string", "The outlet's folder under `data/raw/`.", required=True),
    *(
        _f(name, "integer", text, unit=unit, required=True)
        for name, unit, text in (
            ("n_prints", "prints", "Prints (figures) of the outlet's releases."),
            (
                "n_checked",
                "prints",
                "Prints on which at least one identity gives a verdict other than `not_checkable`.",
            ),
            ("n_consistent", "prints", "Checked prints that every check finds consistent."),
            ("n_contradicted", "prints", "Prints that at least one check contradicts."),
            (
                "n_in_conflict",
                "prints",
                "Prints of a quantity whose prints conflict (conflicts.csv).",
            ),
            (
                "n_conflicts_lost",
                "prints",
                "Prints in a conflict that were not kept: another print of the quantity was.",
            ),
        )
    ),
    _f(
        "latest_release",
        "string",
        "The outlet's latest release (by folder date): `data/raw/<latest_release>/`.",
        required=True,
    ),
    # --- series metadata
    _f("label_en", "string", "Label in English.", required=True),
    _f("label_fr", "string", "Label in French.", required=True),
    _f("definition", "string", "Scope of the series, in our words.", required=True),
    _f(
        "official",
        "boolean",
        "An official statistic (balance-of-payments or ministry data), else an industry or "
        "press estimate.",
        required=True,
    ),
    _f(
        "frequencies",
        "string",
        "`;`-separated kinds of period the series has levels or changes for (year, half, "
        "quarter, month, range).",
    ),
    _f("coverage_start", "date", "First day of the earliest period the series covers."),
    _f("coverage_end", "date", "Last day of the latest period the series covers."),
    _f(
        "breaks",
        "string",
        "`;`-separated breaks of the series (decimal year: what changes).",
    ),
    _f(
        "last_release",
        "string",
        "The latest release (by folder date) that prints a figure of the series.",
    ),
    _f(
        "n_releases",
        "integer",
        "Number of releases that print a figure of the series.",
        unit="releases",
    ),
    # --- projections.csv (model/projection.py)
    _f(
        "first_half_period",
        "string",
        "The first half the year is projected from (`2025-H1`).",
        required=True,
    ),
    _f("first_half_value", "number", "Level of the first half " + _AMOUNT + ".", unit="see unit"),
    _f("first_half_low", "number", "Lower bound of the first half's level.", unit="see unit"),
    _f("first_half_high", "number", "Upper bound of the first half's level.", unit="see unit"),
    _f(
        "first_half_release",
        "string",
        "The release behind the first half's level (series.csv's `best_release_id`; empty when "
        "it is derived).",
    ),
    _f(
        "n_ratios",
        "integer",
        "Number of ratios first half / year the projection uses (every other year of the "
        "series' seasonal family).",
        unit="years",
    ),
    _f(
        "ratio_years",
        "string",
        "The series and years whose ratio first half / year the projection uses, `; `-separated.",
    ),
    _f(
        "ratio_low",
        "number",
        "Lowest first half / year ratio among them (a fraction, rounding included).",
    ),
    _f(
        "ratio_high",
        "number",
        "Highest first half / year ratio among them (a fraction, rounding included).",
    ),
    _f("flags", "string", "Flags (see the flags table): always `f` for a projection."),
    _f(
        "method",
        "string",
        "The projection rule (model/projection.py): `first_half_ratio_leave_one_out`.",
        enum=("first_half_ratio_leave_one_out",),
        required=True,
    ),
    _f(
        "outturn_value",
        "number",
        "The year's outturn in series.csv " + _AMOUNT + ".",
        unit="see unit",
    ),
    _f("outturn_low", "number", "Lower bound of the outturn.", unit="see unit"),
    _f("outturn_high", "number", "Upper bound of the outturn.", unit="see unit"),
    _f(
        "outturn_origin",
        "string",
        "Whether the outturn is printed or derived (series.csv's `origin`).",
        enum=ORIGINS,
    ),
    _f("outturn_release", "string", "The release behind the outturn (empty when derived)."),
    _f(
        "grade",
        "string",
        "The projection against its year's outturn: `inside` (the intervals overlap), "
        "`outside`, `no_outturn` (the year is not known yet) or `no_ratio` (no other year "
        "gives a ratio).",
        enum=("inside", "outside", "no_outturn", "no_ratio"),
        required=True,
    ),
)

#: Every column, by name: the one place a column is declared.
FIELDS: dict[str, Field] = {f.name: f for f in _DECLARED}
assert len(FIELDS) == len(_DECLARED), "a field is declared twice"


def _prefixed(prefix: str, name: str, description: str = "") -> Field:
    base = FIELDS[name]
    return dataclasses.replace(
        base,
        name=f"{prefix}_{name}",
        description=f"The {prefix} vintage: " + (description or base.description),
        open_if=None,
    )


@dataclass(frozen=True)
class Resource:
    """One table of ``data/processed/``.

    Attributes:
        name: the table's name (the file name without ``.csv``).
        title: a one-line title.
        grain: what one row is.
        description: what the table holds and how it is made.
        fields: its columns, in file order.
        primary_key: the columns whose values are unique together.
        producer: the notebook (or the runner) that writes it.
    """

    name: str
    title: str
    grain: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    producer: str

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.filename} has no column {name!r}")


def _fields(*names: str, **overrides: dict[str, Any]) -> tuple[Field, ...]:
    """The declared fields of ``names``; ``overrides`` changes one field's attributes for this
    table only (a narrower enum, a different requirement)."""
    out = []
    for n in names:
        f = FIELDS[n]
        if n in overrides:
            f = dataclasses.replace(f, **overrides[n])
        out.append(f)
    return tuple(out)


_QUANTITY = ("series", "segment", "period", "measure", "base_period")
_PERIOD = ("period_kind", "period_start", "period_end")
_SERIES_FIELDS = _fields(
    "series",
    "segment",
    "period",
    *_PERIOD,
    "measure",
    "base_period",
    "value",
    "low",
    "high",
    "low_fine",
    "high_fine",
    "unit",
    "origin",
    "agreement",
    "n_sources",
    "best_release_id",
    "conflicted",
    "data_status",
    "producers",
    "formula",
    "inputs",
    *(f"checks_{v}" for v in VERDICTS),
    "check_failed",
)
_VINTAGE = (
    "release_id",
    "figure_id",
    "date_published",
    "data_status",
    "value_printed",
    "value",
    "low",
    "high",
)

_RESOURCES: tuple[Resource, ...] = (
    Resource(
        "published_figures",
        "Printed figures",
        "one row per printed figure of one release",
        "Every figure as printed (value, unit, qualifier) beside the number it stands for in a "
        "canonical unit and the interval its printing implies. Releases superseded by a later "
        "transcription of the same page are left out.",
        _fields(
            "release_id",
            "figure_id",
            "series",
            "segment",
            "period",
            "period_start",
            "period_end",
            "period_kind",
            "measure",
            "base_period",
            "value_printed",
            "unit_printed",
            "qualifier",
            "interval_rule",
            "reading",
            "value",
            "low",
            "high",
            "low_fine",
            "high_fine",
            "step",
            "coarse",
            "unit",
            "data_status",
            "producer",
            "outlet",
            "date_published",
            "url",
            "note",
            "revises",
        ),
        ("release_id", "figure_id"),
        "notebooks/10_ingest_releases.ipynb",
    ),
    Resource(
        "releases",
        "Releases",
        "one row per release (press article or data page)",
        "Every validated release with its outlet, dates, status, producer and checksum; later "
        "steps read releases from this table, never from data/raw/.",
        _fields(
            "release_id",
            "outlet",
            "title",
            "date_published",
            "date_note",
            "data_status",
            "producer",
            "language",
            "n_figures",
            "url",
            "supersedes",
            "superseded_by",
            "revises",
            "revised_by",
            "figures_sha256",
            data_status={"enum": STATUS_ORDER[:3]},
            producer={"required": True},
        ),
        ("release_id",),
        "notebooks/10_ingest_releases.ipynb",
    ),
    Resource(
        "series",
        "Series",
        "one row per series, segment, period, measure and base period, in the series' own currency",
        "Each quantity printed (reconciled across its prints) or derived by an identity, with "
        "its interval and a summary of its checks. Levels printed in another currency are in "
        "conversions.csv.",
        _SERIES_FIELDS,
        (*_QUANTITY, "unit"),
        "notebooks/20_reconcile_and_check.ipynb",
    ),
    Resource(
        "conversions",
        "Levels in another currency",
        "one row per series, segment, period and measure printed in a currency other than the "
        "series' own",
        "Levels printed in another currency than the series' own (an outlet's dollar figure), "
        "kept as printed; the reports convert with the World Bank rates.",
        _SERIES_FIELDS,
        (*_QUANTITY, "unit"),
        "notebooks/20_reconcile_and_check.ipynb",
    ),
    Resource(
        "conflicts",
        "Conflicting prints",
        "one row per print of a quantity whose prints do not all agree",
        "Every print of such a quantity, how the prints agree, and which one was kept and why.",
        _fields(
            *_QUANTITY,
            "agreement",
            "release_id",
            "figure_id",
            "value_printed",
            "unit_printed",
            "qualifier",
            "low",
            "high",
            "unit",
            "data_status",
            "producer",
            "date_published",
            "chosen",
            "chosen_because",
            agreement={"required": True},
        ),
        (*_QUANTITY, "release_id", "figure_id"),
        "notebooks/20_reconcile_and_check.ipynb",
    ),
    Resource(
        "checks",
        "Checks",
        "one row per identity (a relation and the inputs it is computed from) and printed "
        "figure of its target",
        "Each identity computed with interval arithmetic, compared with each print of its "
        "target, with a verdict and its reason.",
        _fields(
            "check_id",
            "kind",
            *_QUANTITY,
            "description",
            "formula",
            "inputs",
            "computed_value",
            "computed_low",
            "computed_high",
            "printed_ref",
            "printed_value",
            "printed_low",
            "printed_high",
            "verdict",
            "reason",
        ),
        ("check_id",),
        "notebooks/20_reconcile_and_check.ipynb",
    ),
    Resource(
        "revisions",
        "Revisions",
        "one row per quantity, producer and pair of consecutive vintages",
        "Prints that a later release of the same producer declares it revises: the earlier and "
        "the later vintage and the revision.",
        (
            *_fields(*_QUANTITY, "unit"),
            dataclasses.replace(
                FIELDS["producer"], description="Producer (lower case).", required=True
            ),
            FIELDS["vintage"],
            *(_prefixed(side, n) for side in ("earlier", "later") for n in _VINTAGE),
            *_fields("revision", "revision_pct", "beyond_rounding"),
        ),
        (*_QUANTITY, "unit", "producer", "vintage"),
        "notebooks/20_reconcile_and_check.ipynb",
    ),
    Resource(
        "estimates",
        "Best estimates (panel)",
        "one row per series, segment and period",
        "The tidy panel: for each series, segment and period, the level (series' own currency), "
        "the share in the total and the change on the same period a year before, each with its "
        "interval, origin and flags. Built from series.csv and revisions.csv; exchange rates, "
        "average growth rates and ratios stay in series.csv.",
        _fields(
            "series",
            "segment",
            "period",
            *_PERIOD,
            "level_unit",
            "level",
            "level_low",
            "level_high",
            "level_origin",
            "level_flags",
            "share_pct",
            "share_pct_low",
            "share_pct_high",
            "share_pct_origin",
            "share_pct_flags",
            "change_pct",
            "change_pct_low",
            "change_pct_high",
            "change_pct_origin",
            "change_pct_flags",
            "change_base_period",
            "data_status",
            "segment_kind",
            "part_of",
            "conflicted",
            "level_bound",
            "source_release",
            "source_url",
            "series_label_en",
            "series_label_fr",
            "segment_label_en",
            "segment_label_fr",
            conflicted={
                "description": "One of the row's estimates (level, share or change) is a value "
                "kept among conflicting prints or routes (series.csv's `conflicted`); "
                "conflicts.csv says which print was kept and why."
            },
        ),
        ("series", "segment", "period"),
        "notebooks/20_reconcile_and_check.ipynb",
    ),
    Resource(
        "outlets",
        "Who printed what right",
        "one row per outlet folder",
        "For each outlet: its releases and prints, how many of its prints the identities could "
        "check, found consistent or contradicted, and how many were in a conflict and not "
        "kept. Built from published_figures.csv, checks.csv and conflicts.csv.",
        _fields(
            "outlet_folder",
            "outlet",
            "n_releases",
            "n_prints",
            "n_checked",
            "n_consistent",
            "n_contradicted",
            "n_in_conflict",
            "n_conflicts_lost",
            "latest_release",
            n_releases={"description": "Number of the outlet's releases."},
        ),
        ("outlet_folder",),
        "notebooks/20_reconcile_and_check.ipynb",
    ),
    Resource(
        "series_metadata",
        "Series metadata",
        "one row per series",
        "What each series is: labels, definition, whether it is official, the producers that "
        "the prints attribute it to, the kinds of period and the span it covers, its breaks and "
        "its latest release. Built from the vocabulary (contract/vocab.py) and "
        "published_figures.csv.",
        _fields(
            "series",
            "label_en",
            "label_fr",
            "definition",
            "official",
            "producers",
            "frequencies",
            "coverage_start",
            "coverage_end",
            "breaks",
            "last_release",
            "n_releases",
        ),
        ("series",),
        "notebooks/20_reconcile_and_check.ipynb",
    ),
    Resource(
        "projections",
        "First-half projections",
        "one row per series of a seasonal family and year with a first half",
        "The full-year level each first half implies. " + PROJECTION_RULE + " Never in "
        "series.csv; checks.csv repeats each grading (kind `projection_outturn`), so that the "
        "package grades its own method over time.",
        _fields(
            "series",
            "segment",
            "period",
            "unit",
            "value",
            "low",
            "high",
            "first_half_period",
            "first_half_value",
            "first_half_low",
            "first_half_high",
            "first_half_release",
            "n_ratios",
            "ratio_years",
            "ratio_low",
            "ratio_high",
            "outturn_value",
            "outturn_low",
            "outturn_high",
            "outturn_origin",
            "outturn_release",
            "grade",
            "flags",
            "data_status",
            "method",
            value={"description": "The projected level of the year " + _AMOUNT + "."},
            low={"open_if": "ratio_low"},
            high={"open_if": "ratio_low"},
            period={"description": "The year projected."},
        ),
        ("series", "segment", "period"),
        "notebooks/20_reconcile_and_check.ipynb",
    ),
    Resource(
        "changes",
        "What changed",
        "one row per change since the committed tables",
        "What the latest change of the data changed: new releases, quantities new, removed or "
        "moved, conflicts, verdicts, revisions.",
        _fields("change", "quantity", "before", "after", "releases"),
        ("change", "quantity", "before", "after"),
        "the runner, after the notebooks (report/changes.py)",
    ),
)

#: Every table of ``data/processed/``, by name.
RESOURCES: dict[str, Resource] = {r.name: r for r in _RESOURCES}


def resource_for(filename: str) -> Resource:
    """The resource written to ``filename`` (``series.csv`` or a path ending in it).

    Raises:
        KeyError: when no table of that name is declared.
    """
    name = filename.rsplit("/", 1)[-1].removesuffix(".csv")
    if name not in RESOURCES:
        raise KeyError(
            f"{filename}: no schema declares this table (declared: {', '.join(RESOURCES)}); "
            "declare it in digital_exports/tables/schemas.py"
        )
    return RESOURCES[name]


# --------------------------------------------------------------------------- Frictionless


def table_schema(resource: Resource) -> dict[str, Any]:
    """The Frictionless Table Schema of ``resource``."""
    fields = []
    for f in resource.fields:
        out: dict[str, Any] = {"name": f.name, "type": f.type, "description": f.description}
        if f.unit:
            out["unit"] = f.unit
        if f.type == "boolean":
            out["trueValues"], out["falseValues"] = ["true"], ["false"]
        if f.type == "number":
            out["missingMeaning"] = f.missing_meaning()
        constraints: dict[str, Any] = {}
        if f.required:
            constraints["required"] = True
        if f.enum:
            constraints["enum"] = list(f.enum)
        if constraints:
            out["constraints"] = constraints
        fields.append(out)
    return {
        "fields": fields,
        "primaryKey": list(resource.primary_key),
        "missingValues": [""],
    }


#: Terms of the processed tables (DATA_LICENSE.md states them in full).
LICENSES = (
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0 (the compilation and the processed tables; "
        "see DATA_LICENSE.md for the sources' own terms)",
    },
)
SOURCES = (
    {
        "title": "Press releases and articles transcribed in data/raw/ (cited by URL in "
        "releases.csv)",
        "path": "data/raw/",
    },
    {
        "title": "World Bank, World Development Indicators, PA.NUS.FCRF (official exchange rate, "
        "LCU per US$, period average)",
        "path": "https://data.worldbank.org/indicator/PA.NUS.FCRF",
    },
    {
        "title": "European Central Bank, euro foreign exchange reference rates (USD per EUR)",
        "path": "data/raw/ecb/",
    },
    {
        "title": "Board of Governors of the Federal Reserve System, U.S. Dollars to Euro Spot "
        "Exchange Rate [AEXUSEU], via FRED and datahub",
        "path": "https://fred.stlouisfed.org/series/AEXUSEU",
    },
)


def datapackage() -> dict[str, Any]:
    """The Frictionless Data Package that describes ``data/processed/`` (every table's path,
    schema, grain and licence)."""
    return {
        "name": "digital-exports-morocco",
        "title": "Morocco's exports of digital and outsourcing services: processed tables",
        "description": "Printed figures, reconciled series, checks, revisions and a panel of best "
        "estimates, from press prints of Office des Changes and other figures. Codebook: "
        "CODEBOOK.md.",
        "licenses": list(LICENSES),
        "sources": list(SOURCES),
        "resources": [
            {
                "name": r.name,
                "path": r.filename,
                "title": r.title,
                "description": f"Grain: {r.grain}. {r.description}",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": list(LICENSES),
                "schema": table_schema(r),
            }
            for r in RESOURCES.values()
        ],
    }
