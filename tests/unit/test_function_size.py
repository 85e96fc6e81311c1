"""The house rule that no function in ``src/`` runs over :data:`MAX_LINES` lines (its
signature, docstring and body), checked here rather than left to review."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
MAX_LINES = 80


def long_functions(source: str, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """``(name, lines)`` of every function (methods and nested ones too) longer than ``limit``."""
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > limit
    ]


def test_no_function_in_src_is_longer_than_the_limit():
    found = [
        f"{path.relative_to(SRC)}: {name} ({lines} lines)"
        for path in sorted(SRC.rglob("*.py"))
        for name, lines in long_functions(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"functions over {MAX_LINES} lines:\n" + "\n".join(found)


def test_the_count_includes_signature_docstring_and_body():
    body = "\n".join(f"    x{i} = {i}" for i in range(78))
    assert long_functions(f"def f():\n    '''doc'''\n{body}\n", limit=79) == [("f", 80)]
    assert long_functions(f"def f():\n    '''doc'''\n{body}\n") == []
