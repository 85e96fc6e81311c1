"""How well ``draft`` reads articles: per language, figures found, figures right (value, unit,
qualifier), rows right in full, false rows, and scale misreads.

    .venv/bin/python benchmarks/draft_bench.py                 # the corpus of tests/fixtures
    .venv/bin/python benchmarks/draft_bench.py --corpus tests/fixtures/draft_holdout
    .venv/bin/python benchmarks/draft_bench.py ARTICLE [--expected figures.csv]
        [--date YYYY-MM-DD] [--language fr|en|ar] [--show]

A corpus article is a folder with ``article.txt`` or ``article.html``, ``meta.yml`` (outlet,
date_published, language), ``expected.csv`` (the release a careful transcriber makes) and
``others.csv`` (the numbers that are not figures of this statistic). Definitions, per language:

- *found*: an expected figure with a proposed row holding the same number (sign aside);
- *right*: found with the same value, unit and qualifier as printed;
- *full*: right, and the same series, segment, period, measure and base period;
- *false rows*: proposed rows given a measure (proposed as figures of this statistic) whose
  number is no expected figure, over all rows given a measure;
- *scale misread*: a found figure whose proposed reading is a power of ten away from the
  expected one.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from digital_exports.contract.draft import Proposed, detect_language, propose, read_source
from digital_exports.contract.periods import PeriodError, parse_period
from digital_exports.contract.printed import PrintedValueError, read_printed

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "draft_corpus"
FULL = ("series", "segment", "period", "measure", "base_period")


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    right: int = 0
    full: int = 0
    proposed: int = 0
    false: int = 0
    scale: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("expected", "found", "right", "full", "proposed", "false", "scale"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses


def _digits(value: str) -> str:
    return re.sub(r"[^0-9٠-٩۰-۹.,٫]", "", value).strip(".,")


def _same(field: str, got: str, want: str) -> bool:
    """Fields compare as written, periods as the months they cover (``2016-01..2016-06`` is
    ``2016-H1``)."""
    if field in ("period", "base_period") and got and want:
        try:
            return parse_period(got).canonical == parse_period(want).canonical
        except PeriodError:
            return False
    return got == want


def _squash(text: str) -> str:
    return " ".join(str(text or "").split()).casefold()


def _read(value: str, unit: str, qualifier: str, language: str) -> float | None:
    try:
        return read_printed(value, unit, qualifier, language=language).value
    except (PrintedValueError, ValueError):
        return None


def score(rows: list[Proposed], expected: list[dict], language: str, name: str) -> Score:
    """Match expected rows to proposed ones (the same number, in text order) and count."""
    s = Score(expected=len(expected))
    free = list(range(len(rows)))
    matched: set[int] = set()
    for e in expected:
        same = [i for i in free if _digits(rows[i].value) == _digits(e["value"])]
        exact = [
            i
            for i in same
            if _squash(rows[i].value) == _squash(e["value"])
            and _squash(rows[i].unit) == _squash(e["unit"])
            and _squash(rows[i].qualifier) == _squash(e["qualifier"])
        ]
        pick = next(
            (i for i in exact if all(_same(c, getattr(rows[i], c), e[c]) for c in FULL)),
            exact[0] if exact else (same[0] if same else None),
        )
        if pick is None:
            s.misses.append(f"{name}: not found {e['value']} {e['unit']}")
            continue
        free.remove(pick)
        matched.add(pick)
        r = rows[pick]
        s.found += 1
        want = _read(e["value"], e["unit"], e["qualifier"], language)
        got = _read(r.value, r.unit, r.qualifier, language)
        if want and got and abs(math.log10(abs(got / want))) > 0.5:
            s.scale += 1
        if pick not in exact:
            s.misses.append(
                f"{name}: {e['value']} {e['unit']} [{e['qualifier']}] read as "
                f"{r.value} {r.unit} [{r.qualifier}]"
            )
            continue
        s.right += 1
        wrong = [c for c in FULL if not _same(c, getattr(r, c), e[c])]
        if wrong:
            s.misses.append(
                f"{name}: {e['value']} {e['unit']}: "
                + ", ".join(f"{c} {getattr(r, c)!r} (expected {e[c]!r})" for c in wrong)
            )
        else:
            s.full += 1
    for i, r in enumerate(rows):
        if r.measure:
            s.proposed += 1
            if i not in matched:
                s.false += 1
                s.misses.append(f"{name}: false row {r.value} {r.unit} ({r.measure})")
    return s


def run_article(
    path: Path, expected: list[dict], language: str | None, published: date
) -> tuple[str, Score]:
    text, _title = read_source(path.read_text(encoding="utf-8"))
    lang = language or detect_language(text)
    rows = propose(text, lang, published)
    return lang, score(rows, expected, lang, path.parent.name)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "") for k, v in r.items()} for r in csv.DictReader(f)]


def corpus(show: bool, where: Path = CORPUS) -> dict[str, Score]:
    by_lang: dict[str, Score] = defaultdict(Score)
    for folder in sorted(p for p in where.iterdir() if p.is_dir()):
        meta = yaml.safe_load((folder / "meta.yml").read_text(encoding="utf-8"))
        article = next(folder.glob("article.*"))
        published = meta["date_published"]
        lang, s = run_article(article, _rows(folder / "expected.csv"), None, published)
        if lang != meta["language"]:
            s.misses.append(f"{folder.name}: language detected {lang}, printed {meta['language']}")
        by_lang[meta["language"]].add(s)
    return dict(by_lang)


def table(by_lang: dict[str, Score]) -> str:
    head = (
        "| language | figures | found | right (value, unit, qualifier) | right in full "
        "| false rows | scale misread |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]
    total = Score()
    for lang in sorted(by_lang):
        total.add(by_lang[lang])
    for name, s in [*sorted(by_lang.items()), ("all", total)]:
        pct = lambda a, b: f"{a}/{b} ({100 * a / b:.0f} %)" if b else "—"  # noqa: E731
        lines.append(
            f"| {name} | {s.expected} | {pct(s.found, s.expected)} | {pct(s.right, s.expected)} "
            f"| {pct(s.full, s.expected)} | {pct(s.false, s.proposed)} | {s.scale} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("article", nargs="?", type=Path, help="an article file (default: corpus)")
    parser.add_argument("--expected", type=Path, help="the release's figures.csv to compare with")
    parser.add_argument("--date", type=date.fromisoformat, default=None)
    parser.add_argument("--language", choices=("fr", "en", "ar"))
    parser.add_argument("--show", action="store_true", help="list every miss")
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, help="a corpus folder (default: the tuning corpus)"
    )
    args = parser.parse_args(argv)
    if args.article is None:
        by_lang = corpus(args.show, args.corpus)
    else:
        expected = _rows(args.expected) if args.expected else []
        published = args.date or date.today()
        lang, s = run_article(args.article, expected, args.language, published)
        by_lang = {lang: s}
    print(table(by_lang))
    if args.show:
        for s in by_lang.values():
            print("\n".join(s.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
