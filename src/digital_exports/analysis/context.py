"""Where digital stands: its share of Morocco's services exports (report 70) and where a year is
heading from its first half (report 80).

The share is a ratio of two printed (or derived) levels of one producer's series, the digital
series over a *context* series (``SERIES[...].context``: Morocco's exports of services), for
each period both hold. It is computed per pair of series and never across pairs: a share of the
2023+ framework and a share of the ministry's "outsourcing" are two lines, not one. The
projection table is ``projections.csv`` (``model/projection.py`` states the rule); report 80
reads it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pandas as pd

from digital_exports.analysis.analyses import Result, stays_note
from digital_exports.analysis.labels import (
    UNIT_LABELS,
    Codes,
    Field,
    Note,
    Num,
    When,
    number,
    say,
    word,
)
from digital_exports.base.frames import each_row
from digital_exports.contract.periods import parse_period, recency, year_before
from digital_exports.contract.vocab import CONTEXT_SERIES, SERIES
from digital_exports.model.currency import CurrencyError, Rates, convert_levels, currency_of
from digital_exports.model.estimates import release_sources
from digital_exports.model.intervals import Interval, share_pct

_SIDES = ("digital", "services")


def numerators(context: str) -> tuple[str, ...]:
    """The series whose share of ``context`` is computed: official money series in the same
    currency that are not context series themselves (an industry estimate or a WTO dollar
    aggregate is not divided by the Office des Changes' services exports)."""
    own = SERIES[context].currency
    return tuple(
        c
        for c, s in SERIES.items()
        if s.money and s.official and not s.context and s.currency == own
    )


def _totals(series: pd.DataFrame, measure: str) -> dict[tuple[str, str], Any]:
    mine = series[(series["segment"] == "total") & (series["measure"] == measure)]
    if measure == "change_pct":
        mine = mine[
            [b == year_before(p) for p, b in zip(mine["period"], mine["base_period"], strict=True)]
        ]
    return {(r.series, r.period): r for r in each_row(mine)}


def _span(r: Any) -> Interval:
    return Interval(float(r.low), float(r.high))


def _pairs(series: pd.DataFrame, projections: pd.DataFrame) -> Iterator[dict]:
    """One row per pair of series (digital, context) and period that both hold; the latest
    year of a digital series with a projection and no outturn is added, flagged projected."""
    levels = _totals(series, "level")
    sources = release_sources(series)  # a derived level's releases: those it comes from
    changes = _totals(series, "change_pct")
    projected: dict[tuple[str, str], Any] = {
        (r.series, r.period): r
        for r in each_row(projections)
        if r.grade == "no_outturn" and not math.isnan(r.low)
    }
    for context in CONTEXT_SERIES:
        for (c, period), whole in levels.items():
            if c != context:
                continue
            for name in numerators(context):
                part, origin = levels.get((name, period)), None
                if part is None and (name, period) in projected:
                    part, origin = projected[(name, period)], "projection"
                if part is None or whole.unit != part.unit or not float(whole.low) > 0:
                    continue
                share = share_pct(_span(part), _span(whole))
                row = {
                    "series": name,
                    "context_series": context,
                    "period": period,
                    "period_kind": whole.period_kind,
                    "year": parse_period(period).start.year,
                    "unit": whole.unit,
                    "share_pct": 100 * part.value / whole.value,
                    "share_low": share.low,
                    "share_high": share.high,
                    "projected": origin == "projection",
                }
                for side, r in (("digital", part), ("services", whole)):
                    row |= {
                        f"{side}_value": r.value,
                        f"{side}_low": r.low,
                        f"{side}_high": r.high,
                        f"{side}_origin": origin if r is part and origin else r.origin,
                        f"{side}_status": r.data_status,
                        f"{side}_release": str(r.first_half_release or "")
                        if r is part and origin
                        else ";".join(sorted(sources.get(f"{r.series}|total|{period}|level", ()))),
                    }
                    change = changes.get((r.series if r is whole else name, period))
                    if change is not None and not (r is part and origin):
                        row |= {
                            f"{side}_change_pct": change.value,
                            f"{side}_change_low": change.low,
                            f"{side}_change_high": change.high,
                        }
                row["caveats"] = ";".join(_caveats(row))
                yield row


def _caveats(row: dict) -> list[str]:
    """Why a share must be read with care: a projected numerator, a denominator derived from
    other prints, statuses that differ (a preliminary figure over a restated one)."""
    out = []
    if row["projected"]:
        out.append("projected")
    if row["services_origin"] == "derived":
        out.append("derived_denominator")
    if row["digital_origin"] == "derived":
        out.append("derived_numerator")
    if row["digital_status"] != row["services_status"]:
        out.append("mixed_status")
    return out


#: The columns of the share table, in order (the chart's CSV holds exactly these).
SHARE_COLUMNS = (
    "series",
    "context_series",
    "period",
    "period_kind",
    "year",
    "unit",
    "share_pct",
    "share_low",
    "share_high",
    *(
        f"{side}_{c}"
        for side in _SIDES
        for c in ("value", "low", "high", "origin", "status", "release")
    ),
    *(f"{side}_change_{c}" for side in _SIDES for c in ("pct", "low", "high")),
    "projected",
    "joins_previous",
    "caveats",
)


def services_share(
    series: pd.DataFrame,
    projections: pd.DataFrame,
    start: int,
    end: int,
    currency: str,
    rates: Rates,
) -> Result:
    """The share of each digital series in each context series, per period from ``start`` to
    ``end`` (by the period's first year), with its interval, the two levels (in ``currency``
    where rates allow) and each one's change on the same period a year before.

    ``joins_previous`` says whether the chart may draw a line from the pair's previous annual
    point: the same pair, the year before, neither projected.
    """
    rows = [r for r in _pairs(series, projections) if start <= r["year"] <= end]
    table = pd.DataFrame(rows).reindex(columns=list(SHARE_COLUMNS))
    if table.empty:
        return Result(table, [Note("note_no_share", {"start": start, "end": end})])
    order = sorted(
        range(len(table)),
        key=lambda i: (
            table["context_series"].iat[i],
            table["series"].iat[i],
            recency(str(table["period"].iat[i])),
        ),
    )
    table = table.iloc[order].reset_index(drop=True)
    joins = []
    previous: dict[tuple[str, str], dict] = {}
    for r in table.to_dict("records"):
        if r["period_kind"] != "year":
            joins.append(False)
            continue
        key = (r["series"], r["context_series"])
        before = previous.get(key)
        joins.append(
            before is not None
            and before["year"] == r["year"] - 1
            and not before["projected"]
            and not r["projected"]
        )
        previous[key] = r
    table["joins_previous"] = joins
    table, notes = _convert(table, currency, rates)
    used = Counter(
        rid
        for side in _SIDES
        for text in table[f"{side}_release"]
        for rid in str(text).split(";")
        if rid and text == text
    )
    notes += _share_notes(table)
    return Result(table, notes, sorted(used, key=lambda r: (-used[r], r)))


def _convert(table: pd.DataFrame, currency: str, rates: Rates) -> tuple[pd.DataFrame, list[Note]]:
    """Both levels of every row into ``currency``; when one year has no rate, every level stays
    in the series' own currency and a note says why (shares are the same in any currency)."""
    own = str(table["unit"].iloc[0])
    if currency_of(own) == currency:
        return table, []
    out = table.copy()
    try:
        for side in _SIDES:
            long = pd.DataFrame(
                {
                    "period": table["period"],
                    "measure": "level",
                    "value": table[f"{side}_value"],
                    "low": table[f"{side}_low"],
                    "high": table[f"{side}_high"],
                    "unit": table["unit"],
                }
            )
            converted, _ = convert_levels(long, currency, rates)
            for c in ("value", "low", "high"):
                out[f"{side}_{c}"] = converted[c].to_numpy()
        out["unit"] = converted["unit"].to_numpy()
    except CurrencyError as exc:
        return table, [stays_note(currency_of(own), exc)]
    return out, [Note("note_share_converted", {"currency": currency})]


def _share_notes(table: pd.DataFrame) -> list[Note]:
    """What a reader must know: pairs of series are never joined, and each caveat met."""
    notes = []
    pairs = table[["series", "context_series"]].drop_duplicates()
    if len(pairs) > 1:
        notes.append(Note("note_share_pairs", {"n": len(pairs)}))
    seen = {c for text in table["caveats"] for c in str(text).split(";") if c}
    for caveat in ("projected", "derived_denominator", "derived_numerator", "mixed_status"):
        if caveat in seen:
            periods = [
                p
                for p, text in zip(table["period"], table["caveats"], strict=True)
                if caveat in str(text).split(";")
            ]
            notes.append(Note(f"note_share_{caveat}", {"periods": _periods(periods)}))
    return notes


def _periods(codes: list[str]) -> str:
    return ", ".join(dict.fromkeys(codes))


def main_pair(table: pd.DataFrame) -> tuple[str, str] | None:
    """The pair whose latest annual share (not projected) is the most recent; of two, the one
    declared first (the 2023+ framework before the legacy series)."""
    annual = table[(table["period_kind"] == "year") & ~table["projected"].astype(bool)]
    if annual.empty:
        return None
    order = {c: i for i, c in enumerate(SERIES)}
    best = max(
        each_row(annual),
        key=lambda r: (r.year, -order[r.series], -order[r.context_series]),
    )
    return best.series, best.context_series


def main_annual(table: pd.DataFrame) -> pd.DataFrame:
    """The main pair's annual shares that are not projected, oldest first (empty when there is
    no main pair)."""
    pair = main_pair(table) if not table.empty else None
    if pair is None:
        return table.iloc[0:0]
    return table[
        (table["series"] == pair[0])
        & (table["context_series"] == pair[1])
        & (table["period_kind"] == "year")
        & ~table["projected"].astype(bool)
    ].sort_values("year")


def share_direction(table: pd.DataFrame) -> tuple[str, dict, dict] | None:
    """Whether the main pair's share fell or rose from its previous annual point to its latest
    (``fell``/``rose`` only when the intervals do not overlap, else ``unclear``), with both
    rows; None when the pair has fewer than two annual points."""
    mine = main_annual(table)
    if len(mine) < 2:
        return None
    before, last = mine.iloc[-2].to_dict(), mine.iloc[-1].to_dict()
    if last["share_high"] < before["share_low"]:
        direction = "fell"
    elif last["share_low"] > before["share_high"]:
        direction = "rose"
    else:
        direction = "unclear"
    return direction, before, last


def share_headline(result: Result, lang: str) -> str:
    """One sentence: the latest share of the main pair, and whether it fell or rose, with the
    two growth rates beside it where both are known."""
    table = result.table
    moved = share_direction(table) if not table.empty else None
    pair = main_pair(table) if not table.empty else None
    if pair is None:
        return say(Note("share_none"), lang)
    if moved is None:
        only = (
            table[(table["series"] == pair[0]) & (table["period_kind"] == "year")]
            .sort_values("year")
            .iloc[-1]
        )
        return say(Note("share_one", _share_fields(only.to_dict(), pair, lang)), lang)
    direction, before, last = moved
    fields = _share_fields(last, pair, lang) | {
        "before": Num(before["share_pct"], 1),
        "before_year": str(before["year"]),
        "before_span": span_text(before["share_low"], before["share_high"], lang),
    }
    text = say(Note(f"share_{direction}", fields), lang)
    growth = [float(last.get(f"{side}_change_pct", math.nan)) for side in _SIDES]
    if all(math.isfinite(g) for g in growth):
        text += " " + say(
            Note(
                "share_growth",
                {
                    "digital": Num(growth[0], 1),
                    "services": Num(growth[1], 1),
                    "year": str(last["year"]),
                },
            ),
            lang,
        )
    return text


def _share_fields(last: dict, pair: tuple[str, str], lang: str) -> dict[str, Field]:
    return {
        "series": Codes((pair[0],)),
        "context": Codes((pair[1],)),
        "share": Num(last["share_pct"], 1),
        "span": span_text(last["share_low"], last["share_high"], lang),
        "year": str(last["year"]),
    }


def span_text(low: float, high: float, lang: str) -> str:
    """A share's interval in words, with as many decimals (one to three) as tell its bounds
    apart: ``entre 10,036 et 10,044 %`` / ``between 10.036 and 10.044%``."""
    decimals = next((d for d in (1, 2) if number(low, d, lang) != number(high, d, lang)), 3)
    pct = "\u202f%" if lang == "fr" else "%"
    return (
        f"{word('between', lang)} {number(low, decimals, lang)} {word('and', lang)} "
        f"{number(high, decimals, lang)}{pct}"
    )


# ----------------------------------------------------------------------- report 80


def projection_result(projections: pd.DataFrame, series: str, year: int) -> Result:
    """The projection of ``year`` of ``series`` and the backtest of the rule: every projection
    of the series' family whose year has an outturn, graded."""
    family = SERIES[series].seasonal_family
    mine = projections[[SERIES[s].seasonal_family == family for s in projections["series"]]]
    mine = mine.assign(year=[int(p) for p in mine["period"]])
    target = mine[(mine["series"] == series) & (mine["year"] == year)]
    backtest = mine[mine["grade"].isin(["inside", "outside"])]
    table = pd.concat([target, backtest.drop(target.index, errors="ignore")])
    table = table.assign(is_target=[i in target.index for i in table.index])
    table = table.sort_values(["year", "series"], kind="stable").reset_index(drop=True)
    notes = []
    if target.empty:
        notes.append(Note("note_no_projection", {"series": Codes((series,)), "year": year}))
    used = Counter(
        rid
        for c in ("first_half_release", "outturn_release")
        for rid in table[c]
        if isinstance(rid, str) and rid
    )
    return Result(table, notes, sorted(used, key=lambda r: (-used[r], r)))


def backtest_score(result: Result) -> tuple[int, int]:
    """How many graded years the rule's interval held the outturn, of how many."""
    graded = result.table[result.table["grade"].isin(["inside", "outside"])]
    return int((graded["grade"] == "inside").sum()), len(graded)


def projection_headline(result: Result, series: str, year: int, lang: str) -> str:
    """One sentence: the year's projected interval from its first half, its grade when the
    outturn is known, and how the rule did on the other years."""
    target = result.table[result.table["is_target"]] if not result.table.empty else result.table
    if target.empty or math.isnan(float(target.iloc[0]["low"])):
        return say(Note("projection_none", {"series": Codes((series,)), "year": str(year)}), lang)
    r = target.iloc[0]
    inside, graded = backtest_score(result)
    fields: dict[str, Field] = {
        "series": Codes((series,)),
        "unit": UNIT_LABELS[lang][SERIES[series].currency],
        "year": str(year),
        "half": When(str(r["first_half_period"])),
        "first_half": Num(r["first_half_value"] / 1000, 1),
        "low": Num(r["low"] / 1000, 1),
        "high": Num(r["high"] / 1000, 1),
        "value": Num(r["value"] / 1000, 1),
        "inside": inside,
        "graded": graded,
    }
    text = say(Note("projection_line", fields), lang)
    if r["grade"] in ("inside", "outside"):
        text += " " + say(
            Note(
                f"projection_graded_{r['grade']}",
                {"outturn": Num(float(r["outturn_value"]) / 1000, 2), "unit": fields["unit"]},
            ),
            lang,
        )
    return text
