"""Citation and terms: CITATION.cff is valid, the licences agree, and the README's data
availability statement covers every source folder under data/raw/."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WB_PAGE = "https://data.worldbank.org/indicator/PA.NUS.FCRF"
WB_API = "https://api.worldbank.org/v2/country/MAR/indicator/PA.NUS.FCRF"


def _problem(path: Path) -> str | None:
    """What cffconvert (its Python API, as ``cffconvert --validate`` runs it) finds wrong with
    the citation file at ``path``; None when it is valid."""
    from cffconvert.cli.create_citation import create_citation

    try:
        create_citation(str(path), None).validate()
    except Exception as exc:  # jsonschema's ValidationError, or a YAML error
        return f"{type(exc).__name__}: {exc}"
    return None


def test_citation_cff_is_valid():
    assert _problem(ROOT / "CITATION.cff") is None


def test_cffconvert_rejects_an_invalid_citation(tmp_path):
    """cffconvert runs on a jsonschema it does not declare (see requirements.lock): it must
    still catch errors, here an unknown key and an empty author list."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    for broken in ({**cff, "licence": "MIT"}, {**cff, "authors": []}):
        path = tmp_path / "CITATION.cff"
        path.write_text(yaml.safe_dump(broken, allow_unicode=True))
        assert _problem(path) is not None, broken


def test_code_licence_is_mit_everywhere():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert project["license"] == {"text": "MIT"}
    assert cff["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    assert cff["version"] == project["version"]


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {heading}' section"
    return match[1]


def test_data_availability_statement_covers_every_source_folder():
    """A new outlet under data/raw/ needs its statement: which producer, how to access it, terms."""
    statement = _section((ROOT / "README.md").read_text(), "Data availability statement")
    named = set(re.findall(r"`([a-z0-9][a-z0-9-]*)/`", statement))
    outlets = {p.name for p in (ROOT / "data" / "raw").iterdir() if p.is_dir()}
    assert outlets <= named, (
        f"no data availability statement for: {sorted(outlets - named)}; the statement's table "
        "is generated from the releases by every run: run make all"
    )
    assert named <= outlets, f"statement names folders not in data/raw/: {sorted(named - outlets)}"


def test_rates_are_cited_from_the_world_bank_itself():
    readme = (ROOT / "README.md").read_text()
    terms = (ROOT / "DATA_LICENSE.md").read_text()
    refs = yaml.safe_load((ROOT / "CITATION.cff").read_text())["references"]
    for text in (_section(readme, "Data availability statement"), terms):
        assert WB_PAGE in text and WB_API in text
    (wdi,) = [r for r in refs if "PA.NUS.FCRF" in r["title"]]
    assert (wdi["url"], wdi["repository"], wdi["license"]) == (WB_PAGE, WB_API, "CC-BY-4.0")
    for text in (terms, _section(readme, "Citation and terms")):
        assert "CC BY 4.0" in text
