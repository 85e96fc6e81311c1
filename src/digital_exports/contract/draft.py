"""Draft a release from an article's text: every figure found by the grammar of prints, the rest
of each row read from the words around it, and a review mark wherever a rule cannot settle a
field. Nothing is invented: a field no rule settles is left empty and marked, and a figure that
is not about this statistic (jobs, targets, another country) is proposed with ``measure`` empty
and the reason, for the reviewer to decide. ``check`` refuses a release while a mark is left.

How a figure is read (:func:`propose`):

1. **The number and its unit.** Each number of the text (digits in any of the contract's
   notations, thousands separated by spaces) followed by the longest run of words the unit
   grammar reads (``milliards de dirhams``, ``MMDH``, ``%``, ``في المائة``); a currency printed
   before the number (``MAD 13.4 billion``) joins the scale after it; a scale without currency
   takes the currency of the sentence's other amounts (marked). A four-digit year without unit
   is a date, not a figure; a number glued to a letter (``S1``, ``T3``) is a period.
2. **The qualifier.** The longest run of words just before the number that the qualifier grammar
   reads, without its leading neutral words (``ont atteint près de`` gives ``près de``).
3. **The measure.** A money unit is a level; a percentage is a change when a change word
   precedes it in its clause (``hausse``, ``rose``, ``ارتفاع``; a fall, ``recul``, writes the
   value with a minus sign and says so in the note), a share when a share word does (``part``,
   ``représente``, ``حصة``) or ``du total`` follows it. A percentage with neither is marked.
4. **The period.** The period named nearest to the number in its sentence (``au premier semestre
   2025``, ``S1-2025``, ``à fin septembre``, ``in the first nine months``, ``النصف الأول من
   سنة 2025``, ``l'année dernière`` from the article's date), else the last one named before it
   (carried over, as articles do); a period after ``par rapport à``/``contre``/``compared with``
   is the base of a change, never its period.
5. **The base period** of a change: the period after such a word, or the same months a year
   before when the text says so (``même période``, ``year on year``) or says nothing (marked).
6. **The segment** by the nearest words that name one in the sentence (``services
   informatiques``, ``relation client``, ``ingénierie``...), else the total; **the series** by the
   period (the 2023+ framework, the legacy offshoring receipts before 2017, the ministry's
   statements) where the words allow it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from digital_exports.contract import prose
from digital_exports.contract.errors import InputError, Problem
from digital_exports.contract.periods import (
    parse_period,
    period_from_months,
    shift_years,
    year_before,
)
from digital_exports.contract.printed import PrintedValueError, read_printed
from digital_exports.contract.qualifiers import NEGATION, Family, QualifierError, parse_qualifier
from digital_exports.contract.releases import DRAFT_COLUMNS, FIGURE_COLUMNS
from digital_exports.contract.textnorm import ARABIC_DIGITS, ONE_FOR_ONE, GrammarError
from digital_exports.contract.units import CURRENCIES, LANGUAGE_SCALES, SCALES, parse_unit

_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
_NUMBER = re.compile(
    rf"(?<![\w.,\u066b\u066c])(?P<sign>[+\-\u2212])?"
    rf"(?P<num>{_DIGIT}{{1,3}}(?:[ \u00a0\u202f\u066c]{_DIGIT}{{3}})+(?:[.,\u066b]{_DIGIT}+)?"
    rf"|{_DIGIT}+(?:[.,\u066b\u066c]{_DIGIT}+)*)"
)
_WORD = re.compile(r"\S+")
#: Latin letters and signs glued to a number's end that are part of a unit (``26.2bn``, ``3%``).
_GLUED = re.compile(r"^(?:%|٪|bn|mn|m|mds?|mmdh|mdh)\b", re.IGNORECASE)


def fold(text: str) -> str:
    """``text`` in the prose cues' form, one character for one (so that a match's span is the
    source's): lower case, Latin accents off, and the grammar's own one-for-one replacements
    (``textnorm.ONE_FOR_ONE``: apostrophes, Arabic letters and digits); spaces, the minus sign
    and the Arabic separators plain."""
    out = []
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        parts = unicodedata.normalize("NFD", low)
        out.append(parts[0] if len(parts) > 1 and parts[0].isascii() else low)
    return "".join(out).translate(_FOLD)


_FOLD = {
    **ONE_FOR_ONE,
    **str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-",
                     "\u066b": ",", "\u066c": " "}),
}  # fmt: skip
#: The unit grammar's scale and currency words (``contract/units.py``), in the prose's form.
_SCALE_WORDS = frozenset(fold(w) for s in SCALES for w in s.words) | frozenset(
    fold(w) for w in LANGUAGE_SCALES
)
_CURRENCY_WORDS = frozenset(fold(w) for c in CURRENCIES for w in c.words)
_CURRENCY_TOKEN = re.compile(r"[$€]|[^\s$€.,;:()«»\"'،؛]+(?:\.[^\s.,;:()]+)?")


@dataclass
class Proposed:
    """One proposed row of ``figures.csv``, with why it needs review and where it was found."""

    series: str = ""
    segment: str = ""
    period: str = ""
    measure: str = ""
    value: str = ""
    unit: str = ""
    qualifier: str = ""
    base_period: str = ""
    note: str = ""
    review: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    phrase: str = ""

    @property
    def found_at(self) -> str:
        return f"chars {self.start}-{self.end}: {self.phrase}"


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    period: str  # canonical code, or "" when the year is unknown
    base: bool  # named after "par rapport à", "contre", "compared with"...


# ----------------------------------------------------------------------------- periods


def _named_as_base(window: str) -> bool:
    """Whether a period named after ``window`` (the words before it in its sentence) is the
    base of a comparison: a comparison word a few words before it, or with only the compared
    figure between ("contre 12,9 milliards au S1 2024", "par rapport à fin juin 2024"); a
    percentage then a figure before it ("3.5% on the 12.9 bn recorded in H1 2024"); or a past
    reference ("after a flat 2024")."""
    if prose.REFERENCE_CUES.search(window):
        return True
    if re.search(r"[%٪][^%٪]*\d[^%٪]*$", window):
        return True
    for m in prose.BASE_CUES.finditer(window):
        between = window[m.end() :]
        if len(between.split()) <= 3 or re.search(r"\d", between):
            return True
    return False


def _code(kind: str, n: int | None, month: int | None, year: int) -> str:
    if kind == "half":
        return f"{year}-H{n}"
    if kind == "quarter":
        return f"{year}-Q{n}"
    if kind in ("ytd", "months"):
        last = month if kind == "ytd" else n
        assert last is not None
        if last == 12:
            return str(year)
        p = period_from_months(date(year, 1, 1), date(year, last, 28))
        return p.canonical
    return str(year)


def period_mentions(folded: str, published: date) -> list[_Mention]:
    """Every period the text names, in order, with whether it is named as a base.

    A period named without its year takes the year of the last period named before it that is
    not a base; a year named as "the same period of 2024" is the previous period's months in
    that year."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, dict]] = []
    for kind, rx in prose.PERIODS:
        for m in rx.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), kind, m.groupdict()))
    found.sort()
    out: list[_Mention] = []
    last_year, last_sub = published.year, ""
    for start, end, kind, groups in found:
        window = folded[max(0, start - 60) : start]
        window = window[max((m.end() for m in prose.SENTENCE_END.finditer(window)), default=0) :]
        base = _named_as_base(window)
        year = int(groups["y"]) if groups.get("y") else last_year
        if groups.get("ly"):
            year = published.year - 1
        elif not groups.get("y") and last_sub and kind in ("half", "quarter", "ytd", "months"):
            year = parse_period(last_sub).start.year  # "au premier semestre" of the article
        same = last_sub and prose.SAME_PERIOD_BEFORE.search(folded[max(0, start - 40) : start])
        if kind == "last_year" and same:
            code = shift_years(parse_period(last_sub), published.year - 1 - parse_period(
                last_sub).start.year).canonical  # fmt: skip
        elif kind == "last_year":
            code = str(published.year - 1)
        elif kind == "year":
            code = str(year)
            if last_sub and prose.SAME_PERIOD_BEFORE.search(folded[max(0, start - 40) : start]):
                shift = year - parse_period(last_sub).start.year
                code = shift_years(parse_period(last_sub), shift).canonical
        else:
            n = groups.get("n")
            number = prose.ORDINALS.get(n, prose.COUNTS.get(n)) if n else None
            if n and number is None and n.isdigit():
                number = int(n)
            month = prose.MONTHS.get(groups.get("m") or "")
            code = _code(kind, number, month, year)
        if not base:
            last_year = parse_period(code).start.year
            if kind != "year":
                last_sub = code
        out.append(_Mention(start, end, code, base))
    return out


