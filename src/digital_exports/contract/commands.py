"""Adding a release by hand: create its folder, check it (and see how each figure was read),
then seal it in ``SHA256SUMS``; reseal or drop it while it is not committed.

Nothing here imports pandas or starts a kernel: ``check`` on every release takes a fraction of
a second, so a transcriber can run it after each line typed. Its messages are the run's own (the
same :class:`~digital_exports.errors.Problem` objects from :mod:`digital_exports.releases`).

Immutability: a raw file committed at git ``HEAD`` is never resealed, whatever it holds now; a
file not committed yet may be resealed (``checksums --update``) and a release folder never
committed may be removed (``checksums --drop``). Without a git repository nothing can be told
committed or not, so both are refused.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from digital_exports.base.gitstate import committed_files
from digital_exports.base.hashing import sha256_file
from digital_exports.contract.errors import ChecksumError, Problem, ReleaseFormatError, display_path
from digital_exports.contract.printed import Reading
from digital_exports.contract.releases import (
    CHECKSUM_FILE,
    FIGURE_COLUMNS,
    OPTIONAL_KEYS,
    REQUIRED_KEYS,
    Release,
    add_checksums,
    as_date,
    find_release_dirs,
    raw_files,
    read_checksums,
    read_release,
    revision_problems,
    supersession_problems,
)

RAW = "data/raw"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: What each ``release.yml`` field holds, written as a comment beside it by ``new-release``
#: (the contract's table in ``data/raw/README.md`` says the same at more length).
FIELD_HELP: dict[str, str] = {
    "title": "the title of the article or data file, as printed",
    "outlet": "the outlet's name (e.g. le360, Hespress FR (via Maghress))",
    "url": "http(s) address of the page the figures were read from",
    "date_published": "YYYY-MM-DD (the folder's date), or null with a date_note",
    "date_accessed": "YYYY-MM-DD, when you transcribed the figures",
    "language": "fr, en or ar: the page's language (sets the decimal mark)",
    "producer": "who produced the data, as the page attributes it (e.g. Office des Changes)",
    "data_status": "preliminary, final or unknown, as the page states it",
    "notes": "in your own words: context, caveats, every figure left out and why",
    "date_note": "when date_published is null: what is known of the date",
    "also_printed_by": "list of other URLs printing the same figures",
    "decimal_mark": "',' or '.', only when the page writes a mark its language does not",
    "number_notation": "wire_ra, only when the page writes decimals as 6ر97 (97,6): the "
    "Arabic wire notation",
    "supersedes": "list of release ids: earlier transcriptions of this same page it replaces",
    "revises": "list of release ids: earlier releases of the same producer whose figures this "
    "one revises (preliminary -> revised -> final)",
}
_PREFILLED = {"language": "fr", "data_status": "unknown"}


class ReleaseCommandError(ReleaseFormatError):
    """A release command that cannot do what it was asked (existing folder, committed file)."""


# --------------------------------------------------------------------------- new-release


def new_release(
    root: Path,
    outlet: str,
    day: str,
    slug: str,
    today: date | None = None,
    prefilled: dict[str, str] | None = None,
) -> Path:
    """Create ``data/raw/<outlet>/<day>-<slug>/`` with a ``release.yml`` holding every field of
    the contract (required ones marked; the publication date and today's access date filled
    in, and ``prefilled`` values such as a detected language or a title) and a ``figures.csv``
    holding the header.

    Raises:
        ReleaseCommandError: a malformed outlet, date or slug, or a folder that exists.
    """
    problems = []
    if not _SLUG.match(outlet):
        problems.append(Problem("OUTLET", None, None, repr(outlet), "a lower-case slug (le360)"))
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", day) or as_date(day) is None:
        problems.append(Problem("DATE", None, None, repr(day), "a real date YYYY-MM-DD"))
    if not _SLUG.match(slug):
        problems.append(
            Problem("SLUG", None, None, repr(slug), "lower-case words joined by hyphens")
        )
    folder = root / RAW / outlet / f"{day}-{slug}"
    if not problems and folder.exists():
        problems.append(
            Problem(
                display_path(folder, root),
                None,
                None,
                "a folder that exists",
                "a new release id; a correction of an earlier transcription is a new folder "
                "with supersedes",
            )
        )
    if problems:
        raise ReleaseCommandError(problems)
    accessed = (today or date.today()).isoformat()
    values = {
        "outlet": outlet,
        "date_published": day,
        "date_accessed": accessed,
        **_PREFILLED,
        **(prefilled or {}),
    }
    lines = [
        f"# A release transcribed from one page: the contract is {RAW}/README.md.",
        "# Fill every required field; uncomment an optional one to use it.",
    ]
    for key in REQUIRED_KEYS:
        value = values.get(key, "")
        shown = (
            value
            if key in ("date_published", "date_accessed", "language")
            else json.dumps(value, ensure_ascii=False)  # a YAML double-quoted string
        )
        if key == "data_status":
            shown = value
        lines.append(f"{key}: {shown}  # required: {FIELD_HELP[key]}")
    for key in OPTIONAL_KEYS:
        lines.append(f"# {key}:  # optional: {FIELD_HELP[key]}")
    folder.mkdir(parents=True)
    (folder / "release.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "figures.csv").write_text(",".join(FIGURE_COLUMNS) + "\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- check


def fr_interval(low: float, high: float, decimals: int = 6) -> str:
    """An interval in French notation, its bounds apart by a semicolon so that a decimal comma
    cannot be read as the separator: ``[8,35 ; 8,45]``."""
    return f"[{fr_number(low, decimals)} ; {fr_number(high, decimals)}]"


def fr_number(x: float, decimals: int = 6) -> str:
    """A number the French way, as a transcriber reads it, with at most ``decimals`` decimals:
    ``10 577,5``, ``+∞``."""
    if math.isnan(x):
        return "none"
    if math.isinf(x):
        return "+∞" if x > 0 else "−∞"
    text = f"{x:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace("-", "−")


def describe_reading(fig_row: dict[str, str], r: Reading) -> str:
    """One line: the figure as printed -> its value, interval and canonical unit, e.g.
    ``ITO.level (ITO 2024 level): 10,578 milliards de dirhams → 10 578 [10 577,5, 10 578,5]
    MAD mn (rounded)``."""
    printed = " ".join(p for p in (fig_row["qualifier"], fig_row["value"], fig_row["unit"]) if p)
    read = f"{fr_number(r.value)} {fr_interval(r.low, r.high)} {r.unit}"
    notes = [r.family.value]
    if r.declared:
        notes[0] = f"{r.family.value}, read by declaration (reading: {r.declared})"
    if r.coarse:
        notes.append(f"fine {fr_interval(r.low_fine, r.high_fine)}")
    if r.forecast:
        notes.append("forecast")
    where = " ".join(p for p in (fig_row["segment"], fig_row["period"], fig_row["measure"]) if p)
    base = f" vs {fig_row['base_period']}" if fig_row["base_period"] else ""
    return f"{fig_row['figure_id']} ({where}{base}): {printed} → {read} ({', '.join(notes)})"


@dataclass
class CheckResult:
    """What ``check`` found: the releases read, the problems, and each release's seal state."""

    releases: list[Release]
    problems: list[Problem]
    seal: dict[str, str]


