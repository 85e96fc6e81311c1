"""The key figures of reports 70 and 80 are computed once per state of the tables they read
(``keyfigures.context_figures``), so that a run that changes nothing stays fast; a change of
one of those tables computes them again."""

from __future__ import annotations

import shutil
from pathlib import Path

from digital_exports.report import keyfigures

ROOT = Path(__file__).resolve().parents[2]


def test_the_context_figures_are_kept_until_their_tables_change(tmp_path, monkeypatch):
    processed = tmp_path / "data" / "processed"
    shutil.copytree(ROOT / "data" / "processed", processed)
    (tmp_path / "reports" / ".state").mkdir(parents=True)
    first = keyfigures.context_figures(processed)
    assert first, "the committed tables give a share and a projection"
    assert (tmp_path / "reports" / ".state" / "context_figures.json").is_file()
    computed: list[int] = []
    real = keyfigures._context_figures
    monkeypatch.setattr(keyfigures, "_context_figures", lambda p: computed.append(1) or real(p))
    assert keyfigures.context_figures(processed) == first  # from the cache: equal, not computed
    assert computed == []
    path = processed / "releases.csv"  # any change of an input: the same rows, reordered
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "".join(reversed(lines[1:])), encoding="utf-8")
    assert keyfigures.context_figures(processed) == first
    assert computed == [1]
