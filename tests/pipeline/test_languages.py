"""One language per report: the analysis reports (30, 40, 50, 70, 80) in French hold no English
word in their prose, headings, tables, navigation and provenance, and the English ones no French
word; identifiers, file names, release ids and code are not prose and are left out of the check."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.project import copy_world

from digital_exports.analysis import narration
from digital_exports.run.runner import run
from digital_exports.run.steps import STEPS

#: Every report that takes a language (the analyses: 30, 40, 50, 70, 80).
ANALYSES = tuple(s.name for s in STEPS if "lang" in s.params)
#: Words only English writes (none is a French word, an outlet's name or a code).
ENGLISH = frozenset(
    {
        *("the", "and", "with", "which", "from", "this", "of", "is", "are", "was", "were"),
        *("printed", "computed", "chart", "releases", "used", "purpose", "compute", "known"),
        *("what", "how", "hover", "parameters", "packages", "default", "resolved", "level"),
        *("share", "shares", "year", "half", "rounding", "against", "reached"),
    }
)
#: Words only French writes (none is an English word or part of an outlet's name).
FRENCH = frozenset(
    {
        *("données", "niveau", "niveaux", "publiée", "publié", "calculée", "calculé"),
        *("variation", "graphique", "période", "publications", "paramètres", "paquets"),
        *("défaut", "avec", "pour", "sont", "une", "année", "première", "atteint", "contre"),
        *("selon", "arrondis"),
    }
)


class _Prose(HTMLParser):
    """The text a reader reads, without code, scripts and styles."""

    SKIP = frozenset({"code", "pre", "script", "style", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def words_of(page: str) -> set[str]:
    parser = _Prose()
    parser.feed(page)
    tokens = " ".join(parser.parts).split()
    prose = [t for t in tokens if not re.search(r"[_/]|\w\.\w", t)]  # ids, paths, hosts
    return {w.lower() for t in prose for w in re.findall(r"[^\W\d_]+", t)}


@pytest.fixture(scope="module")
def both(built: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built world, with the analyses run in English too."""
    root = copy_world(built["root"], tmp_path_factory.mktemp("languages") / "project")
    out = io.StringIO()
    code = run(root, ["lang=en"], None, False, 2, out=out, only=list(ANALYSES))
    assert code == 0, out.getvalue()
    return root


@pytest.mark.parametrize("step", ANALYSES)
def test_a_french_report_has_no_english_word(both: Path, step: str):
    page = (both / "reports" / "html" / f"{step}.html").read_text(encoding="utf-8")
    found = words_of(page) & ENGLISH
    assert not found, f"{step} (fr) holds English words: {sorted(found)}"


@pytest.mark.parametrize("step", ANALYSES)
def test_an_english_report_has_no_french_word(both: Path, step: str):
    page = (both / "reports" / "html" / f"{step}__lang-en.html").read_text(encoding="utf-8")
    found = words_of(page) & FRENCH
    assert not found, f"{step} (en) holds French words: {sorted(found)}"


def test_the_check_can_fail():
    assert words_of("<p>The chart of <code>the_id</code></p>") & ENGLISH == {"the", "chart", "of"}
    assert not words_of("<p><code>x</code> data/processed/series.csv le360.ma</p>")


def test_every_section_is_written_in_both_languages():
    for step, keys in narration.sections().items():
        for key, texts in keys.items():
            assert set(texts) == {"fr", "en"}, (step, key)
            assert not words_of(f"<p>{texts['fr']}</p>") & ENGLISH, (step, key)
            assert not words_of(f"<p>{texts['en']}</p>") & FRENCH, (step, key)
