"""The validated releases, as later steps see them: ``data/processed/releases.csv``.

Only the ingest step reads ``data/raw/`` (through the contract's reader, which refuses a file
that is not UTF-8, a bad date or a YAML tag with one clear message). Everything downstream, the
index's data vintage and every report's provenance, reads this table instead, so a malformed
``release.yml`` can never crash them. Read through the typed reader without pandas
(:func:`digital_exports.tables.io.read_records`), so the index stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digital_exports.tables.io import read_records


def read_releases(processed_dir: Path) -> dict[str, dict[str, Any]]:
    """Release id -> its row of ``releases.csv``, typed by the table's schema.

    Raises:
        FileNotFoundError: when the table has not been written (run the pipeline first).
        digital_exports.tables.io.SchemaError: when it does not match its schema.
    """
    rows = read_records(processed_dir / "releases.csv")
    return {row["release_id"]: row for row in rows}


def _export_releases(processed_dir: Path) -> set[str]:
    """Releases that print at least one figure and no exchange rate."""
    path = processed_dir / "published_figures.csv"
    if not path.is_file():
        return set()
    printing: set[str] = set()
    rates: set[str] = set()
    for row in read_records(path):
        (rates if row["series"] == "exchange_rate" else printing).add(row["release_id"])
    return printing - rates


def data_vintage(processed_dir: Path) -> str:
    """The vintage of the data: the latest release printing export figures (not exchange
    rates), and the latest that says its data are preliminary."""
    try:
        table = read_releases(processed_dir)
    except FileNotFoundError:
        return "No validated release yet: run the pipeline (make all)."
    exports = _export_releases(processed_dir)
    latest: tuple[str, str, str] = ("", "", "")
    preliminary: tuple[str, str] = ("", "")
    for release_id in sorted(table):
        row = table[release_id]
        if release_id not in exports:
            continue
        date = row.get("date_published") or release_id.split("/")[-1][:10]
        if date > latest[0]:
            latest = (date, row.get("outlet", ""), row.get("data_status", ""))
        if row.get("data_status") == "preliminary" and date > preliminary[0]:
            preliminary = (date, row.get("outlet", ""))
    return (
        f"Latest release with export figures: {latest[0]} ({latest[1]}, data status "
        f"{latest[2]}). Latest release stating preliminary Office des Changes data: "
        f"{preliminary[0]} ({preliminary[1]})."
    )
