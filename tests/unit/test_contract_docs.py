"""The contract's grammar sections are generated from the declarations: they never drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from digital_exports.contract import contract_docs, units

README = Path(__file__).resolve().parents[2] / "data" / "raw" / "README.md"


def test_the_contract_shows_the_grammar_the_code_applies():
    text = README.read_text(encoding="utf-8")
    assert contract_docs.render(text) == text, (
        "data/raw/README.md is out of date: run .venv/bin/python -m digital_exports contract-docs"
    )


def test_a_new_spelling_in_the_declaration_makes_the_contract_stale(monkeypatch):
    text = README.read_text(encoding="utf-8")
    monkeypatch.setattr(units, "CONNECTORS", (*units.CONNECTORS, "en"))
    assert contract_docs.render(text) != text


def test_missing_markers_are_a_clear_error():
    with pytest.raises(ValueError, match="no markers for the generated section 'units'"):
        contract_docs.render("# a contract without its generated sections\n")
