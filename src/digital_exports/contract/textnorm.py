"""One normal form for printed words, so that a grammar matches however a page typed them.

French, English and Arabic pages differ in ways that carry no meaning: composed or decomposed
accents, typographic apostrophes, capitals at the start of a heading, double or no-break spaces,
Arabic short vowels, tatweel and the several written forms of alif. :func:`normalize` removes all
of them; the unit and qualifier grammars declare their words in plain text and pass them through
the same function, so a declaration and a print always meet in the same form.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u200b]+")
#: Arabic short vowels, shadda, sukun, superscript alif, and the tatweel (a stretching stroke).
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
#: One form of alif (hamza forms), ``ى`` as ``ي`` and ``ة`` as ``ه``: spelling variants the press
#: uses freely (``أكثر``/``اكثر``, ``حوالى``/``حوالي``, ``عتبة``/``عتبه``).
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
#: Arabic-Indic and Persian digits, and the Arabic decimal and thousands separators.
ARABIC_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)


#: Every one-for-one replacement :func:`normalize` makes (apostrophes, Arabic letters, digits),
#: for readers that must keep each character's position (the draft's spans).
ONE_FOR_ONE = {**_APOSTROPHES, **_ARABIC_LETTERS, **ARABIC_DIGITS}


class GrammarError(ValueError):
    """A printed word that a grammar (units, qualifiers) cannot read, or reads as ambiguous.

    Attributes:
        found: what was printed and what is wrong with it.
        expected: what the grammar accepts.
    """

    def __init__(self, found: str, expected: str) -> None:
        self.found, self.expected = found, expected
        super().__init__(f"{found}; expected {expected}")


def normalize(text: str) -> str:
    """``text`` in the grammar's normal form: NFC, lower case, plain apostrophes, single spaces,
    Arabic without vowel marks or tatweel, with one form of alif, ``ي`` for ``ى`` and ``ه`` for
    ``ة``.

    >>> normalize("Milliards  de  Dirhams")
    'milliards de dirhams'
    >>> normalize("millions d\u2019euros")
    "millions d'euros"
    """
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).casefold()
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    return _SPACES.sub(" ", text).strip()


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known spelling nearest to ``word`` (for "did you mean ...?"), or None if none is near."""
    found = difflib.get_close_matches(word, sorted(set(known)), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` when a known spelling is near ``word``, else ``""``."""
    near = closest(word, known)
    return f" (did you mean {near!r}?)" if near else ""
