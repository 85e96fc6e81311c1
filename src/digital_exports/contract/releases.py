"""The raw-release contract: find, verify, read and validate releases under ``data/raw/``.

A release is a folder ``<outlet>/<YYYY-MM-DD>-<slug>/`` holding ``release.yml`` (where and when
the figures were printed) and ``figures.csv`` (one row per printed figure). The contract is
documented in ``data/raw/README.md``; this module enforces it and reports every breach with the
file, line, field, what was found and what was expected.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from digital_exports.base import yamlsafe
from digital_exports.base.hashing import sha256_file
from digital_exports.contract.errors import ChecksumError, Problem, ReleaseFormatError, display_path
from digital_exports.contract.periods import PeriodError, parse_period
from digital_exports.contract.printed import (
    NUMBER_NOTATIONS,
    PrintedValueError,
    Reading,
    plausibility_problem,
    read_printed,
)
from digital_exports.contract.producers import producer_key
from digital_exports.contract.textnorm import did_you_mean
from digital_exports.contract.vocab import (
    DATA_STATUSES,
    LANGUAGES,
    MEASURE_UNITS,
    MEASURES,
    MEASURES_WITH_BASE,
    SEGMENTS,
    SERIES,
)

CHECKSUM_FILE = "SHA256SUMS"
FIGURE_COLUMNS = (
    "figure_id",
    "series",
    "segment",
    "period",
    "measure",
    "value",
    "unit",
    "qualifier",
    "base_period",
    "note",
)
REQUIRED_KEYS = (
    "title",
    "outlet",
    "url",
    "date_published",
    "date_accessed",
    "language",
    "producer",
    "data_status",
    "notes",
)
OPTIONAL_KEYS = (
    "date_note",
    "also_printed_by",
    "decimal_mark",
    "number_notation",
    "supersedes",
    "revises",
)
#: Columns ``figures.csv`` may add after :data:`FIGURE_COLUMNS`: ``reading``, the reading the
#: transcriber declares for a qualifier the grammar does not know (``qualifiers.READINGS``).
OPTIONAL_FIGURE_COLUMNS = ("reading",)
#: Columns a draft (``draft``, :mod:`digital_exports.contract.draft`) adds at the end:
#: ``review``, why a row needs a person (``check`` refuses the release while one is left), and
#: ``found_at``, where in the source the figure was found (a character span and the number
#: phrase, never the article's sentence). Both may stay once the marks are cleared.
DRAFT_COLUMNS = ("review", "found_at")
#: Every layout of ``figures.csv`` the contract accepts.
FIGURE_LAYOUTS = tuple(
    FIGURE_COLUMNS + optional + draft
    for optional in ((), OPTIONAL_FIGURE_COLUMNS)
    for draft in ((), DRAFT_COLUMNS)
)
_OUTLET_DIR = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_RELEASE_DIR = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: A code-like field (``figure_id``): letters, digits, ``.``, ``-`` and ``_``, no spaces, no
#: markup; it is quoted in reports and file names, so it is held to a grammar, not escaped.
_CODE = re.compile(r"[A-Za-z0-9._-]{1,80}")


#: The largest files a release may hold: far above any real page (the largest release, a
#: bulk exchange-rate file, is 4 KB of figures), far below what would hold the run up.
MAX_YAML_BYTES = 64 * 1024
MAX_FIGURES_BYTES = 2 * 1024 * 1024
MAX_FIGURE_ROWS = 10_000
#: The longest field of ``figures.csv`` (a note is a sentence or two).
MAX_FIELD_CHARS = 4_000


# --------------------------------------------------------------------------- checksums


#: Files at the top of ``data/raw/`` that are not raw data: the checksums themselves, and the
#: contract, whose grammar sections are generated from the code and change with it.
NOT_SEALED = (CHECKSUM_FILE, "README.md")


def raw_files(raw_dir: Path) -> list[str]:
    """Every file of a release below ``raw_dir``, as sorted POSIX paths."""
    return sorted(
        p.relative_to(raw_dir).as_posix()
        for p in raw_dir.rglob("*")
        if p.is_file() and p.relative_to(raw_dir).as_posix() not in NOT_SEALED
    )


def links_in(raw_dir: Path, root: Path | None = None) -> list[Problem]:
    """A problem for every symbolic link below ``raw_dir`` (a file or a folder): raw data are
    sealed where they are, and a link could point anywhere, outside the project included."""
    import os

    found = []
    for folder, dirs, files in os.walk(raw_dir, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink():
                found.append(
                    Problem(
                        display_path(path, root),
                        None,
                        None,
                        f"a link to {os.readlink(path)}",
                        "a file or folder of data/raw itself, not a link: raw data are sealed "
                        "where they are, and a link could point anywhere",
                    )
                )
    return found


def read_checksums(raw_dir: Path, root: Path | None = None) -> dict[str, str]:
    """Parse ``SHA256SUMS`` (``<hex>  <path>`` lines, paths relative to ``raw_dir``).

    Raises:
        ChecksumError: when the file is missing or a line is malformed.
    """
    sums_path = raw_dir / CHECKSUM_FILE
    shown = display_path(sums_path, root)
    if not sums_path.is_file():
        raise ChecksumError(
            [Problem(shown, None, None, "no such file", "a sha256sum listing of data/raw/")]
        )
    listed: dict[str, str] = {}
    problems = []
    for n, line in enumerate(sums_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        m = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line)
        if not m:
            problems.append(Problem(shown, n, None, repr(line[:80]), "'<64 hex digits>  <path>'"))
            continue
        listed[m[2]] = m[1]
    if problems:
        raise ChecksumError(problems)
    return listed


def verify_checksums(raw_dir: Path, root: Path | None = None) -> None:
    """Check every file below ``raw_dir`` against ``SHA256SUMS``.

    Raises:
        ChecksumError: naming each file whose checksum differs, each listed file that is missing
            and each file that is not listed.
    """
    links = links_in(raw_dir, root)
    if links:
        raise ChecksumError(links)
    listed = read_checksums(raw_dir, root)
    present = set(raw_files(raw_dir))
    problems = []
    for rel in sorted(set(listed) | present):
        shown = display_path(raw_dir / rel, root)
        if rel in NOT_SEALED:
            # An earlier layout sealed the contract's README: the file is there, but it is
            # documentation (regenerated from the grammars), never sealed.
            problems.append(
                Problem(
                    display_path(raw_dir / CHECKSUM_FILE, root),
                    None,
                    None,
                    f"a line for {rel}, which is never sealed (the contract's documentation is "
                    "regenerated from the code)",
                    f"no line for {rel} in {CHECKSUM_FILE}: delete that line (the other lines "
                    "stay as they are)",
                )
            )
        elif rel not in present:
            problems.append(
                Problem(shown, None, None, "the file is missing", f"it to exist ({CHECKSUM_FILE})")
            )
        elif rel not in listed:
            problems.append(
                Problem(
                    shown,
                    None,
                    None,
                    f"a file not listed in {CHECKSUM_FILE}",
                    "every file under data/raw/ to be listed (make seal, once make check passes)",
                )
            )
        else:
            actual = sha256_file(raw_dir / rel)
            if actual != listed[rel]:
                problems.append(
                    Problem(
                        shown,
                        None,
                        None,
                        f"sha256 {actual}",
                        f"sha256 {listed[rel]} as listed in {CHECKSUM_FILE}: raw data are "
                        "never edited once committed; add a new release instead (a file not "
                        "committed yet: .venv/bin/python -m digital_exports checksums "
                        "--update PATH)",
                    )
                )
    if problems:
        raise ChecksumError(problems)


def add_checksums(raw_dir: Path, root: Path | None = None) -> list[str]:
    """List the files that ``SHA256SUMS`` does not list yet, and return them.

    Files already listed are verified, never re-hashed into the listing: an edited raw file
    stays an error.

    Raises:
        ChecksumError: when a listed file is missing or has changed.
    """
    sums_path = raw_dir / CHECKSUM_FILE
    listed = read_checksums(raw_dir, root) if sums_path.is_file() else {}
    present = raw_files(raw_dir)
    problems = [
        Problem(
            display_path(raw_dir / rel, root),
            None,
            None,
            "changed or missing",
            f"sha256 {digest} as listed",
        )
        for rel, digest in sorted(listed.items())
        if rel not in present or sha256_file(raw_dir / rel) != digest
    ]
    if problems:
        raise ChecksumError(problems)
    added = [rel for rel in present if rel not in listed]
    listed.update({rel: sha256_file(raw_dir / rel) for rel in added})
    text = "".join(f"{listed[rel]}  {rel}\n" for rel in sorted(listed))
    sums_path.write_text(text, encoding="utf-8")
    return added


# --------------------------------------------------------------------------- releases


@dataclass(frozen=True)
class Figure:
    """One validated row of ``figures.csv``.

    Attributes:
        line: line number in ``figures.csv``.
        row: the raw fields as printed, by column.
        reading: the value and interval in a canonical unit.
    """

    line: int
    row: dict[str, str]
    reading: Reading


@dataclass
class Release:
    """A validated release folder.

    Attributes:
        release_id: the folder path below ``data/raw/`` (``le360/2025-10-17-slug``).
        meta: the parsed ``release.yml``.
        figures: the validated figures.
        figures_sha256: the sha256 of its ``figures.csv`` as read (empty when there is none).
    """

    release_id: str
    meta: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)
    figures_sha256: str = ""


def _decode(path: Path, shown: str, problems: list[Problem], limit: int) -> str | None:
    """The file's text, or None (and a problem) when it is larger than ``limit`` bytes or not
    UTF-8."""
    size = path.stat().st_size
    if size > limit:
        problems.append(
            Problem(shown, None, None, f"{size} bytes", f"a file of at most {limit} bytes")
        )
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                shown,
                line,
                None,
                f"byte {data[exc.start]:#04x} that is not UTF-8",
                "a UTF-8 encoded file",
            )
        )
        return None
    return text.removeprefix("\ufeff")


def as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


#: The keys of ``release.yml`` that take one of a few values.
_CHOICES: dict[str, tuple[str, ...]] = {
    "language": tuple(LANGUAGES),
    "data_status": tuple(DATA_STATUSES),
    "decimal_mark": (",", "."),
    "number_notation": NUMBER_NOTATIONS,
}


def _check_dates(meta: dict, folder_date: str, bad: Any) -> None:
    """``date_accessed`` a date; ``date_published`` the folder's date, or null with a
    ``date_note``; a page read on or after it was published."""
    if "date_accessed" in meta and as_date(meta["date_accessed"]) is None:
        bad("date_accessed", repr(meta["date_accessed"]), "a date YYYY-MM-DD")
    if "date_published" in meta:
        published = meta["date_published"]
        if published is None:
            if not str(meta.get("date_note") or "").strip():
                bad(
                    "date_note",
                    "no date_note while date_published is null",
                    "a date_note saying what is known of the date",
                )
        elif (day := as_date(published)) is None:
            bad("date_published", repr(published), "a date YYYY-MM-DD, or null with a date_note")
        elif day.isoformat() != folder_date:
            bad(
                "date_published",
                repr(str(published)),
                f"the date of the folder name ({folder_date})",
            )
        elif (seen := as_date(meta.get("date_accessed"))) is not None and seen < day:
            bad(
                "date_accessed",
                repr(str(meta["date_accessed"])),
                f"a date on or after date_published ({day.isoformat()}): a page is read after "
                "it is published",
            )


def _read_meta(path: Path, shown: str, folder_date: str, problems: list[Problem]) -> dict | None:
    text = _decode(path, shown, problems, MAX_YAML_BYTES)
    if text is None:
        return None
    try:
        meta = yamlsafe.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(
            Problem(
                shown,
                mark.line + 1 if mark else None,
                None,
                f"invalid YAML ({exc})",
                "a YAML mapping",
            )
        )
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(shown, None, None, repr(type(meta).__name__), "a YAML mapping"))
        return None
    lines = {
        k: n
        for n, ln in enumerate(text.splitlines(), 1)
        if (k := ln.split(":", 1)[0].strip()) in meta
    }

    def bad(key: str, found: str, expected: str) -> None:
        problems.append(Problem(shown, lines.get(key), key, found, expected))

    for key in REQUIRED_KEYS:
        if key not in meta:
            problems.append(Problem(shown, None, key, "no such key", "the key to be present"))
    for key in meta:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            bad(key, "an unknown key", f"one of {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}")
    for key in ("title", "outlet", "url", "producer", "notes"):
        if key in meta and (not isinstance(meta[key], str) or not meta[key].strip()):
            bad(key, repr(meta[key]), "a non-empty text")
    if "url" in meta and isinstance(meta["url"], str) and not re.match(r"^https?://", meta["url"]):
        bad("url", repr(meta["url"]), "an http(s) address")
    _check_dates(meta, folder_date, bad)
    for key, allowed in _CHOICES.items():
        if key in meta and meta[key] not in allowed:
            bad(key, repr(meta[key]), "one of " + ", ".join(repr(a) for a in allowed))
    for key, what in (
        ("also_printed_by", "URLs"),
        ("supersedes", "release ids"),
        ("revises", "release ids"),
    ):
        items = meta.get(key)
        if items is not None and not (
            isinstance(items, list) and all(isinstance(u, str) for u in items)
        ):
            bad(key, repr(items), f"a list of {what}")
    for key in ("date_published", "date_accessed"):
        if isinstance(meta.get(key), date):
            meta[key] = meta[key].isoformat()
    return meta


def _csv_rows(text: str, shown: str, problems: list[Problem]) -> list | None:
    """The rows of a ``figures.csv`` (the header as a list, then ``(line, fields)``), or None
    with a problem when a field is longer than :data:`MAX_FIELD_CHARS`, there are more than
    :data:`MAX_FIGURE_ROWS` rows, or the CSV is malformed."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list = []
    try:
        for fields in reader:
            long = [f for f in fields if len(f) > MAX_FIELD_CHARS]
            if long:
                problems.append(
                    Problem(
                        shown,
                        reader.line_num,
                        None,
                        f"a field of {max(map(len, long))} characters",
                        f"fields of at most {MAX_FIELD_CHARS} characters",
                    )
                )
                return None
            if len(rows) > MAX_FIGURE_ROWS:
                problems.append(
                    Problem(
                        shown,
                        reader.line_num,
                        None,
                        f"more than {MAX_FIGURE_ROWS} rows",
                        f"at most {MAX_FIGURE_ROWS} figures in one release (split it)",
                    )
                )
                return None
            rows.append(fields if not rows else (reader.line_num, fields))
    except csv.Error as exc:
        found = (
            "a field longer than the CSV reader's limit"
            if "field larger" in str(exc)
            else f"malformed CSV ({exc})"
        )
        problems.append(
            Problem(
                shown,
                reader.line_num,
                None,
                found,
                f"RFC 4180 CSV, fields of at most {MAX_FIELD_CHARS} characters",
            )
        )
        return None
    return rows


