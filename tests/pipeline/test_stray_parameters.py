"""Parameters a user can aim: paths are not parameters, a release must exist, a parameter file
is checked against its schema, and file names are built from a one-to-one slug of each value.
Every refusal comes before any kernel starts, as a message with exit code 2."""

from __future__ import annotations

import subprocess
from pathlib import Path

import matplotlib
import pandas as pd
import papermill
import pytest
from matplotlib.figure import Figure
from papermill.exceptions import PapermillExecutionError
from support import workflow
from test_runner import copy_project, snapshot  # tests/pipeline is on sys.path (rootdir mode)

from digital_exports.analysis import charts
from digital_exports.run.notebooks import KERNEL_NAME
from digital_exports.run.paramfile import load_param_file
from digital_exports.run.params import ParameterError
from digital_exports.run.steps import MAX_PARAMETER_SETS, plan_jobs, slug

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[2]
SEED = "le360/2025-10-17-exportations-numeriques"


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``run --root ROOT ARGS``, in process (``main(argv)``)."""
    return workflow.cli(root, "run", "--root", str(root), *args)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("stray") / "project"
    folder.mkdir()
    return copy_project(folder)


@pytest.mark.parametrize(
    ("param", "needle"),
    [
        ("raw_dir=/elsewhere", "unknown parameter 'raw_dir'"),
        ("out_dir=../../../../tmp/x", "unknown parameter 'out_dir'"),
        ("out_dir=/abs/path", "unknown parameter 'out_dir'"),
        ("published=/etc/passwd", "unknown parameter 'published'"),
        ("release=../../../etc/passwd", "is not a release id"),
        ("release=/etc/passwd", "is not a release id"),
        (
            "release=le360/2025-10-17-exportations-numeriqeus",
            f"is not a release of data/raw/ ({{n}} releases); close names: {SEED}",
        ),
    ],
)
def test_a_stray_path_or_release_is_refused_before_any_kernel_starts(project, param, needle):
    n = len(list((project / "data" / "raw").glob("*/*/release.yml")))
    with pytest.raises(ParameterError) as err:
        plan_jobs(project, [param], None)
    assert needle.format(n=n) in str(err.value)
    before = snapshot(project)
    done = cli(project, "-p", param)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert "start " not in done.stdout  # no notebook, hence no kernel, was started
    assert not (project / "reports").exists()  # not even the lock was taken
    assert snapshot(project) == before


def test_a_path_injected_by_hand_is_refused_by_the_notebook(project, tmp_path):
    """papermill injects any name it is given; notebook 10 refuses it before reading."""
    before = snapshot(project)
    with pytest.raises(PapermillExecutionError) as err:
        papermill.execute_notebook(
            str(project / "notebooks" / "10_ingest_releases.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"raw_dir": "/elsewhere", "out_dir": str(tmp_path)},
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            cwd=str(project),
        )
    assert err.value.ename == "ParameterError"
    assert "unknown parameter" in err.value.evalue and "takes none" in err.value.evalue
    assert snapshot(project) == before


def test_the_ingest_command_writes_only_inside_the_project(project):
    done = workflow.cli(project, "ingest", "--out", "../../../../tmp/x")
    assert done.returncode == 2 and "is outside the project" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------------------ parameter files


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        (
            "30_segment_breakdown: !!python/object/apply:os.system ['true']\n",
            ["line 1", "expected plain YAML (no tags"],
        ),
        (
            "30_segment_breakdown: [5]\n",
            [
                "line 1 (30_segment_breakdown, set 1): found an integer (5)",
                "a mapping of parameter",
            ],
        ),
        ("- 30_segment_breakdown\n", ["found a list", "a mapping of step names"]),
        ("30_segment_breakdown: {year: 2023}\n", ["found a mapping", "a list of parameter sets"]),
        (
            "30_segment_breakdown:\n  - {year: 2023}\n  - {year: [2024]}\n",
            ["line 3 (30_segment_breakdown, set 2): found year = [2024] (a list)"],
        ),
        ("30_segment_breakdwn: [{year: 2023}]\n", ["step '30_segment_breakdwn'", "one of 30_"]),
        ("30_segment_breakdown: [{year: '2023'}]\n", ["'year' = '2023' is a str"]),
        (
            "30_segment_breakdown:\n"
            + "".join(f"  - {{year: {2000 + i % 30}}}\n" for i in range(MAX_PARAMETER_SETS + 1)),
            [f"expected at most {MAX_PARAMETER_SETS} sets"],
        ),
    ],
    ids=["yaml-tag", "not-a-mapping", "list", "not-a-list", "list-value", "step", "str", "limit"],
)
def test_a_bad_parameter_file_is_a_message_with_exit_code_2(project, tmp_path, text, needles):
    path = tmp_path / "sets.yaml"
    path.write_text(text, encoding="utf-8")
    done = cli(project, "--params-file", str(path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "start " not in done.stdout
    for needle in needles:
        assert needle in done.stderr, done.stderr


def test_a_huge_parameter_file_is_refused_without_being_parsed(tmp_path):
    path = tmp_path / "sets.yaml"
    path.write_text("30_segment_breakdown:\n" + "  - {year: 2023}\n" * 100_000)
    with pytest.raises(ParameterError, match="expected a parameter file of at most"):
        load_param_file(path)


def test_duplicate_parameter_sets_are_one_job():
    sets = {
        "30_segment_breakdown": [{"year": 2023}, {"year": 2023}, {}, {"year": "latest"}],
        "60_verify_release": [{"release": SEED}, {}],
    }
    jobs = plan_jobs(ROOT, [], sets)
    stems = [j.stem for j in jobs]
    assert len(stems) == len(set(stems))
    assert [s for s in stems if s.startswith("30_")] == [
        "30_segment_breakdown__year-2023",
        "30_segment_breakdown",
    ]
    assert [s for s in stems if s.startswith("60_")] == ["60_verify_release"]


# ------------------------------------------------------------------------------ file names


def test_range_periods_give_distinct_complete_file_names(tmp_path):
    first = plan_jobs(ROOT, ["period=2025-01..2025-06", "base_period=2024-01..2024-06"], None)
    # The same periods written another way (a range, a half): other names. (Parameters are
    # checked against the data, so both must be periods with levels.)
    second = plan_jobs(ROOT, ["period=2025-01..2025-06", "base_period=2024-H1"], None)
    a, b = (
        next(j for j in jobs if j.step.name == "40_period_comparison") for jobs in (first, second)
    )
    names = [p.name for p in a.declared_outputs(ROOT)]
    stem = "period_comparison_digital_outsourcing_exports_2025-01..2025-06_2024-01..2024-06_fr_MAD"
    assert names == [f"{stem}.{ext}" for ext in ("svg", "png", "pdf", "csv", "txt")]
    assert a.stem != b.stem and set(names).isdisjoint(p.name for p in b.declared_outputs(ROOT))
    # The chart is saved under exactly the declared names (the extension is appended).
    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "x")
    stem = tmp_path / names[0].removesuffix(".svg")
    written = charts.save(fig, stem, pd.DataFrame({"x": [1]}), "Chart: x.")
    assert [p.name for p in written] == names
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_the_slug_is_one_to_one():
    values = [
        "le360/2025-10-17-x",
        "le360-2025-10-17-x",
        "a~2Fb",
        "a/b",
        "é",
        "~C3~A9",
        "2025-01..2025-06",
    ]
    slugs = [slug(v) for v in values]
    assert len(set(slugs)) == len(values)
    assert all(
        set(s) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~")
        for s in slugs
    )
    assert (
        slug("2025-01..2025-06") == "2025-01..2025-06"
        and slug("digital_outsourcing_exports") == "digital_outsourcing_exports"
    )


# ------------------------------------------------------------------- checked against the data


def _level_periods(root: Path, series: str) -> list[str]:
    import csv

    with (root / "data" / "processed" / "series.csv").open(newline="") as f:
        return [
            r["period"]
            for r in csv.DictReader(f)
            if r["measure"] == "level" and r["series"] == series
        ]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        (["year=2030"], "parameter 'year' = 2030: no annual level of digital_outsourcing_exports"),
        (["period=2031-H1"], "parameter 'period' = '2031-H1': no level"),
        # periods of the seed article (the default period is the latest, whatever its kind)
        (
            ["period=2025-H1", "base_period=2024"],
            "12 months compared with the 6 of period = '2025-H1'",
        ),
        (["start=2030", "end=2030"], "parameter 'start' = 2030: no level from 2030 to 2030"),
        (["start=2020", "end=2010"], "parameter 'end' = 2010: before start = 2020"),
    ],
)
def test_a_value_with_no_data_stops_before_any_kernel_with_what_exists(project, params, needle):
    """A value the declaration allows but the data do not hold: exit 2 before any kernel
    starts, the message listing what is there (read from the table, not today's list)."""
    with pytest.raises(ParameterError) as err:
        plan_jobs(project, params, None)
    message = str(err.value)
    assert needle in message, message
    if params == ["year=2030"]:
        years = sorted(
            {p for p in _level_periods(project, "digital_outsourcing_exports") if p.isdigit()}
        )
        assert years and message.endswith("available: " + ", ".join(years))
    before = snapshot(project)
    done = cli(project, *[x for p in params for x in ("-p", p)])
    assert done.returncode == 2, done.stdout + done.stderr
    assert needle in done.stderr and "Traceback" not in done.stderr
    assert "start " not in done.stdout  # no notebook, hence no kernel, was started
    assert not (project / "reports").exists()
    assert snapshot(project) == before
