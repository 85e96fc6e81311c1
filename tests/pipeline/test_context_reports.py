"""Reports 70 (digital's share of services exports) and 80 (the first-half projection) on the
project's own build, and the projection graded once an outturn is printed.

The hand calculations read the prints of named releases (the Office des Changes' 2023 and 2025
services exports, the 2023 and 2024 digital totals), never today's row counts: a later release
that adds periods leaves them true.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from support.workflow import cli, git_copy

from digital_exports.analysis.context import services_share, share_direction
from digital_exports.contract.vocab import CONTEXT_SERIES
from digital_exports.model import projection as model_projection
from digital_exports.model.currency import Rates
from digital_exports.model.projection import ratios
from digital_exports.tables.io import read_table

DIGITAL = "digital_outsourcing_exports"
SERVICES = CONTEXT_SERIES[0]
#: Named prints of the seed data: (release, figure id) -> what a hand calculation uses.
SERVICES_2023 = ("le360/2024-01-01-mre-services-fin-decembre-2023", "SVC-2023.level")
SERVICES_2025 = ("atlasinfo/2026-01-31-transferts-services-2025", "SVC-2025.level")
SERVICES_2025_CHANGE = ("atlasinfo/2026-01-31-transferts-services-2025", "SVC-2025.change")


def _print(figures, release: str, figure: str) -> float:
    row = figures[(figures["release_id"] == release) & (figures["figure_id"] == figure)]
    assert len(row) == 1, (release, figure)
    return float(row["value"].iloc[0])


def _share_row(table, period: str):
    mine = table[
        (table["series"] == DIGITAL)
        & (table["context_series"] == SERVICES)
        & (table["period"] == period)
    ]
    assert len(mine) == 1, period
    return mine.iloc[0]


def test_the_shares_of_2023_and_2024_hold_the_hand_calculation(built):
    processed = built["root"] / "data" / "processed"
    figures = read_table(processed / "published_figures.csv")
    series = read_table(processed / "series.csv")
    digital = series[
        (series["series"] == DIGITAL)
        & (series["segment"] == "total")
        & (series["measure"] == "level")
    ].set_index("period")
    shares = services_share(
        series,
        read_table(processed / "projections.csv"),
        2023,
        2024,
        "MAD",
        Rates.from_series(series),
    ).table
    # 2023: the digital total over the printed services exports of 2023.
    by_hand = 100 * digital.loc["2023", "value"] / _print(figures, *SERVICES_2023)
    row = _share_row(shares, "2023")
    assert row["share_low"] <= by_hand <= row["share_high"]
    # 2024: services exports of 2024 are the 2025 level less its printed growth.
    services_2024 = _print(figures, *SERVICES_2025) / (
        1 + _print(figures, *SERVICES_2025_CHANGE) / 100
    )
    by_hand = 100 * digital.loc["2024", "value"] / services_2024
    row = _share_row(shares, "2024")
    assert row["share_low"] <= by_hand <= row["share_high"]
    assert "derived_denominator" in row["caveats"]


def test_report_70_says_in_words_whether_the_share_fell_or_rose(built):
    root = built["root"]
    processed = root / "data" / "processed"
    series = read_table(processed / "series.csv")
    table = services_share(
        series,
        read_table(processed / "projections.csv"),
        1900,
        2099,
        "MAD",
        Rates.from_series(series),
    ).table
    moved = share_direction(table)
    assert moved is not None
    said = {"fell": "a baissé", "rose": "a augmenté", "unclear": "ne permettent pas de dire"}
    page = (root / "reports" / "html" / "70_context.html").read_text(encoding="utf-8")
    assert said[moved[0]] in page
    assert "drapeau f" in page  # the projected year is said to be a projection


def test_report_80_gives_a_projection_and_a_backtest_of_every_graded_year(built):
    root = built["root"]
    record = json.loads((root / "reports/.state/records/80_projection.json").read_text())
    year = record["parameters"]["year"]
    projections = read_table(root / "data" / "processed" / "projections.csv")
    mine = projections[(projections["series"] == DIGITAL) & (projections["period"] == str(year))]
    assert len(mine) == 1
    assert mine["low"].iloc[0] < mine["value"].iloc[0] < mine["high"].iloc[0]
    chart = root / "reports" / "figures" / f"projection_{DIGITAL}_{year}_fr.csv"
    drawn = pd.read_csv(chart)
    family_graded = projections[projections["grade"].isin(["inside", "outside"])]
    # The backtest covers every year of the family with a first half and a year.
    assert set(family_graded["period"].astype(str)) <= set(drawn["period"].astype(str))
    checks = read_table(root / "data" / "processed" / "checks.csv")
    graded = checks[checks["kind"] == "projection_outturn"]
    assert len(graded) == len(family_graded)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the project with a release, added through the command line, that prints the
    first half of the year after the latest the data hold and that year's outturn, chosen
    inside what the rule projects (the first half over the mean of the family's first-half
    weights); only steps 10, 20 and 80 run. Relative to the data, so a real release of that
    year added later leaves the test true. It needs its own copy: it adds a release."""
    root = tmp_path_factory.mktemp("planted")
    git_copy(root)
    series = read_table(root / "data" / "processed" / "series.csv")
    weights = [r.point for r in ratios(series)]
    totals = series[
        (series["series"] == DIGITAL) & (series["segment"] == "total")
        & (series["measure"] == "level") & series["period_kind"].isin(["year", "half"])
    ]  # fmt: skip
    year = max(int(p[:4]) for p in totals["period"]) + 1
    last_h1 = totals[totals["period"].str.endswith("-H1")].sort_values("period").iloc[-1]
    h1 = round(last_h1["value"] * 1.05 / 1000, 1)
    outturn = round(h1 / (sum(weights) / len(weights)), 1)
    fr = lambda x: f"{x:.1f}".replace(".", ",")  # noqa: E731
    date = f"{year + 1}-03-15"
    slug = f"exportations-numeriques-{year}"
    release = f"le360/{date}-{slug}"
    out = {"root": root, "year": year, "release": release}
    out["new-release"] = cli(root, "new-release", "le360", date, slug)
    folder = root / "data" / "raw" / release
    (folder / "release.yml").write_text(
        f"""\
title: "Exportations numériques : l'année {year}"
outlet: "le360"
url: "https://fr.le360.ma/economie/exportations-numeriques-{year}"
date_published: {date}
date_accessed: {date}
language: fr
producer: "Office des Changes"
data_status: preliminary
notes: "Invented for the tests: a first half and the outturn of its year."
""",
        encoding="utf-8",
    )
    (folder / "figures.csv").write_text(
        "figure_id,series,segment,period,measure,value,unit,qualifier,base_period,note\n"
        f'H1.level,{DIGITAL},total,{year}-H1,level,"{fr(h1)}",milliards de dirhams,,,\n'
        f'Y.level,{DIGITAL},total,{year},level,"{fr(outturn)}",milliards de dirhams,,,\n',
        encoding="utf-8",
    )
    out["check"] = cli(root, "check", release)
    out["seal"] = cli(root, "checksums", "--add")
    # The default year of report 80 is the latest first half: the planted one.
    out["run"] = cli(root, "run", "--root", str(root), "--only", "80")
    return out