def _read_figures(
    path: Path, shown: str, meta: dict | None, problems: list[Problem]
) -> list[Figure]:
    text = _decode(path, shown, problems, MAX_FIGURES_BYTES)
    rows = None if text is None else _csv_rows(text, shown, problems)
    if rows is None:
        return []
    reader = iter(rows)
    header = next(reader, None)
    if header is None:
        problems.append(
            Problem(shown, 1, None, "an empty file", f"the header {','.join(FIGURE_COLUMNS)}")
        )
        return []
    missing = [c for c in FIGURE_COLUMNS if c not in header]
    extra = [c for c in header if c not in FIGURE_COLUMNS + OPTIONAL_FIGURE_COLUMNS + DRAFT_COLUMNS]
    columns = tuple(header)
    if missing or extra or columns not in FIGURE_LAYOUTS:
        found = "columns " + ",".join(header)
        if missing:
            found += f" (missing: {', '.join(missing)})"
        if extra:
            found += f" (unknown: {', '.join(extra)})"
        problems.append(
            Problem(
                shown,
                1,
                None,
                found,
                f"exactly the columns {','.join(FIGURE_COLUMNS)}, optionally followed by "
                f"{','.join(OPTIONAL_FIGURE_COLUMNS)}, then by a draft's "
                f"{','.join(DRAFT_COLUMNS)}",
            )
        )
        return []
    meta = meta or {}
    reading_context = {
        "language": meta.get("language") if meta.get("language") in LANGUAGES else "fr",
        "decimal_mark": meta.get("decimal_mark")
        if meta.get("decimal_mark") in (",", ".")
        else None,
        "number_notation": meta.get("number_notation")
        if meta.get("number_notation") in NUMBER_NOTATIONS
        else None,
    }
    figures: list[Figure] = []
    seen: dict[str, int] = {}
    for line, fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(columns):
            problems.append(
                Problem(shown, line, None, f"{len(fields)} fields", f"{len(columns)} fields")
            )
            continue
        row = {"reading": "", **dict(zip(columns, (f.strip() for f in fields), strict=True))}
        marks = [m.strip() for m in row.get("review", "").split(" | ") if m.strip()]
        if marks:  # a draft's row not reviewed yet: say each mark, check nothing else
            where = f" ({row['found_at']})" if row.get("found_at") else ""
            for mark in marks:
                problems.append(
                    Problem(
                        shown,
                        line,
                        "review",
                        f"a review mark left by draft{where}: {mark!r}",
                        "an empty review: check the row against the article, correct it and "
                        "clear the mark (or delete a row that is not about this statistic)",
                    )
                )
            continue
        figure = _check_row(row, line, shown, reading_context, seen, problems)
        if figure is not None:
            figures.append(figure)
    return figures


