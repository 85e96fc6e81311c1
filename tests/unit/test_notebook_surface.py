"""Notebooks import only ``digital_exports.notebook`` from the package: the import-direction
check then sees everything they use, and a module can move without breaking a notebook."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

import pytest

from digital_exports import notebook

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def package_imports(code: str) -> list[str]:
    """The package modules a notebook's code imports (``digital_exports...``); IPython magics
    and shell lines are left out before parsing."""
    lines = [ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "digital_exports"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("digital_exports"):
            found.append(node.module or "")
    return found


def notebook_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_imports_only_the_notebook_module(path):
    imports = package_imports(notebook_code(path))
    assert imports, f"{path.name} imports nothing from the package"
    assert set(imports) == {"digital_exports.notebook"}, imports


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_name_a_notebook_imports_exists(path):
    tree = ast.parse(
        "\n".join(ln for ln in notebook_code(path).splitlines() if not ln.startswith("%"))
    )
    names = [
        a.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "digital_exports.notebook"
        for a in node.names
    ]
    for name in names:
        assert getattr(notebook, name) is not None


def test_the_scan_sees_a_deep_import():
    code = "%matplotlib inline\nfrom digital_exports.run import params\nimport digital_exports.base"
    assert package_imports(code) == ["digital_exports.run", "digital_exports.base"]


def test_the_notebook_modules_resolve_and_nothing_else_does():
    for name, module in notebook.MODULES.items():
        assert getattr(notebook, name) is importlib.import_module(module)
    with pytest.raises(AttributeError, match="no attribute 'runner'"):
        notebook.runner  # noqa: B018