def test_a_printed_outturn_grades_the_projection(planted):
    for step in ("new-release", "check", "seal", "run"):
        assert planted[step].returncode == 0, (step, planted[step].stdout, planted[step].stderr)
    root, year = planted["root"], planted["year"]
    projections = read_table(root / "data" / "processed" / "projections.csv")
    row = projections[(projections["series"] == DIGITAL) & (projections["period"] == str(year))]
    assert row["grade"].iloc[0] == "inside"
    # Leave-one-out: the year's own outturn never moves its projection.
    series = read_table(root / "data" / "processed" / "series.csv")
    before = model_projection.projections(series[series["period"] != str(year)])
    mine = before[(before["series"] == DIGITAL) & (before["period"] == str(year))]
    for c in ("value", "low", "high"):
        assert row[c].iloc[0] == pytest.approx(mine[c].iloc[0])
    assert row["outturn_release"].iloc[0] == planted["release"]
    checks = read_table(root / "data" / "processed" / "checks.csv")
    graded = checks[checks["check_id"] == f"projection_outturn:{DIGITAL}|total|{year}|level"]
    assert list(graded["verdict"]) == ["projection_inside"]
    record = json.loads((root / "reports/.state/records/80_projection.json").read_text())
    assert record["parameters"]["year"] == year
    page = (root / "reports" / "html" / "80_projection.html").read_text(encoding="utf-8")
    assert "est dans l'intervalle" in page
    changes = (root / "data" / "processed" / "changes.csv").read_text(encoding="utf-8")
    assert f"projection_outturn:{DIGITAL}|total|{year}|level" in changes
