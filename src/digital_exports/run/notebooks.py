"""Executed notebooks written back deterministically (``pipeline.py`` executes them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat is imported only where a notebook is handled, not at start-up
    import nbformat

KERNEL_NAME = "digital-exports"


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what changes from run to run: papermill's timings and paths, nbclient's execution
    timestamps, execution counts that depend on the kernel's history, and the random id papermill
    gives the cell of injected parameters (named ``injected-parameters`` instead). Parameters
    stay in ``metadata.papermill.parameters``."""
    pm = nb.metadata.get("papermill")
    if pm is not None:
        nb.metadata["papermill"] = {"parameters": pm.get("parameters", {})}
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _coalesced(cell.get("outputs", []))
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            # A warm kernel runs several notebooks: number each notebook's cells from 1, as a
            # fresh kernel would, so the file does not depend on what ran before it.
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    return nb


def _coalesced(outputs: list) -> list:
    """Consecutive stream outputs of one stream (stdout, stderr) as one output: the kernel may
    send a printed line in one message or in two (the text, then its line end), so that the
    file would otherwise depend on timing."""
    merged: list = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (
            out.get("output_type") == "stream"
            and last is not None
            and last.get("output_type") == "stream"
            and last.get("name") == out.get("name")
        ):
            text = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
            last["text"] = (
                last["text"] if isinstance(last["text"], str) else "".join(last["text"])
            ) + text
            continue
        merged.append(out)
    return merged