def _check_row(
    row: dict[str, str],
    line: int,
    shown: str,
    reading_context: dict[str, Any],
    seen: dict[str, int],
    problems: list[Problem],
) -> Figure | None:
    n_before = len(problems)

    def bad(column: str, found: str, expected: str) -> None:
        problems.append(Problem(shown, line, column, found, expected))

    fid = row["figure_id"]
    if not fid:
        bad("figure_id", "an empty id", "an id unique within the release")
    elif not _CODE.fullmatch(fid):
        bad(
            "figure_id",
            repr(fid[:80]),
            "an id of 1 to 80 letters, digits, '.', '-' or '_' (such as DOE-001.level)",
        )
    elif fid in seen:
        bad(
            "figure_id",
            f"{fid!r}, already used on line {seen[fid]}",
            "an id unique within the release",
        )
    else:
        seen[fid] = line
    for column, vocab in (("series", SERIES), ("segment", SEGMENTS), ("measure", MEASURES)):
        if row[column] not in vocab:
            bad(column, repr(row[column]), f"one of {', '.join(vocab)}")
    for column in ("period", "base_period"):
        if row[column]:
            try:
                parse_period(row[column])
            except PeriodError as exc:
                bad(column, repr(row[column]), f"a possible period ({exc})")
    measure = row["measure"]
    if measure in MEASURES_WITH_BASE and not row["base_period"]:
        bad("base_period", "an empty base_period", f"the comparison period of a {measure}")
    if measure in MEASURES and measure not in MEASURES_WITH_BASE and row["base_period"]:
        bad(
            "base_period",
            repr(row["base_period"]),
            f"an empty base_period for a {measure} (only {', '.join(MEASURES_WITH_BASE)} have one)",
        )
    if not row["period"]:
        bad("period", "an empty period", "a period; figures without one stay out of figures.csv")
    if (row["series"] == "exchange_rate") != (measure == "rate") and row["series"] in SERIES:
        bad("measure", repr(measure), "'rate' for the series exchange_rate, and only there")
    reading = None
    try:
        reading = read_printed(
            row["value"], row["unit"], row["qualifier"], reading=row["reading"], **reading_context
        )
    except PrintedValueError as exc:
        bad(exc.field, exc.found, exc.expected)
    implausible = reading and plausibility_problem(reading, measure, row["value"], row["unit"])
    if implausible:
        bad("value", implausible, f"a plausible {measure}")
    if (
        reading is not None
        and measure in MEASURE_UNITS
        and (reading.unit not in MEASURE_UNITS[measure])
    ):
        bad(
            "unit",
            f"{row['unit']!r} ({reading.unit})",
            f"a unit in {', '.join(sorted(MEASURE_UNITS[measure]))} for a {measure}",
        )
    if len(problems) > n_before or reading is None:
        return None
    return Figure(line, row, reading)


