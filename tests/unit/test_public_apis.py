"""The package uses the public APIs of the libraries it runs on: no private name (``_x``) of
pandas, papermill, nbclient, nbconvert or jupyter_client, and no subclass of their internals.
Their private names change without notice; a speed-up that needs one is replaced or dropped."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
LIBRARIES = ("pandas", "papermill", "nbclient", "nbconvert", "jupyter_client", "jupyter_core")
#: The one base class these libraries document for extension: papermill's engines
#: ("Extending papermill: engines" in its documentation).
EXTENSION_POINTS = {"papermill.engines.Engine"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def imported_names(tree: ast.AST) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """The local names bound to a library or one of its objects (local name -> dotted name),
    and ``(line, dotted name)`` of each import."""
    names: dict[str, str] = {}
    imports: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in LIBRARIES:
                    head = a.name.split(".")[0]
                    names[a.asname or head] = a.name if a.asname else head
                    imports.append((node.lineno, a.name))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in LIBRARIES:
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
                imports.append((node.lineno, f"{node.module}.{a.name}"))
    return names, imports


def library_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, dotted name)`` of every use of a library name: imports, and attribute chains on
    an imported library or library object."""
    names, uses = imported_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain: list[str] = []
            inner: ast.expr = node
            while isinstance(inner, ast.Attribute):
                chain.append(inner.attr)
                inner = inner.value
            if isinstance(inner, ast.Name) and inner.id in names:
                uses.append((node.lineno, ".".join([names[inner.id], *reversed(chain)])))
    return uses


def subclassed_bases(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, dotted base)`` of every class defined on a base from a library."""
    names, _imports = imported_names(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                dotted = ast.unparse(base)
                head = dotted.split(".")[0]
                if head in names:
                    out.append((node.lineno, names[head] + dotted[len(head) :]))
    return out


def python_files() -> list[Path]:
    return sorted([*SRC.rglob("*.py"), *BENCHMARKS.rglob("*.py")])


@pytest.mark.parametrize("path", python_files(), ids=lambda p: p.name)
def test_no_private_name_of_a_library(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        f"{path.name}:{line}: {name}"
        for line, name in library_uses(tree)
        if any(_private(part) for part in name.split("."))
    ]
    assert not private, "private names of libraries used:\n" + "\n".join(private)


@pytest.mark.parametrize("path", python_files(), ids=lambda p: p.name)
def test_no_subclass_of_a_library_internal(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    internal = [
        f"{path.name}:{line}: class on {base}"
        for line, base in subclassed_bases(tree)
        if base not in EXTENSION_POINTS
    ]
    assert not internal, "library internals subclassed:\n" + "\n".join(internal)


def test_the_scan_sees_what_it_must_refuse():
    """The scanner itself: the two uses the package dropped are found."""
    code = (
        "from pandas._config import config\n"
        "import papermill.clientwrap as cw\n"
        "from papermill.clientwrap import PapermillNotebookClient\n"
        "from papermill.engines import Engine\n"
        "class A(PapermillNotebookClient): pass\n"
        "class B(Engine): pass\n"
        "x = config._registered_options\n"
        "y = cw.PapermillNotebookClient._private\n"
    )
    tree = ast.parse(code)
    found = [n for _, n in library_uses(tree) if any(_private(p) for p in n.split("."))]
    assert "pandas._config.config" in found
    assert "pandas._config.config._registered_options" in found
    assert "papermill.clientwrap.PapermillNotebookClient._private" in found
    bases = [b for _, b in subclassed_bases(tree) if b not in EXTENSION_POINTS]
    assert bases == ["papermill.clientwrap.PapermillNotebookClient"]
