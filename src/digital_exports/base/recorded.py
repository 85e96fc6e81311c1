"""What a notebook records for the runner in an output of its own MIME type: the releases its
report rests on (written by ``analysis.analyses.record_releases``, read by the runner for the
report's provenance, never shown in the HTML)."""

from __future__ import annotations

import copy
from typing import Any

#: The MIME type of that output; its data is ``{"release_ids": [...]}``.
RELEASES_MIME = "application/vnd.digital-exports.releases+json"


def recorded_releases(nb: Any) -> list[str] | None:
    """The release ids an executed notebook recorded (all its records together), or None
    when it recorded none (a report on every release)."""
    found: set[str] | None = None
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if RELEASES_MIME in data:
                found = (found or set()) | set(data[RELEASES_MIME].get("release_ids", []))
    return None if found is None else sorted(found)


def without_records(nb: Any) -> Any:
    """A copy of ``nb`` without the records (what the reports show)."""
    out = copy.deepcopy(nb)
    for cell in out.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                o for o in cell.get("outputs", []) if RELEASES_MIME not in o.get("data", {})
            ]
    return out
