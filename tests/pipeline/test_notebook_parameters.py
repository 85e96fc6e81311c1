"""The analysis notebooks with a second parameter set (one run of the runner on the session's
built project, every set in one parameter file), and with bad parameters (refused by the check
the notebook runs first, and by the runner before any kernel starts)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from digital_exports.notebook import check_parameters
from digital_exports.run.params import ParameterError, notebook_defaults
from digital_exports.run.runner import run
from digital_exports.run.steps import STEP_BY_NAME, Job, plan_jobs


def text_of(path: Path) -> str:
    """The text outputs of an executed notebook."""
    texts = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for out in cell.get("outputs", []):
            texts.append("".join(out.get("text", "")))
            texts.extend(
                "".join(v) for k, v in out.get("data", {}).items() if k.startswith("text/")
            )
    return "\n".join(texts)


NOTEBOOK_30 = Path(__file__).resolve().parents[2] / "notebooks" / "30_segment_breakdown.ipynb"
SETS = [
    ("30_segment_breakdown", {"year": 2023, "lang": "en", "currency": "USD"}),
    ("40_period_comparison", {"period": "2024-Q4", "base_period": "2024-Q3"}),
    ("50_long_run", {"start": 2010, "end": 2024, "lang": "en", "currency": "USD"}),
    ("60_verify_release", {"release": "managers-tn/2025-10-24-numerique-moteur-exportation"}),
]


@pytest.fixture(scope="module")
def second_sets(built: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built project after one run with every set below as a parameter file."""
    root = built["root"]
    sets: dict[str, list[dict]] = {}
    for name, parameters in SETS:
        sets.setdefault(name, [{}]).append(parameters)
    path = tmp_path_factory.mktemp("sets") / "sets.yaml"
    path.write_text(yaml.safe_dump(sets), encoding="utf-8")
    out = io.StringIO()
    assert run(root, [], path, force=False, n_workers=2, out=out) == 0, out.getvalue()
    assert out.getvalue().count("ran   ") == len(SETS), out.getvalue()
    return root


@pytest.mark.parametrize(
    ("name", "parameters", "needles"),
    [
        (
            "30_segment_breakdown",
            {"year": 2023, "lang": "en", "currency": "USD"},
            [
                "IT outsourcing (ITO) 2023: no level, share and change published or derivable",
                "USD million",
            ],
        ),
        (
            "40_period_comparison",
            {"period": "2024-Q4", "base_period": "2024-Q3"},
            ["Relation client (CRM)", "-22,4\u202f%"],
        ),
        (
            "50_long_run",
            {"start": 2010, "end": 2024, "lang": "en", "currency": "USD"},
            ["Levels converted to USD"],
        ),
        (
            "60_verify_release",
            {"release": "managers-tn/2025-10-24-numerique-moteur-exportation"},
            ["converted at other rate", "près de 2,8 milliards de dollars"],
        ),
    ],
)
def test_a_second_parameter_set_runs(name, parameters, needles, second_sets):
    root = second_sets
    step = STEP_BY_NAME[name]
    defaults = notebook_defaults(root / step.notebook)
    given = {k: v for k, v in parameters.items() if defaults.get(k) != v}
    stem = Job(step, given, defaults).stem
    text = text_of(root / "reports" / "notebooks" / f"{stem}.ipynb")
    for needle in needles:
        assert needle in text, needle


@pytest.mark.parametrize(
    ("parameters", "needle"),
    [
        ({"yaer": 2024}, "unknown parameter 'yaer'; expected one of series, year, lang, currency"),
        ({"year": "abc"}, "parameter 'year' = 'abc' is a str"),
        ({"currency": "JPY"}, "'currency' = 'JPY' is not allowed; expected one of 'MAD', 'USD'"),
    ],
)
def test_bad_parameters_stop_the_notebook_naming_the_parameter(parameters, needle):
    """What the notebook's first cell runs on its namespace after papermill injected the
    parameters (the refusal inside a kernel: ``test_stray_parameters.py``)."""
    namespace = {**notebook_defaults(NOTEBOOK_30), **parameters}
    with pytest.raises(ParameterError) as err:
        check_parameters(namespace, "30_segment_breakdown")
    assert needle in str(err.value)


def test_a_period_without_data_is_refused_before_any_kernel_starts(built):
    with pytest.raises(ParameterError, match="'2022-Q4': no level of digital_outsourcing_exports"):
        plan_jobs(built["root"], ["period=2022-Q4", "base_period=2022-Q3"], None)
