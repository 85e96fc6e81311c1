"""The next releases: valid new data dropped into a copy of the project never breaks the
pipeline, the seed article's replication, or the one-row-per-key promise; disagreeing prints are
chosen by evidence."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pandas as pd
import pytest
from support.project import copy_project
from support.releases import H1, S, future_half_year, generated_period_release, seal
from support.seed import assert_seed_replicated

from digital_exports.model.build import build_series_tables
from digital_exports.model.reconcile import KEY
from digital_exports.tables.ingest import ingest_step
from digital_exports.tables.io import read_table
from digital_exports.tables.outputs import write_tables

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def with_2026(tmp_path_factory) -> Path:
    """A copy of the project with the invented half-year releases added and sealed."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    future_half_year(root / "data" / "raw")
    seal(root / "data" / "raw")
    return root


@pytest.fixture(scope="module")
def tables_2026(with_2026) -> dict[str, pd.DataFrame]:
    out = with_2026 / "data" / "processed"
    ingest_step(with_2026 / "data" / "raw", out, with_2026)
    tables = build_series_tables(read_table(out / "published_figures.csv"))
    write_tables(tables, out)
    return tables


def test_the_print_the_identities_support_is_kept_and_explained(tables_2026):
    series, conflicts = tables_2026["series.csv"], tables_2026["conflicts.csv"]
    total = series[
        (series["series"] == S)
        & (series["segment"] == "total")
        & (series["period"] == H1)
        & (series["measure"] == "level")
    ].iloc[0]
    assert total["value"] == 14200.0 and total["conflicted"]
    kept = conflicts[
        (conflicts["period"] == H1)
        & (conflicts["segment"] == "total")
        & (conflicts["measure"] == "level")
        & conflicts["chosen"]
    ]
    assert kept["value_printed"].tolist() == ["14,2"]
    assert "identities support it" in kept["chosen_because"].item()
    assert "segments_sum" in kept["chosen_because"].item()


def test_the_kept_release_is_not_contradicted_by_its_own_figures(tables_2026):
    checks = tables_2026["checks.csv"]
    mine = checks[checks["printed_ref"].str.startswith("oc-bulletin/2090-10-15")]
    assert len(mine) >= 3 and "contradicted" not in set(mine["verdict"])
    contradicted = checks[checks["verdict"] == "contradicted"]["printed_ref"]
    assert "english-daily/2090-10-21-digital-exports-h1#ITO.share" in set(contradicted)


def test_one_key_one_row_and_failed_checks_reach_the_row(tables_2026):
    series = tables_2026["series.csv"]
    assert not series.duplicated(list(KEY)).any()
    ito_share = series[
        (series["segment"] == "ITO") & (series["period"] == H1) & (series["measure"] == "share_pct")
    ].iloc[0]
    assert ito_share["check_failed"] and ito_share["checks_contradicted"] >= 1


def test_english_and_arabic_prints_are_read_right(tables_2026):
    published = tables_2026["series.csv"]
    ito = published[
        (published["segment"] == "ITO")
        & (published["period"] == H1)
        & (published["measure"] == "level")
    ].iloc[0]
    # 5,6 Mds (OC) and "حوالي 5.6 مليار درهم": the Arabic decimal point read as a decimal point.
    mine = {"oc-bulletin/", "english-daily/", "arabic-daily/"}
    assert {i.split("/")[0] + "/" for i in ito["inputs"].split(";")} >= mine
    assert ito["low"] <= 5600 <= ito["high"]
    assert ito["agreement"] == "agree"  # 5,6 (fr), just over 5.5 (en), حوالي 5.6 (ar)


def test_the_seed_replication_holds_with_the_new_releases(with_2026, tables_2026):
    assert_seed_replicated(with_2026 / "data" / "processed")


@pytest.mark.parametrize("seed", range(4))
def test_generated_releases_never_break_the_tables_or_the_seed(tmp_path, seed):
    rng = random.Random(seed)
    root = copy_project(tmp_path)
    raw = root / "data" / "raw"
    made = [generated_period_release(rng, raw, k, agree=bool(k % 2)) for k in range(3)]
    seal(raw)
    out = root / "data" / "processed"
    ingest_step(raw, out, root)
    tables = build_series_tables(read_table(out / "published_figures.csv"))
    write_tables(tables, out)
    series, checks = tables["series.csv"], tables["checks.csv"]
    assert not series.duplicated(list(KEY)).any()
    for release in made:
        mine = checks[checks["printed_ref"].str.startswith(release + "#")]
        assert len(mine) > 0
        # Segments add up to the printed total, whatever the shares say.
        sums = mine[mine["kind"] == "segments_sum"]
        assert set(sums["verdict"]) == {"consistent"}, sums["reason"].tolist()
    off = checks[(checks["kind"] == "share_from_levels") & (checks["verdict"] == "contradicted")]
    assert {r.split("#")[0] for r in off["printed_ref"]} == {made[0], made[2]}
    derived = series[series["origin"] == "derived"]
    unbounded = derived[~(derived["low"].map(math.isfinite) & derived["high"].map(math.isfinite))]
    assert unbounded["value"].isna().all()
    assert_seed_replicated(out)


def test_the_full_pipeline_runs_on_a_copy_with_new_releases(hostile):
    """The new-and-hostile-releases world holds these releases too, run by the runner."""
    processed = hostile["root"] / "data" / "processed"
    releases = set(read_table(processed / "releases.csv")["release_id"])
    assert {
        "oc-bulletin/2090-10-15-exportations-s1-2026",
        "arabic-daily/2090-10-22-sadirat-raqmiya",
    } <= releases
    assert_seed_replicated(processed)
    series = read_table(processed / "series.csv")
    assert not series.duplicated(list(KEY)).any()