def _misplaced_file(rel: Path) -> tuple[str, str] | None:
    """What is wrong with a file at ``rel`` below ``data/raw/`` (found, expected), or None."""
    depth = len(rel.parts)
    if depth == 1 and rel.name not in (CHECKSUM_FILE, "README.md"):
        return "a file at the top of data/raw/", "only README.md and SHA256SUMS there"
    if depth == 2:
        return "a file directly in an outlet folder", "files only inside release folders"
    if depth == 3 and rel.name not in ("release.yml", "figures.csv"):
        return (
            f"an unexpected file {rel.name!r}",
            "only release.yml and figures.csv in a release folder",
        )
    return None


def find_release_dirs(raw_dir: Path, root: Path | None = None) -> list[Path]:
    """The release folders below ``raw_dir``, sorted by release id.

    Raises:
        ReleaseFormatError: for a file or folder that does not fit the layout.
    """
    problems = links_in(raw_dir, root)
    dirs = []
    for path in sorted(raw_dir.rglob("*")):
        if path.is_symlink():
            continue  # refused above
        rel = path.relative_to(raw_dir)
        depth = len(rel.parts)
        shown = display_path(path, root)
        if path.is_dir():
            if depth == 1 and not _OUTLET_DIR.match(rel.name):
                problems.append(
                    Problem(
                        shown,
                        None,
                        None,
                        f"outlet folder {rel.name!r}",
                        "a lower-case slug such as le360",
                    )
                )
            elif depth == 2:
                if _RELEASE_DIR.match(rel.name) and as_date(rel.name[:10]) is not None:
                    dirs.append(path)
                else:
                    problems.append(
                        Problem(
                            shown,
                            None,
                            None,
                            f"release folder {rel.name!r}",
                            "<YYYY-MM-DD>-<slug> with a real date",
                        )
                    )
            elif depth > 2:
                problems.append(
                    Problem(
                        shown,
                        None,
                        None,
                        "a nested folder",
                        "data/raw/<outlet>/<YYYY-MM-DD>-<slug>/ only",
                    )
                )
        elif (misplaced := _misplaced_file(rel)) is not None:
            problems.append(Problem(shown, None, None, *misplaced))
    if problems:
        raise ReleaseFormatError(problems)
    return dirs


