"""Shared fixtures: a tiny valid raw-data folder that tests then break in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from digital_exports.contract.releases import add_checksums

RELEASE_YML = """\
title: "Exportations numériques : test"
outlet: le360
url: https://example.org/article
date_published: 2025-10-17
date_accessed: 2026-11-26
language: fr
producer: Office des Changes
data_status: preliminary
notes: A tiny hand-made release for the tests.
"""

FIGURES_CSV = """\
figure_id,series,segment,period,measure,value,unit,qualifier,base_period,note
a.level,digital_outsourcing_exports,total,2024,level,"26,2",milliards de dirhams,,,
a.change,digital_outsourcing_exports,total,2024,change_pct,"0,2",%,,2023,
b.level,digital_outsourcing_exports,ITO,2024,level,"10,6",milliards de dirhams,environ,,
c.share,digital_outsourcing_exports,ITO,2024,share_pct,40,%,plus de,,
d.level,digital_outsourcing_exports,total,2025-01..2025-06,level,"13,4",MMDH,,,
"""


class RawFolder:
    """A project-like folder (``pyproject.toml``, ``data/raw``, ``data/processed``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.raw = root / "data" / "raw"
        self.processed = root / "data" / "processed"
        self.release = self.raw / "le360" / "2025-10-17-test"
        self.release.mkdir(parents=True)
        self.processed.mkdir(parents=True)
        (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
        (self.release / "release.yml").write_text(RELEASE_YML, encoding="utf-8")
        (self.release / "figures.csv").write_text(FIGURES_CSV, encoding="utf-8")
        self.seal()

    def seal(self) -> None:
        """Rewrite SHA256SUMS so that it lists the files as they are now."""
        (self.raw / "SHA256SUMS").unlink(missing_ok=True)
        add_checksums(self.raw)

    def edit(self, name: str, old: str, new: str, *, seal: bool = True) -> None:
        path = self.release / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        if seal:
            self.seal()


@pytest.fixture
def raw_folder(tmp_path: Path) -> RawFolder:
    return RawFolder(tmp_path)
