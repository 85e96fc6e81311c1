"""Whether a report is as old as the data: each report's input checksums, recorded by the run.

A report made with non-default parameters is not rebuilt by a default run, so it can outlive
the data it was built from. The runner records, for every report it ran or found current, the
sha256 of the inputs it read (``reports/.state/report_inputs.json``); the index marks a report
whose recorded inputs differ from the files on disk, or whose inputs were never recorded, as
stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

STATE = Path("reports") / ".state" / "report_inputs.json"


def _load(root: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((root / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(root: Path, reports: Iterable[tuple[str, dict[str, str]]]) -> None:
    """Record the inputs (path -> sha256) each report (by stem) was built from."""
    data = _load(root)
    data.update({stem: dict(inputs) for stem, inputs in reports})
    from digital_exports.tables.outputs import atomic_write

    atomic_write(root / STATE, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


def is_stale(root: Path, stem: str) -> bool:
    """True when the report ``stem`` was built from other inputs than those on disk, or when
    nothing records what it was built from."""
    recorded = _load(root).get(stem)
    if not recorded:
        return True
    for rel, digest in recorded.items():
        path = root / rel
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return True
    return False