def read_release(
    release_dir: Path, raw_dir: Path, root: Path | None, problems: list[Problem]
) -> Release | None:
    """Read and validate one release folder, appending what is wrong to ``problems``."""
    release_id = release_dir.relative_to(raw_dir).as_posix()
    meta = None
    for name in ("release.yml", "figures.csv"):
        if not (release_dir / name).is_file():
            problems.append(
                Problem(
                    display_path(release_dir / name, root),
                    None,
                    None,
                    "no such file",
                    f"every release folder to hold {name}",
                )
            )
    meta_path = release_dir / "release.yml"
    if meta_path.is_file():
        meta = _read_meta(meta_path, display_path(meta_path, root), release_dir.name[:10], problems)
    figures_path = release_dir / "figures.csv"
    figures = (
        _read_figures(figures_path, display_path(figures_path, root), meta, problems)
        if figures_path.is_file()
        else []
    )
    if meta is None:
        return None
    digest = sha256_file(figures_path) if figures_path.is_file() else ""
    return Release(release_id, meta, figures, digest)


def load_releases(raw_dir: Path, root: Path | None = None) -> list[Release]:
    """Verify the checksums, then read and validate every release below ``raw_dir``.

    Returns:
        The releases sorted by release id.

    Raises:
        ChecksumError: when ``SHA256SUMS`` does not match (checked first).
        ReleaseFormatError: listing every breach of the contract found in any release.
    """
    verify_checksums(raw_dir, root)
    problems: list[Problem] = []
    releases = [
        r
        for d in find_release_dirs(raw_dir, root)
        if (r := read_release(d, raw_dir, root, problems)) is not None
    ]
    problems.extend(supersession_problems(releases, raw_dir, root))
    problems.extend(revision_problems(releases, raw_dir, root))
    if problems:
        raise ReleaseFormatError(problems)
    return releases


