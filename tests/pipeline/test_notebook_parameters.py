"""The analysis notebooks with a second parameter set, and with bad parameters, via papermill."""

from __future__ import annotations

from pathlib import Path

import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from digital_exports.run.notebooks import KERNEL_NAME

ROOT = Path(__file__).resolve().parents[2]


def run(name: str, tmp_path: Path, **parameters) -> str:
    nb = papermill.execute_notebook(
        str(ROOT / "notebooks" / f"{name}.ipynb"),
        str(tmp_path / f"{name}.ipynb"),
        parameters=parameters,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(ROOT),
    )
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            texts.append(out.get("text", ""))
            texts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(texts)


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
            "40_period_comparison",
            {"period": "2022-Q4", "base_period": "2022-Q3"},
            [
                "Aucun niveau de la série Numérique et externalisation (OC-MTNRA, 2023+) n'est "
                "connu pour T4 2022 ni pour T3 2022"
            ],
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
def test_a_second_parameter_set_runs(name, parameters, needles, tmp_path):
    text = run(name, tmp_path, **parameters)
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
def test_bad_parameters_stop_the_run_naming_the_parameter(parameters, needle, tmp_path):
    with pytest.raises(PapermillExecutionError) as err:
        run("30_segment_breakdown", tmp_path, **parameters)
    assert err.value.ename == "ParameterError" and needle in err.value.evalue