# ----------------------------------------------------------------------------- figures


@dataclass
class _Figure:
    start: int
    end: int
    value: str
    unit: str
    qualifier: str
    unit_kind: str  # level, pct, other
    note: str = ""
    review: list[str] = field(default_factory=list)
    other_word: str = ""


def _digits(text: str) -> str:
    return text.translate(ARABIC_DIGITS)


def _unit_after(text: str, folded: str, end: int, language: str) -> tuple[str, int, str]:
    """The longest run of words after ``end`` that the unit grammar reads: (unit as printed,
    its end, kind ``level``/``pct``), or ("", end, "") when none reads."""
    rest = text[end : end + 80]
    lead = len(rest) - len(rest.lstrip(" \u00a0\u202f"))
    if lead > 1:
        return "", end, ""
    best = ("", end, "")
    words = list(_WORD.finditer(rest))
    for k in range(1, min(len(words), 5) + 1):
        candidate = rest[words[0].start() : words[k - 1].end()] if words else ""
        clean = candidate.rstrip(_TRAILING)
        if any(c in _INSIDE for c in clean) or (
            k > 1 and rest[words[k - 2].end() - 1] in _TRAILING
        ):
            break
        try:
            reading = parse_unit(clean, language)
        except GrammarError:
            continue
        if reading.kind not in ("level", "pct"):
            continue
        kind = "pct" if reading.canonical == "pct" else "level"
        best = (clean, end + words[0].start() + len(clean), kind)
    return best


