"""The sections of the raw-release contract (``data/raw/README.md``) that are generated from the
grammars' declarations, so that the contract a transcriber reads is the one the code applies."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from digital_exports.contract import qualifiers, units

#: Generated section name -> the function that writes it.
SECTIONS = {"units": units.grammar_markdown, "qualifiers": qualifiers.grammar_markdown}


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- generated: {name} [^>]*-->\n)(.*?)(<!-- end generated: {name} -->)", re.S
    )


def _fill(match: re.Match[str], body: str) -> str:
    """A generated section's markers around its new body."""
    return match[1] + "\n" + body + "\n\n" + match[3]


def render(text: str) -> str:
    """``text`` with every generated section rewritten from its declaration.

    Raises:
        ValueError: when a section's markers are missing.
    """
    for name, make in SECTIONS.items():
        pattern = _pattern(name)
        if not pattern.search(text):
            raise ValueError(
                f"data/raw/README.md: no markers for the generated section {name!r}; expected "
                f"'<!-- generated: {name} ... -->' and '<!-- end generated: {name} -->'"
            )
        text = pattern.sub(functools.partial(_fill, body=make()), text)
    return text


def update(readme: Path, check: bool = False) -> bool:
    """Rewrite the generated sections of ``readme``; with ``check``, only say whether they are
    up to date. Returns True when the file is (or now is) up to date."""
    text = readme.read_text(encoding="utf-8")
    fresh = render(text)
    if check:
        return fresh == text
    if fresh != text:
        readme.write_text(fresh, encoding="utf-8")
    return True
