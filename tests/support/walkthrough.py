"""The README's "When a new release comes out", followed once on a copy of the project under
git: a full-year 2025 release of the Office des Changes that revises the seed's 2024-H1 total."""

from __future__ import annotations

from pathlib import Path

from support.workflow import cli, git_copy

SEED = "le360/2025-10-17-exportations-numeriques"
NEW = "office-des-changes/2026-04-20-exportations-services-numeriques-2025"
S = "digital_outsourcing_exports"

RELEASE_YML = f"""\
title: "Exportations de services numériques : bilan 2025"
outlet: "Office des Changes"
url: "https://www.oc.gov.ma/fr/publications/exportations-services-numeriques-2025"
date_published: 2026-04-20
date_accessed: 2026-04-21
language: fr
producer: "Office des Changes"
data_status: preliminary
notes: "Full-year 2025 figures of the new framework; the 2024-H1 total is revised."
revises: ["{SEED}"]
"""

#: 2025 by segment (levels add up to the total, shares to 100), a change over 2024, and the
#: 2024-H1 total revised from the preliminary 12,9 of the seed article to 12,95 (within
#: rounding, and consistent with the article's 3,5 % growth to 13,4 in 2025-H1).
ROWS = [
    ("T.level", "total", "2025", "level", "28,4", "milliards de dirhams", "", ""),
    ("T.change", "total", "2025", "change_pct", "8,4", "%", "", "2024"),
    ("ITO.level", "ITO", "2025", "level", "11,5", "milliards de dirhams", "", ""),
    ("CRM.level", "CRM", "2025", "level", "10,4", "milliards de dirhams", "", ""),
    ("ESO.level", "ESO", "2025", "level", "4,0", "milliards de dirhams", "", ""),
    ("BPO.level", "BPO", "2025", "level", "2,4", "milliards de dirhams", "", ""),
    ("KPO.level", "KPO", "2025", "level", "0,1", "milliards de dirhams", "", ""),
    ("ITO.share", "ITO", "2025", "share_pct", "40,5", "%", "", ""),
    ("CRM.share", "CRM", "2025", "share_pct", "36,6", "%", "", ""),
    ("H1.level", "total", "2024-H1", "level", "12,95", "milliards de dirhams", "", ""),
]


def figures_csv(rows: list[tuple]) -> str:
    head = "figure_id,series,segment,period,measure,value,unit,qualifier,base_period,note\n"
    body = "".join(
        ",".join(f'"{c}"' if "," in c else c for c in (fid, S, *rest[:5], rest[5], rest[6], ""))
        + "\n"
        for fid, *rest in rows
    )
    return head + body


def fill(root: Path, rows: list[tuple] = ROWS) -> Path:
    folder = root / "data" / "raw" / NEW
    (folder / "release.yml").write_text(RELEASE_YML, encoding="utf-8")
    (folder / "figures.csv").write_text(figures_csv(rows), encoding="utf-8")
    return folder


def walk(root: Path) -> dict:
    """The README walkthrough, once: the commands' outputs and the project after the run."""
    git_copy(root)
    out = {"root": root}
    out["new"] = cli(
        root,
        "new-release",
        "office-des-changes",
        "2026-04-20",
        "exportations-services-numeriques-2025",
    )
    fill(root)
    out["check"] = cli(root, "check", f"data/raw/{NEW}")
    out["seal"] = cli(root, "checksums", "--add")
    out["run"] = cli(root, "run", "--root", str(root), "--jobs", "2")
    out["rerun"] = cli(root, "run", "--root", str(root), "--jobs", "2")
    return out