def revised_by(releases: list[Release]) -> dict[str, list[str]]:
    """Release id -> the ids of the later releases that declare they revise its figures
    (``revises`` in their ``release.yml``), sorted."""
    found: dict[str, list[str]] = {}
    for r in releases:
        for old in r.meta.get("revises") or []:
            found.setdefault(old, []).append(r.release_id)
    return {old: sorted(ids) for old, ids in found.items()}


def _quantities(release: Release) -> set[tuple[str, ...]]:
    """The quantities a release prints: series, segment, months covered, measure, base period
    and canonical unit (periods compared by their canonical code)."""
    found: set[tuple[str, ...]] = set()
    for fig in release.figures:
        row = fig.row
        base = parse_period(row["base_period"]).canonical if row["base_period"] else ""
        found.add(
            (
                row["series"],
                row["segment"],
                parse_period(row["period"]).canonical,
                row["measure"],
                base,
                fig.reading.unit,
            )
        )
    return found


def earliest_date(release_id: str, date_published: object) -> date | None:
    """The earliest date a release can have been published: its ``date_published``, or for an
    undated page the date of its folder (the earliest date its content allows)."""
    stated = as_date(date_published)
    if stated is not None:
        return stated
    folder = release_id.rsplit("/", 1)[-1][:10]
    return as_date(folder)


