"""The one import surface of the notebooks in ``notebooks/``: everything a notebook calls comes
from here, so that the import-direction check (``lint-imports``) sees what the notebooks use,
and a test (``tests/unit/test_notebook_surface.py``) fails when a notebook imports anything else
from the package.

Functions:
    check_parameters: check the notebook's parameters (and refuse a stray injected name).
    project_root: the project the notebook works on.
    output_stem: the path, without suffix, of a chart the notebook saves for its parameters.
    write_tables: write processed tables atomically, under the run lock.

Modules, imported when a notebook first names them (a notebook that draws nothing never
imports matplotlib): ``analyses``, ``context``, ``charts``, ``readers``, ``narration``
(analysis), ``releases`` (the contract's reader of raw releases), ``build``, ``checks`` (the
model), ``ingest``, ``io`` (processed tables).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from digital_exports.base.paths import project_root
from digital_exports.run.params import check_namespace
from digital_exports.run.steps import output_stem
from digital_exports.tables.outputs import write_tables

__all__ = [
    "MODULES",
    "check_parameters",
    "output_stem",
    "project_root",
    "write_tables",
]

#: The package's modules a notebook may use, by the name it uses them under.
MODULES = {
    "analyses": "digital_exports.analysis.analyses",
    "context": "digital_exports.analysis.context",
    "charts": "digital_exports.analysis.charts",
    "readers": "digital_exports.analysis.readers",
    "narration": "digital_exports.analysis.narration",
    "releases": "digital_exports.contract.releases",
    "build": "digital_exports.model.build",
    "checks": "digital_exports.model.checks",
    "ingest": "digital_exports.tables.ingest",
    "io": "digital_exports.tables.io",
}


def check_parameters(namespace: dict[str, Any], notebook: str) -> dict[str, Any]:
    """Check the notebook's global names right after its parameters cell: every name holding a
    literal must be a declared parameter of ``notebook`` with a valid value
    (``run.params.check_namespace``); return the parameters with ``latest`` and
    ``year_before`` resolved from the processed tables.

    Raises:
        ParameterError: naming the parameter and the allowed values.
    """
    return check_namespace(namespace, notebook)


def __getattr__(name: str) -> ModuleType:
    """The modules of :data:`MODULES`, imported on first use."""
    if name in MODULES:
        return importlib.import_module(MODULES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