def resolve_release_ids(root: Path, given: Iterable[str]) -> list[str]:
    """Release ids from what the user typed: an id (``le360/2025-10-17-slug``) or a path to
    the folder (``data/raw/le360/2025-10-17-slug/``, relative to the working directory or
    absolute)."""
    raw = (root / RAW).resolve()
    ids = []
    for text in given:
        candidate = Path(text)
        for path in (candidate, root / RAW / text):
            try:
                rel = path.resolve().relative_to(raw).as_posix()
            except ValueError:
                continue
            if path.exists():
                ids.append(rel)
                break
        else:
            ids.append(text.strip("/"))
    return ids


def _seal_state(raw: Path, release_id: str, listed: dict[str, str]) -> str:
    files = [
        f"{release_id}/{n}"
        for n in ("release.yml", "figures.csv")
        if (raw / release_id / n).is_file()
    ]
    if all(f not in listed for f in files):
        return "not sealed yet (make seal)"
    changed = [f for f in files if f in listed and sha256_file(raw / f) != listed[f]]
    if changed:
        return "changed since sealed: " + ", ".join(changed)
    if any(f not in listed for f in files):
        return "partly sealed (make seal)"
    return "sealed"


def check_releases(root: Path, release_ids: list[str] | None = None) -> CheckResult:
    """Validate releases as the run does, without sealing or writing anything.

    Every release is read (references between releases, ``supersedes`` and ``revises``, need
    them all), but only the problems of the chosen ones are kept (all, when ``release_ids`` is
    None or empty). A committed file that changed is a problem; a file not sealed yet is not.

    Raises:
        ReleaseCommandError: a release id with no folder.
    """
    raw = root / RAW
    dirs = find_release_dirs(raw, root)
    known = {d.relative_to(raw).as_posix(): d for d in dirs}
    wanted = list(dict.fromkeys(release_ids or known))
    unknown = [r for r in wanted if r not in known]
    if unknown:
        from digital_exports.contract.textnorm import did_you_mean

        raise ReleaseCommandError(
            [
                Problem(
                    f"{RAW}/{r}",
                    None,
                    None,
                    "no such release folder",
                    "a release id (its folder below data/raw/)" + did_you_mean(r, known),
                )
                for r in unknown
            ]
        )
    problems: list[Problem] = []
    releases = [r for d in dirs if (r := read_release(d, raw, root, problems)) is not None]
    problems += supersession_problems(releases, raw, root)
    problems += revision_problems(releases, raw, root)
    listed = read_checksums(raw, root) if (raw / CHECKSUM_FILE).is_file() else {}
    committed = committed_files(root, RAW) or set()
    for rid in wanted:
        for name in ("release.yml", "figures.csv"):
            rel = f"{rid}/{name}"
            if (
                rel in committed
                and rel in listed
                and (raw / rel).is_file()
                and sha256_file(raw / rel) != listed[rel]
            ):
                problems.append(_committed_changed(raw / rel, root, listed[rel]))
    prefixes = tuple(display_path(known[r], root) + "/" for r in wanted)
    mine = [p for p in problems if p.path.startswith(prefixes)]
    chosen = [r for r in releases if r.release_id in set(wanted)]
    seal = {r: _seal_state(raw, r, listed) for r in wanted}
    return CheckResult(chosen, mine, seal)


