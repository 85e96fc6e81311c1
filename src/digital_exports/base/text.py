"""Text from the data, made unable to deceive a reader: the invisible characters that reorder or
hide text (bidirectional overrides and isolates, zero-width characters, other format and control
characters) are shown as visible markers wherever such text reaches a page or a chart. A
right-to-left override in an outlet's name (U+202E) would otherwise make "Office des Changes"
appear where the bytes say something else."""

from __future__ import annotations

import re
import unicodedata

#: Characters that change how neighbouring text is displayed without being seen: the
#: bidirectional embeddings, overrides and isolates, marks and zero-width characters.
_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _marker(match: re.Match[str]) -> str:
    return f"\u27e8U+{ord(match[0]):04X}\u27e9"


def reveal(text: str) -> str:
    """``text`` with every hidden formatting character shown as ``⟨U+202E⟩`` and every other
    control character (other than tab and line ends) likewise; printable text unchanged.

    >>> reveal("abc\\u202edef")
    'abc⟨U+202E⟩def'
    """
    text = _HIDDEN.sub(_marker, text)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text):
        text = "".join(
            f"\u27e8U+{ord(ch):04X}\u27e9"
            if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"
            else ch
            for ch in text
        )
    return text