_TRAILING = ".,;:)»\"'،؛"
_INSIDE = ",;:()،؛"


def _qualifier_before(text: str, folded: str, start: int) -> str:
    """The longest run of words just before ``start`` that the qualifier grammar reads, without
    its leading neutral words; empty when the run says nothing (``de``)."""
    left = text[max(0, start - 80) : start]
    cut = max(left.rfind(c) for c in ",;:()\n.؛،")
    left = left[cut + 1 :] if cut >= 0 else left
    words = [w.group() for w in _WORD.finditer(left)]
    best = ""
    for k in range(1, min(len(words), 7) + 1):
        phrase = " ".join(words[-k:])
        try:
            reading = parse_qualifier(phrase)
        except QualifierError:
            continue
        if reading.family is not Family.ROUNDED or reading.forecast:
            best = phrase
    if not best:
        return ""
    if re.search(r"[%٪]\s*$", text[max(0, start - 80) : start][: -len(best) - 1] or ""):
        return ""  # "3,5 % de plus que les 12,9": a comparison, not a bound of 12,9
    tail = best.split(" ")
    while tail:
        try:
            first = parse_qualifier(tail[0])
        except QualifierError:
            break
        if first.family is not Family.ROUNDED or first.forecast:
            break
        if len(tail) > 1 and _is_negation(tail[1]):
            break  # "did not exceed", "n'a pas dépassé": the auxiliary is printed with it
        rest = " ".join(tail[1:])
        try:
            if not rest or parse_qualifier(rest).family is Family.ROUNDED:
                break
        except QualifierError:
            break
        tail = tail[1:]
    # The words as the page prints them (the run ends right before the number).
    phrase = " ".join(tail)
    at = left.rfind(tail[0]) if tail else -1
    return left[at:].strip() if at >= 0 and _squash(left[at:]) == _squash(phrase) else phrase


def _is_negation(word: str) -> bool:
    folded = fold(word).strip(".,;:")
    return folded in _NEGATIONS or folded.startswith("n'")


_NEGATIONS = frozenset(fold(w) for words in NEGATION.values() for w in words)