def _committed_changed(path: Path, root: Path, digest: str) -> Problem:
    return Problem(
        display_path(path, root),
        None,
        None,
        f"sha256 {sha256_file(path)}, a file committed at git HEAD that changed",
        f"sha256 {digest} as listed: committed raw data are never edited; restore it "
        "(git checkout -- PATH) and add a new release instead",
    )


def print_check(result: CheckResult, out: TextIO, *, brief: bool = False) -> None:
    """Each release with its seal state and, unless ``brief``, how each figure was read."""
    by_id = {r.release_id: r for r in result.releases}
    for rid, state in result.seal.items():
        release = by_id.get(rid)
        n = len(release.figures) if release else 0
        print(f"{rid}: {n} figure(s) read, {state}", file=out)
        if release and not brief:
            for fig in release.figures:
                print("  " + describe_reading(fig.row, fig.reading), file=out)


def run_check(root: Path, given: list[str], out: TextIO, *, brief: bool = False) -> None:
    """The ``check`` command.

    Raises:
        ReleaseFormatError: with every problem found (after the readings are printed).
    """
    result = check_releases(root, resolve_release_ids(root, given))
    print_check(result, out, brief=brief)
    if result.problems:
        raise ReleaseFormatError(result.problems)
    print(f"check: {len(result.seal)} release(s) follow the contract", file=out)


# --------------------------------------------------------------------------- checksums


def _committed_or_refuse(root: Path, action: str) -> set[str]:
    committed = committed_files(root, RAW)
    if committed is None:
        raise ReleaseCommandError(
            [
                Problem(
                    display_path(root, None),
                    None,
                    None,
                    "no git repository with a commit",
                    f"git, to tell committed raw files (immutable) from new ones before {action}",
                )
            ]
        )
    return committed


def _write_listing(raw: Path, listed: dict[str, str]) -> None:
    text = "".join(f"{listed[rel]}  {rel}\n" for rel in sorted(listed))
    (raw / CHECKSUM_FILE).write_text(text, encoding="utf-8")


