"""Errors that name the file, the line, the field, what was found and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Attributes:
        path: the file, relative to the project root where possible.
        line: 1-based line number, or None when the problem is the whole file.
        field: the column or key concerned, or None.
        found: what the file holds.
        expected: what the contract asks for.
    """

    path: str
    line: int | None
    field: str | None
    found: str
    expected: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: found {self.found}; expected {self.expected}"


class InputError(Exception):
    """Base class of the errors raised for bad input; carries one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self._message())

    def _message(self) -> str:
        head = f"{len(self.problems)} problem(s) in the raw data; nothing was written:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class ReleaseFormatError(InputError):
    """A release folder, ``release.yml`` or ``figures.csv`` that breaks the raw-release contract."""


class ChecksumError(InputError):
    """``data/raw/SHA256SUMS`` does not match the files under ``data/raw/``."""


def display_path(path: Path, root: Path | None) -> str:
    """``path`` relative to ``root`` when it lies below it, else as given (POSIX separators)."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
