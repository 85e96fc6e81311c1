"""``draft``: an article's prose read into a reviewable ``figures.csv``.

- On the corpus of invented articles (``tests/fixtures/draft_corpus``), in each language: every
  figure found with its value, unit and qualifier as printed, no scale misread, rows right in
  full at least 85 %, false rows at most 10 % (the benchmark's own scoring,
  ``benchmarks/draft_bench.py``).
- Nothing invented: a proposed value is printed at its span; a unit and a qualifier are printed
  in the text, except a currency carried over, which is said in the note and marked.
- A draft with marks is refused by ``check`` with one message per mark; cleared, it passes.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from support.drafts import review

from digital_exports.contract.draft import (
    detect_language,
    draft_release,
    fold,
    propose,
    read_source,
    review_text,
)
from digital_exports.contract.releases import read_release

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "draft_corpus"
ARTICLES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def _bench():
    spec = importlib.util.spec_from_file_location("draft_bench", ROOT / "benchmarks/draft_bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["draft_bench"] = module
    spec.loader.exec_module(module)
    return module


def _check(raw_folder, release: str) -> list:
    """The contract's problems with one release, as ``check`` finds them (in process: the fast
    tier runs no git)."""
    problems: list = []
    read_release(raw_folder.raw / release, raw_folder.raw, raw_folder.root, problems)
    return problems


@pytest.fixture(scope="module")
def scores() -> dict:
    return _bench().corpus(show=False)


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_the_corpus_is_read_as_a_careful_transcriber_reads_it(scores, language):
    s = scores[language]
    assert s.expected >= 40, "the corpus holds at least 40 figures per language"
    assert s.found == s.expected, s.misses
    assert s.right == s.expected, s.misses
    assert s.scale == 0
    assert s.full >= 0.85 * s.expected, s.misses
    assert s.false <= 0.10 * s.proposed, s.misses


def test_the_scoring_can_fail():
    bench = _bench()
    rows = propose("Les exportations ont atteint 13,4 milliards de dirhams en 2025.", "fr",
                   date(2026, 1, 1))  # fmt: skip
    wrong = [{"value": "13,4", "unit": "milliards de dirhams", "qualifier": "", "series":
              "digital_outsourcing_exports", "segment": "ITO", "period": "2025",
              "measure": "level", "base_period": ""}]  # fmt: skip
    s = bench.score(rows, wrong, "fr", "t")
    assert (s.found, s.right, s.full) == (1, 1, 0)


@pytest.mark.parametrize("folder", ARTICLES, ids=lambda p: p.name)
def test_nothing_is_invented(folder):
    meta = yaml.safe_load((folder / "meta.yml").read_text(encoding="utf-8"))
    text, _ = read_source(next(folder.glob("article.*")).read_text(encoding="utf-8"))
    assert detect_language(text) == meta["language"]
    folded = fold(text)
    assert len(folded) == len(text)  # spans in the folded text are spans of the source
    for r in propose(text, meta["language"], meta["date_published"]):
        printed = text[r.start : r.end]
        assert r.value.lstrip("-+\u2212") in printed, (r.value, printed)
        assert r.qualifier in text
        carried = "without a currency" in r.note
        assert carried or "before the number" in r.note or r.unit in printed, (r.unit, printed)
        if carried:
            assert any("currency carried over" in m for m in r.review)
        if not r.measure:
            assert r.review, "a row with no measure says why"


def test_the_main_text_of_a_page_leaves_its_menus_and_sidebars_out():
    page = (CORPUS / "fr-07-ito-semestre-lematin-html" / "article.html").read_text("utf-8")
    text, title = read_source(page)
    assert title and title in text
    raw_numbers = {"5,42", "1 790"}
    assert all(n in text for n in raw_numbers)
    assert "cookie" not in text.lower() and "©" not in text


def test_a_draft_is_refused_until_its_marks_are_cleared(raw_folder):
    article = (CORPUS / "fr-01-semestre-le360" / "article.txt").read_text(encoding="utf-8")
    draft = draft_release(raw_folder.root, "medias24", "2025-10-18", "draft", article,
                          today=date(2026, 12, 3))  # fmt: skip
    release = "medias24/2025-10-18-draft"
    marks = sum(len(r.review) for r in draft.rows)
    assert marks > 0
    problems = _check(raw_folder, release)
    on_review = [p for p in problems if p.field == "review"]
    assert len(on_review) == marks
    assert all("chars " in str(p) for p in on_review)  # where in the source, for the reviewer
    # The reviewer deletes the rows not about exports, clears the other marks and fills in
    # the release's fields: check passes.
    filled = {
        "title": "Exportations",
        "url": "https://example.org/a",
        "producer": "Office des Changes",
        "notes": "Drafted and reviewed.",
    }
    assert review(draft.folder, filled) == marks
    assert _check(raw_folder, release) == []


def test_the_review_shows_each_row_beside_its_words():
    text = (
        "Au premier semestre 2025, les exportations ont atteint près de 13,4 milliards de dirhams."
    )
    rows = propose(text, "fr", date(2025, 10, 17))
    shown = review_text(rows, text)
    assert "D01" in shown and "2025-H1" in shown and "près de 13,4 milliards" in shown
