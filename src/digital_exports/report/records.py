"""One record per report, written by the runner when the report's job ends
(``reports/.state/records/<stem>.json``): the step and notebook that made it, its parameters
(typed, the defaults included), the digests of what it read and wrote, the releases it rests
on and the git state of the run.

The runner reads the records to tell which reports are current; the index reads them for each
report's parameters, chart and stale flag, the footers for the releases, so nothing parses an
executed notebook back to learn what the runner knew when it ran it. A report is *stale* when
the files it read have changed since (a report made with other parameters than the defaults is
not rebuilt by a default run, so it can outlive its data).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: The folder of the records, under the project root; the runner's other state
#: (``raw_valid``: the digest of ``data/raw/`` that last passed the checks) sits beside it.
FOLDER = Path("reports") / ".state" / "records"


@dataclass(frozen=True)
class Record:
    """What made one report, and from what.

    Attributes:
        step: the step's name (``30_segment_breakdown``).
        stem: the report's file stem (the step's name, then its non-default parameters).
        notebook: the notebook, relative to the root.
        parameters: every parameter the notebook ran with, typed, the defaults included.
        given: the parameters set for this report (not the notebook's defaults).
        fingerprint: the digest of the notebook's code, parameters, inputs and the package.
        inputs: path (relative to the root) -> SHA-256 of each file the report read.
        outputs: path -> SHA-256 of each file the report wrote.
        releases: the release ids the report rests on; None: every release.
        commit: the git commit of the run (``unknown`` outside a repository).
        dirty: whether the working tree had uncommitted changes when the run started.
        drawn: parameters whose value the report's files are named for instead of the one
            asked (``currency``, when no rate allows the conversion).
    """

    step: str
    stem: str
    notebook: str
    parameters: dict[str, Any]
    given: dict[str, Any]
    fingerprint: str
    inputs: dict[str, str]
    outputs: dict[str, str]
    releases: list[str] | None
    commit: str
    dirty: bool
    drawn: dict[str, Any] = field(default_factory=dict)

    @property
    def git(self) -> tuple[str, bool]:
        return (self.commit, self.dirty)


def path_of(root: Path, stem: str) -> Path:
    """The record of the report ``stem``."""
    return root / FOLDER / f"{stem}.json"


def encode(record: Record) -> bytes:
    """The record as JSON (sorted keys: the same record gives the same bytes)."""
    return json.dumps(asdict(record), indent=1, sort_keys=True, ensure_ascii=False).encode()


def read_records(root: Path) -> dict[str, Record]:
    """Every readable record, by report stem; a file that is not a record is left out (the
    report is then rebuilt, never trusted)."""
    found = {}
    for path in sorted((root / FOLDER).glob("*.json")):
        try:
            record = Record(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        found[record.stem] = record
    return found


def write_record(root: Path, record: Record) -> None:
    from digital_exports.tables.outputs import atomic_write

    atomic_write(path_of(root, record.stem), encode(record))


def remove_record(root: Path, stem: str) -> None:
    path_of(root, stem).unlink(missing_ok=True)


def is_stale(root: Path, record: Record) -> bool:
    """True when a file the report read is gone or has changed since."""
    for rel, digest in record.inputs.items():
        path = root / rel
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return True
    return False