def _bound_in_clause(text: str, start: int) -> str:
    """A bound printed a few words before the number, words between ("لم تتجاوز حصة خدمات
    المعرفة 0,2"): the nearest run of words the grammar reads as a bound, in the clause."""
    left = text[max(0, start - 60) : start]
    digits = [i for i, c in enumerate(left) if c.isdigit()]
    cut = max([left.rfind(c) for c in ",;:.\n؛،"] + [digits[-1] if digits else -1])
    left = left[cut + 1 :] if cut >= 0 else left
    if left.lstrip().startswith(("%", "٪")):
        return ""  # "3.5% more than the 12.9 billion": a comparison, not a bound of 12.9
    words = [w.group().strip("()") for w in _WORD.finditer(left)]
    for i in range(len(words) - 1, -1, -1):
        for k in (3, 2, 1):
            phrase = " ".join(words[i : i + k])
            if not phrase or i + k > len(words):
                continue
            try:
                reading = parse_qualifier(phrase)
            except QualifierError:
                continue
            if reading.family is not Family.ROUNDED and (k > 1 or not _is_negation(phrase)):
                if i > 0 and _is_negation(words[i - 1]):
                    return f"{words[i - 1]} {phrase}"
                return phrase
    return ""


def _squash(text: str) -> str:
    return " ".join(text.split())


def find_figures(text: str, language: str) -> list[_Figure]:
    """Every number of ``text`` that is a figure: with its printed unit and qualifier."""
    folded = fold(text)
    found = []
    for m in _NUMBER.finditer(text):
        start, end = m.start(), m.end()
        if start and (text[start - 1].isalpha() and text[start - 1].lower() in "sthq"):
            continue  # S1, T3, Q2, H1: a period
        if end < len(text) and text[end].isalpha() and not _GLUED.match(text[end:]):
            continue
        if _in_date(text, folded, start, end):
            continue  # 2025-10-17, 17/10/2025, 17 octobre: a date, not a figure
        num = _digits(m.group("num"))
        unit, unit_end, kind = _unit_after(text, folded, end, language)
        plain = re.fullmatch(r"(19|20)\d\d", num)
        if plain and not unit:
            continue  # a year
        value = m.group(0)
        fig = _Figure(start, unit_end, value, unit, "", kind or "other")
        if not unit:
            _carries_currency(text, folded, start, end, fig, language)
        if not fig.unit:
            fig.unit_kind = "other"
            scale = _scale_word(text, end)
            fig.value, fig.end = value + scale, end + len(scale)
            fig.other_word = _next_word(text, fig.end)
        fig.qualifier = _qualifier_before(text, folded, start)
        if not fig.qualifier:
            fig.qualifier = _bound_in_clause(text, start)
            if fig.qualifier:
                fig.review.append(f"qualifier '{fig.qualifier}' printed a few words before: check")
        found.append(fig)
    return found


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")
_MONTH_AFTER = re.compile(rf"\s+(?:{'|'.join(map(re.escape, prose.MONTHS))})\b")


def _in_date(text: str, folded: str, start: int, end: int) -> bool:
    """Whether the number at ``start:end`` is part of a date (ISO or day/month/year) or the day
    before a month's name."""
    for m in _DATE.finditer(text, max(0, start - 8), min(len(text), end + 8)):
        if m.start() <= start and end <= m.end():
            return True
    return bool(_MONTH_AFTER.match(folded, end)) and len(text[start:end]) <= 2


def _next_word(text: str, end: int) -> str:
    m = _WORD.search(text, end)
    return m.group().strip(_TRAILING + "(") if m else ""


def _scale_word(text: str, end: int) -> str:
    """A thousands word glued to a count (``50 ألف``, ``4 million`` jobs), kept in the value."""
    m = re.match(r"\s+(ألف|الف|آلاف|mille|thousand)\b", text[end:])
    return m.group(0) if m else ""


