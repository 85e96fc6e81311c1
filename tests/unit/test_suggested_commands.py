"""Every command the package suggests to its user works as printed, from the project folder,
without activating anything: a ``make`` target that exists, or the command line through
``.venv/bin/python`` (never a bare ``python -m digital_exports``, which needs an activated
environment)."""

from __future__ import annotations

import re
from pathlib import Path

from digital_exports.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "src" / "digital_exports").rglob("*.py"))


def _strings() -> str:
    """The string literals of the package's sources (where a suggestion can be printed)."""
    import io
    import tokenize

    found = []
    for p in SOURCES:
        tokens = tokenize.generate_tokens(io.StringIO(p.read_text(encoding="utf-8")).readline)
        # f-strings are STRING tokens up to Python 3.11, FSTRING_MIDDLE pieces from 3.12
        kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
        found += [t.string for t in tokens if t.type in kinds]
    return "\n".join(found)


def test_no_suggestion_needs_an_activated_environment():
    bare = [
        (p.relative_to(ROOT).as_posix(), n)
        for p in SOURCES
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"(?<![/\w.])python -m digital_exports \w", line)
        and '"""' not in line
        and "prog=" not in line
        and not line.lstrip().startswith("#")
    ]
    assert not bare, f"bare 'python -m digital_exports' suggested at {bare}"


def test_every_suggested_make_target_exists():
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))
    suggested = set(re.findall(r"\bmake ([a-z][a-z-]+)\b", _strings()))
    assert suggested, "the check can fail: no make target found in the sources"
    assert suggested <= targets, sorted(suggested - targets)


def test_every_suggested_subcommand_exists(capsys):
    suggested = set(re.findall(r"\.venv/bin/python -m digital_exports ([a-z-]+)", _strings()))
    assert suggested
    for command in sorted(suggested):
        try:
            main([command, "--help"])
        except SystemExit as exc:
            assert exc.code == 0, command
    capsys.readouterr()


def test_every_field_of_release_yml_has_its_help_in_the_template():
    """new-release writes every field with its help: a new optional field needs its line."""
    from digital_exports.contract.commands import FIELD_HELP
    from digital_exports.contract.releases import OPTIONAL_KEYS, REQUIRED_KEYS

    assert set(REQUIRED_KEYS) | set(OPTIONAL_KEYS) == set(FIELD_HELP)
