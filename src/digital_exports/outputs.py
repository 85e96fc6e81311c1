"""Writing processed tables: deterministic bytes, all or nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """The CSV bytes of ``table``: UTF-8, ``\\n`` line ends, no index, floats in their shortest
    round-trip form, so that the same table always gives the same bytes."""
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table to ``out_dir/<name>`` atomically.

    Every table is first serialised and written to a temporary file in ``out_dir``; only when all
    are written are they renamed into place, so a failure leaves ``out_dir`` as it was. A file
    whose bytes would not change is not touched.

    Returns:
        The paths written or left unchanged, in the order given.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, table in tables.items():
            target = out_dir / name
            data = to_csv_bytes(table)
            if target.is_file() and target.read_bytes() == data:
                continue
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    return [out_dir / name for name in tables]