def _carries_currency(
    text: str, folded: str, start: int, end: int, fig: _Figure, language: str
) -> None:
    """A scale printed without its currency: the currency printed just before the number joins
    it (``MAD 13.4 billion``), else the sentence's currency is carried over, and marked."""
    after = _WORD.search(text, end)
    if after is None or after.start() - end > 1:
        return
    scale = after.group().rstrip(_TRAILING)
    if fold(scale) not in _SCALE_WORDS:
        return
    before = text[max(0, start - 6) : start].rstrip().split(" ")[-1]
    if before and fold(before) in _CURRENCY_WORDS:
        currency = before
        unit = f"{currency} {scale}"
        note = f"printed '{currency} {fig.value} {scale}': the currency before the number"
        review = ""
    else:
        lo, hi = _sentence(folded, start)
        m = next(
            (t for t in _CURRENCY_TOKEN.finditer(folded, lo, hi) if t.group() in _CURRENCY_WORDS),
            None,
        )
        if m is None:
            return
        currency = text[m.start() : m.end()]
        unit = f"{scale} de {currency}" if language == "fr" else f"{scale} {currency}"
        note = (
            f"printed '{fig.value} {scale}' without a currency: {currency} carried over from "
            "the sentence"
        )
        review = "currency carried over from the sentence: check it"
    try:
        reading = parse_unit(unit, language)
    except GrammarError:
        return
    fig.unit, fig.note = unit, note
    fig.unit_kind = "pct" if reading.canonical == "pct" else "level"
    fig.end = after.start() + len(scale)
    fig.value = fig.value.strip()
    if review:
        fig.review.append(review)


def _sentence(folded: str, at: int) -> tuple[int, int]:
    starts = [m.end() for m in prose.SENTENCE_END.finditer(folded, 0, at)]
    start = starts[-1] if starts else 0
    m = prose.SENTENCE_END.search(folded, at)
    return start, m.start() if m else len(folded)


def _clause(folded: str, start: int, end: int) -> tuple[int, int]:
    befores = [m.end() for m in prose.CLAUSE_END.finditer(folded, 0, start)]
    m = prose.CLAUSE_END.search(folded, end)
    return (befores[-1] if befores else 0), (m.start() if m else len(folded))


# ----------------------------------------------------------------------------- rows


def _nearest_cue(cues: tuple[tuple[str, re.Pattern[str]], ...], window: str) -> str:
    """The code of the cue that ends last in ``window`` (the words nearest the number)."""
    best, at = "", -1
    for code, rx in cues:
        for m in rx.finditer(window):
            if m.end() > at:
                best, at = code, m.end()
    return best


def _period_of(
    fig: _Figure, mentions: list[_Mention], folded: str, starts: list[int]
) -> tuple[str, bool]:
    """The period of a figure, and whether it was carried over from an earlier sentence.

    A period named right after the figure, before any other figure, is its own ("12,9
    milliards au S1 2024"), even when it is also a base; otherwise the nearest period named in
    its sentence that is not a base; otherwise the last one named before its sentence."""
    lo, hi = _sentence(folded, fig.start)
    nxt = min((s for s in starts if s > fig.start), default=len(folded))
    after = [
        m for m in mentions
        if fig.end <= m.start < min(hi, nxt) and m.start - fig.end <= 30 and m.period
        and not prose.BASE_CUES.search(folded[fig.end : m.start])
    ]  # fmt: skip
    if after:
        return after[0].period, False
    own = [m for m in mentions if lo <= m.start < hi and not m.base and m.period]
    if prose.YEAR_EARLIER_AFTER.match(folded[fig.end : min(hi, nxt)]):
        current = [m for m in own if m.end <= fig.start] or [
            m for m in mentions if m.end <= fig.start and not m.base and m.period
        ]
        if current:
            return year_before(current[-1].period), False
    before = [m for m in own if m.end <= fig.start]
    if before:
        return before[-1].period, False
    later = [m for m in own if m.start >= fig.end]
    if later:
        return later[0].period, False
    earlier = [m for m in mentions if m.end <= lo and not m.base and m.period]
    if earlier:
        return earlier[-1].period, True
    return "", False


