"""Executing the pipeline's notebooks with papermill, and writing them back deterministically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import nbformat

KERNEL_NAME = "digital-exports"

#: The pipeline's notebooks in run order.
NOTEBOOKS = (
    "notebooks/10_ingest_releases.ipynb",
    "notebooks/20_reconcile_and_check.ipynb",
    "notebooks/30_segment_breakdown.ipynb",
    "notebooks/40_period_comparison.ipynb",
    "notebooks/50_long_run.ipynb",
    "notebooks/60_verify_release.ipynb",
)


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what changes from run to run: papermill's timings and paths, nbclient's execution
    timestamps, and execution counts that depend on the kernel's history. Parameters stay in
    ``metadata.papermill.parameters``."""
    pm = nb.metadata.get("papermill")
    if pm is not None:
        nb.metadata["papermill"] = {"parameters": pm.get("parameters", {})}
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            # A warm kernel runs several notebooks: number each notebook's cells from 1, as a
            # fresh kernel would, so the file does not depend on what ran before it.
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    return nb


def execute(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any] | None = None,
    cwd: Path | None = None,
) -> nbformat.NotebookNode:
    """Run ``notebook`` with papermill from ``cwd`` and write the normalised result to
    ``output`` atomically (a failed run leaves ``output`` untouched)."""
    import papermill

    nb = papermill.execute_notebook(
        str(notebook),
        None,
        parameters=parameters or {},
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(cwd) if cwd else None,
    )
    normalise(nb)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        nbformat.write(nb, fh)
    os.replace(tmp, output)
    return nb
