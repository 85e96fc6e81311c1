"""What a reviewer does with a draft (``draft``), for the tests: delete the rows not about this
statistic, clear the other marks, and fill in the release's empty fields."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def review(folder: Path, filled: dict[str, str]) -> int:
    """Review the draft in ``folder``: keep the rows given a measure with their marks cleared,
    and write ``filled`` into the empty fields of ``release.yml``. Returns the number of marks
    the draft held."""
    path = folder / "figures.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    marks = sum(len([m for m in r["review"].split(" | ") if m]) for r in rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(dict(r, review="") for r in rows if r["measure"])
    path.write_text(out.getvalue(), encoding="utf-8")
    meta = (folder / "release.yml").read_text(encoding="utf-8")
    for key, value in filled.items():
        meta = meta.replace(f'{key}: ""', f'{key}: "{value}"', 1)
    (folder / "release.yml").write_text(meta, encoding="utf-8")
    return marks