def _base_of(fig: _Figure, period: str, mentions: list[_Mention], folded: str) -> tuple[str, str]:
    """The base period of a change, and a review mark when it was assumed."""
    lo, hi = _sentence(folded, fig.start)
    bases = [m for m in mentions if m.base and fig.end <= m.start < hi and m.period]
    if bases:
        return bases[0].period, ""
    if not period:
        return "", "no period, so no base period: fill both"
    same = prose.SAME_PERIOD_BEFORE.search(folded[lo:hi])
    if same:
        return year_before(period), ""
    earlier = [m for m in mentions if m.base and lo <= m.start < fig.start and m.period]
    if earlier:
        return earlier[-1].period, ""
    return year_before(period), "base period not printed: the same period a year before is assumed"


def _measure_of(fig: _Figure, folded: str) -> tuple[str, bool]:
    """``level``, ``change_pct`` or ``share_pct`` (or empty), and whether a change is a fall."""
    if fig.unit_kind == "level":
        return "level", False
    if fig.unit_kind != "pct":
        return "", False
    lo, _hi = _clause(folded, fig.start, fig.end)
    window = folded[max(lo - 60, _sentence(folded, fig.start)[0]) : fig.start]
    after = folded[fig.end : fig.end + 40]
    if prose.AVERAGE_CUES.search(window[-50:]) or prose.AVERAGE_CUES.match(after[:30]):
        return "avg_growth_pct", False
    if fig.value.startswith(("+", "-", "\u2212")):
        return "change_pct", fig.value.startswith(("-", "\u2212"))
    change = max((m.end() for m in prose.CHANGE_CUES.finditer(window)), default=-1)
    share = max((m.end() for m in prose.SHARE_BEFORE.finditer(window)), default=-1)
    if prose.SHARE_AFTER.match(after) and change < len(window) - 25:
        return "share_pct", False
    if change > share:
        fall = any(m.end() == change for m in prose.FALL_CUES.finditer(window)) or bool(
            prose.FALL_CUES.search(window[max(0, change - 20) : change])
        )
        return "change_pct", fall
    if share >= 0:
        return "share_pct", False
    return "", False


def _first_year_in(folded: str, at: int, mentions: list[_Mention], period: str) -> str:
    """The earliest year named in the sentence other than ``period``'s (the start of an
    average growth: "entre 2011 et 2015")."""
    lo, hi = _sentence(folded, at)
    years = sorted(
        {m.period[:4] for m in mentions if lo <= m.start < hi and m.period} - {period[:4]}
    )
    return years[0] if years and period and years[0] < period[:4] else ""


def _segment_of(fig: _Figure, folded: str, rows: list[Proposed]) -> str:
    """The segment named nearest before the figure in its sentence (else just after it in its
    clause); several segments listed are the total; a sentence opened by a pronoun ("Elles
    représentent") speaks of the segment of the row before; otherwise the total."""
    lo, _hi = _sentence(folded, fig.start)
    before = folded[lo : fig.start]
    named = {code for code, rx in prose.SEGMENT_CUES if rx.search(before)}
    if len(named - {"ITO_CRM"}) >= 3:
        return "total"
    found = _nearest_cue(prose.SEGMENT_CUES, before) or _nearest_cue(
        prose.SEGMENT_CUES, folded[fig.end : _clause(folded, fig.start, fig.end)[1]]
    )
    if found:
        return found
    if prose.PRONOUN_START.match(before) and rows and rows[-1].segment:
        return rows[-1].segment
    return "total"


def _not_about(fig: _Figure, folded: str) -> str:
    lo, hi = _clause(folded, fig.start, fig.end)
    clause = folded[lo:hi]
    if fig.unit_kind == "other":
        word = fig.other_word or "no unit"
        return f"not an amount of money nor a percentage ({word})"
    for why, rx in prose.NOT_ABOUT:
        if rx.search(clause):
            return why
    lo, hi = _sentence(folded, fig.start)
    sentence = folded[lo:hi]
    if not prose.ABOUT.search(sentence) and not any(
        rx.search(sentence) for _c, rx in prose.SEGMENT_CUES
    ):
        for why, rx in prose.NOT_ABOUT:
            if why in ("another statistic", "another country") and rx.search(sentence):
                return why
    return ""