def revision_problems(releases: list[Release], raw_dir: Path, root: Path | None) -> list[Problem]:
    """A release may revise only an earlier release of the same producer that prints at least
    one of the quantities it prints: a revision is a new vintage of the same statistic."""
    by_id = {r.release_id: r for r in releases}
    problems: list[Problem] = []
    for r in releases:
        targets = r.meta.get("revises") or []
        if not targets:
            continue
        shown = display_path(raw_dir / r.release_id / "release.yml", root)
        mine = producer_key(str(r.meta.get("producer") or ""), r.release_id)
        # An undated release was published no earlier than its folder's date (the contract:
        # the earliest date its content allows), which is enough to order it after a dated one.
        published = earliest_date(r.release_id, r.meta.get("date_published"))
        for old in targets:
            target = by_id.get(old)
            if target is None or old == r.release_id:
                found, expected = (
                    repr(old),
                    (
                        "the id of another release (its folder below data/raw/)"
                        + did_you_mean(old, by_id)
                    ),
                )
            elif producer_key(str(target.meta.get("producer") or ""), old) != mine:
                found = f"{old!r}, a release of another producer ({target.meta.get('producer')!r})"
                expected = (
                    f"a release of the same producer ({r.meta.get('producer')!r}): prints of "
                    "different producers that disagree are a conflict, not a revision"
                )
            elif (theirs := as_date(target.meta.get("date_published"))) is None or (
                published is None or theirs >= published
            ):
                found = (
                    f"{old!r}, published {target.meta.get('date_published') or 'on no stated date'}"
                )
                expected = (
                    "a release with a stated date, published before this one "
                    f"({r.meta.get('date_published') or 'no date; folder date ' + str(published)})"
                    ": vintages are ordered by publication date (an undated release by its "
                    "folder's date, the earliest its content allows)"
                )
            elif not _quantities(r) & _quantities(target):
                found = f"{old!r}, which prints none of the quantities this release prints"
                expected = "a release printing an earlier vintage of at least one of them"
            else:
                continue
            problems.append(Problem(shown, None, "revises", found, expected))
    return problems


def superseded_by(releases: list[Release]) -> dict[str, str]:
    """Release id -> the id of the release that supersedes it (a new transcription of the same
    page, which replaces it in every table while the old folder stays as it was committed)."""
    return {old: r.release_id for r in releases for old in r.meta.get("supersedes") or []}


def supersession_problems(
    releases: list[Release], raw_dir: Path, root: Path | None
) -> list[Problem]:
    """A release may supersede only an existing release of the same page, and only once."""
    by_id = {r.release_id: r for r in releases}
    problems: list[Problem] = []
    claimed: dict[str, str] = {}
    for r in releases:
        shown = display_path(raw_dir / r.release_id / "release.yml", root)
        for old in r.meta.get("supersedes") or []:
            target = by_id.get(old)
            if target is None or old == r.release_id:
                problems.append(
                    Problem(
                        shown,
                        None,
                        "supersedes",
                        repr(old),
                        "the id of another release (its folder below data/raw/)"
                        + did_you_mean(old, by_id),
                    )
                )
            elif target.meta.get("url") != r.meta.get("url"):
                problems.append(
                    Problem(
                        shown,
                        None,
                        "supersedes",
                        f"{old!r}, a release of another page ({target.meta.get('url')})",
                        "a release of the same url: a new transcription of the same page",
                    )
                )
            elif old in claimed:
                problems.append(
                    Problem(
                        shown,
                        None,
                        "supersedes",
                        f"{old!r}, already superseded by {claimed[old]!r}",
                        "one release superseding each earlier transcription",
                    )
                )
            else:
                claimed[old] = r.release_id
    return problems