def seal_new(root: Path) -> list[str]:
    """``checksums --add``: check the releases that hold files not listed yet, and list them
    only if they pass.

    Raises:
        ReleaseFormatError: the problems of those releases; nothing is sealed.
        ChecksumError: a listed file changed or is missing.
    """
    raw = root / RAW
    listed = read_checksums(raw, root) if (raw / CHECKSUM_FILE).is_file() else {}
    new = [rel for rel in raw_files(raw) if rel not in listed]
    release_ids = sorted({"/".join(rel.split("/")[:2]) for rel in new if rel.count("/") == 2})
    if release_ids:
        result = check_releases(root, release_ids)
        if result.problems:
            raise ReleaseFormatError(result.problems)
    return add_checksums(raw, root)


def reseal(root: Path, paths: list[str]) -> list[str]:
    """``checksums --update PATH ...``: list the current checksum of files (or every file of a
    release folder) that were never committed, after checking their releases.

    Raises:
        ReleaseCommandError: a path outside ``data/raw/``, or a file committed at ``HEAD``
            (named; committed raw data are immutable), or no git repository.
        ReleaseFormatError: the problems of the releases concerned; nothing is resealed.
    """
    raw = root / RAW
    committed = _committed_or_refuse(root, "resealing")
    files: list[str] = []
    problems = []
    for text in paths:
        path = Path(text) if Path(text).exists() else raw / text
        try:
            rel = path.resolve().relative_to(raw.resolve()).as_posix()
        except ValueError:
            problems.append(Problem(text, None, None, "a path outside data/raw/", "a raw file"))
            continue
        found = [f for f in raw_files(raw) if f == rel or f.startswith(rel.rstrip("/") + "/")]
        if not found:
            problems.append(Problem(text, None, None, "no such raw file", "a file below data/raw/"))
        files += found
    for rel in files:
        if rel in committed:
            problems.append(
                Problem(
                    display_path(raw / rel, root),
                    None,
                    None,
                    "a file committed at git HEAD",
                    "a file not committed yet: committed raw data are immutable; add a new "
                    "release (supersedes or revises) instead",
                )
            )
    if problems:
        raise ReleaseCommandError(problems)
    release_ids = sorted({"/".join(rel.split("/")[:2]) for rel in files})
    result = check_releases(root, release_ids)
    if result.problems:
        raise ReleaseFormatError(result.problems)
    listed = read_checksums(raw, root)
    changed = [rel for rel in sorted(set(files)) if listed.get(rel) != sha256_file(raw / rel)]
    listed.update({rel: sha256_file(raw / rel) for rel in changed})
    _write_listing(raw, listed)
    return changed


def drop_release(root: Path, given: str) -> list[str]:
    """``checksums --drop RELEASE``: remove a release folder that was never committed, and its
    lines in ``SHA256SUMS``.

    Raises:
        ReleaseCommandError: no such folder, a file of it committed at ``HEAD``, or no git.
    """
    raw = root / RAW
    committed = _committed_or_refuse(root, "dropping a release")
    [release_id] = resolve_release_ids(root, [given])
    folder = raw / release_id
    if release_id.count("/") != 1 or not folder.is_dir():
        raise ReleaseCommandError(
            [Problem(f"{RAW}/{release_id}", None, None, "no such release folder", "a release id")]
        )
    mine = [f for f in raw_files(raw) if f.startswith(release_id + "/")]
    kept = [f for f in mine if f in committed]
    if kept:
        raise ReleaseCommandError(
            [
                Problem(
                    display_path(raw / f, root),
                    None,
                    None,
                    "a file committed at git HEAD",
                    "a release never committed: committed raw data stay; supersede it instead",
                )
                for f in kept
            ]
        )
    listed = read_checksums(raw, root) if (raw / CHECKSUM_FILE).is_file() else {}
    dropped = sorted(f for f in listed if f.startswith(release_id + "/"))
    for f in dropped:
        del listed[f]
    _write_listing(raw, listed)
    shutil.rmtree(folder)
    if not any(folder.parent.iterdir()):
        folder.parent.rmdir()
    return sorted(set(mine) | set(dropped))


def verify(root: Path) -> None:
    """Raise :class:`ChecksumError` unless ``SHA256SUMS`` matches every raw file."""
    from digital_exports.contract.releases import verify_checksums

    verify_checksums(root / RAW, root)


__all__ = [
    "ChecksumError",
    "check_releases",
    "drop_release",
    "new_release",
    "reseal",
    "run_check",
    "seal_new",
    "verify",
]