def _series_of(period: str, segment: str, folded: str) -> tuple[str, str]:
    """The series a period and the text's words point to, and a mark when unsure."""
    if not period:
        return "", "no period: fill the series too"
    year = parse_period(period).start.year
    ministry_only = (
        prose.MINISTRY.search(folded)
        and "outsourc" in folded
        and not any(rx.search(folded) for _c, rx in prose.SEGMENT_CUES)
    )
    if year >= 2023 and not (ministry_only and year == 2023):
        return "digital_outsourcing_exports", ""
    if year <= 2016:
        if prose.LEGACY.search(folded):
            return "offshoring_receipts", ""
        return "offshoring_receipts", "a figure before 2017: the legacy offshoring receipts? check"
    if prose.MINISTRY.search(folded):
        return "outsourcing_exports_mtnra", ""
    return "", f"which series publishes {period}? (none is known for this year): fill it"


def propose(text: str, language: str, published: date) -> list[Proposed]:
    """Every figure of ``text`` as a proposed row of ``figures.csv`` (see the module's rules)."""
    folded = fold(text)
    mentions = period_mentions(folded, published)
    rows = []
    figures = find_figures(text, language)
    title_end = text.find("\n") if "\n" in text.strip() else 0
    body = {_digits(f.value) for f in figures if f.start > title_end}
    figures = [f for f in figures if f.start > title_end or _digits(f.value) not in body]
    starts = [f.start for f in figures]
    for fig in figures:
        row = Proposed(value=fig.value.strip(), unit=fig.unit, qualifier=fig.qualifier,
                       note=fig.note, review=list(fig.review), start=fig.start,
                       end=fig.end)  # fmt: skip
        row.phrase = " ".join(x for x in (fig.qualifier, text[fig.start : fig.end]) if x)
        not_about = _not_about(fig, folded)
        if not_about:
            row.review.append(f"not about this statistic? {not_about}: delete the row, or fill it")
            rows.append(row)
            continue
        period, carried = _period_of(fig, mentions, folded, starts)
        measure, fall = _measure_of(fig, folded)
        segment = _segment_of(fig, folded, rows)
        row.period, row.measure = period, measure
        row.series, mark = _series_of(period, segment, folded)
        row.segment = segment
        if mark:
            row.review.append(mark)
        if not period:
            row.review.append("no period named in the text before it: fill it")
        elif carried:
            row.note = _join(row.note, "period carried over from an earlier sentence")
        if not measure and fig.unit_kind == "pct" and segment != "total":
            measure = row.measure = "share_pct"  # a segment's bare percentage in a breakdown
            row.review.append("no word says share: a share of the total is assumed, check it")
        if not measure:
            row.review.append("a percentage with no word saying change or share: fill measure")
        if measure == "avg_growth_pct":
            row.base_period = _first_year_in(folded, fig.start, mentions, period)
            if not row.base_period:
                row.review.append("average growth since when? fill base_period")
        if measure == "change_pct":
            if fall and not row.value.startswith(("-", "\u2212")):
                row.value = "-" + row.value.lstrip("+")
                row.note = _join(row.note, "printed as a fall (a verb), written with a minus sign")
            row.base_period, mark = _base_of(fig, period, mentions, folded)
            if mark:
                row.review.append(mark)
        _check_reading(row, language)
        rows.append(row)
    return rows


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b


def _check_reading(row: Proposed, language: str) -> None:
    """Mark a row whose value, unit and qualifier the contract would refuse."""
    try:
        read_printed(row.value, row.unit, row.qualifier, language=language)
    except (PrintedValueError, GrammarError) as exc:
        row.review.append(f"the contract refuses this print ({exc}): fix it")


# ----------------------------------------------------------------------------- the source


def read_source(raw: str) -> tuple[str, str]:
    """The article's main text and its title from a file's contents: saved HTML goes through
    trafilatura (menus, cookie banners, "read also" boxes and footers are not the article);
    plain text is taken as it is, its first line as the title."""
    if re.search(r"<\s*(html|body|article|p|div)\b", raw[:5000], re.IGNORECASE):
        import trafilatura

        doc = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, include_tables=False
        )
        if doc is None:
            return "", ""
        found = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        text = str(found.get("text") or "")
        title = str(found.get("title") or "")
        return (f"{title}\n\n{text}" if title and not text.startswith(title) else text), title
    text = raw.replace("\r\n", "\n")
    first = text.strip().split("\n", 1)[0].strip()
    return text, first if len(first) < 200 else ""


_FRENCH = re.compile(r"\b(?:le|la|les|des|du|une|est|dans|pour|selon|avec|sur|au)\b")
_ENGLISH = re.compile(r"\b(?:the|of|and|in|to|with|from|for|was|were|has|by)\b")


def detect_language(text: str) -> str:
    """``ar`` when most letters are Arabic; else ``fr`` or ``en`` by their commonest short
    words (a closed choice of three languages with disjoint scripts and function words needs no
    statistical model)."""
    letters = [c for c in text if c.isalpha()]
    arabic = sum("\u0600" <= c <= "\u06ff" for c in letters)
    if letters and arabic / len(letters) > 0.5:
        return "ar"
    low = text.lower()
    return "fr" if len(_FRENCH.findall(low)) >= len(_ENGLISH.findall(low)) else "en"


def rows_csv(rows: list[Proposed], columns: tuple[str, ...] = FIGURE_COLUMNS) -> str:
    """The proposed rows as ``figures.csv`` with the draft's columns (ids ``D01``...)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*columns, *DRAFT_COLUMNS))
    for i, r in enumerate(rows, start=1):
        fields = {
            "figure_id": f"D{i:02d}",
            "series": r.series,
            "segment": r.segment,
            "period": r.period,
            "measure": r.measure,
            "value": r.value,
            "unit": r.unit,
            "qualifier": r.qualifier,
            "base_period": r.base_period,
            "note": r.note,
            "reading": "",
        }
        writer.writerow((*(fields[c] for c in columns), " | ".join(r.review), r.found_at))
    return out.getvalue()


def review_text(rows: list[Proposed], text: str, width: int = 70) -> str:
    """Each proposed row beside the words around it in the source, for the terminal."""
    lines = []
    for i, r in enumerate(rows, start=1):
        lo, hi = max(0, r.start - width), min(len(text), r.end + width)
        context = " ".join(text[lo:hi].split())
        fields = f"{r.series or '?'} | {r.segment or '?'} | {r.period or '?'} | " + (
            f"{r.measure or '?'} | {r.value} {r.unit} | {r.qualifier or '-'} | "
            f"base {r.base_period or '-'}"
        )
        lines += [f"D{i:02d}  {fields}", f"     …{context}…"]
        lines += [f"     ! {mark}" for mark in r.review]
        lines.append("")
    return "\n".join(lines)


@dataclass
class Draft:
    """A drafted release: its folder, the text read, its language and the proposed rows."""

    folder: Path
    text: str
    language: str
    title: str
    rows: list[Proposed]


def draft_release(
    root: Path,
    outlet: str,
    day: str,
    slug: str,
    source: str,
    source_name: str = "-",
    today: date | None = None,
) -> Draft:
    """Create ``data/raw/OUTLET/DAY-SLUG/`` as ``new-release`` does, with ``release.yml``
    pre-filled where the text allows (its language; its title when the page has one) and a
    ``figures.csv`` draft: every figure of ``source`` proposed, with review marks.

    Raises:
        ReleaseCommandError: a malformed outlet, date or slug, or a folder that exists.
        DraftError: a source with no text, or no number in it.
    """
    from digital_exports.contract.commands import new_release

    text, title = read_source(source)
    if not text.strip():
        raise DraftError(
            source_name, "no text (an empty file, or a page with no article)", "an article"
        )
    language = detect_language(text)
    published = date.fromisoformat(day) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None
    rows = propose(text, language, published or date.today())
    prefill = {"language": language, "title": title} if title else {"language": language}
    folder = new_release(root, outlet, day, slug, today=today, prefilled=prefill)
    (folder / "figures.csv").write_text(rows_csv(rows), encoding="utf-8")
    return Draft(folder, text, language, title, rows)


class DraftError(InputError):
    """A source the draft cannot read."""

    def __init__(self, source: str, found: str, expected: str) -> None:
        super().__init__([Problem(source, None, None, found, expected)])
