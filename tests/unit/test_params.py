"""Notebook parameters: declared once, checked before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from digital_exports.run.params import (
    ParameterError,
    check_namespace,
    notebook_defaults,
    validate,
)
from digital_exports.run.steps import SPECS

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_spec_matches_the_notebook_parameters_cell(name):
    defaults = notebook_defaults(NOTEBOOKS / f"{name}.ipynb")
    assert set(defaults) == set(SPECS[name])
    validate(name, defaults)  # the defaults themselves are valid


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"yaer": 2024}, "unknown parameter 'yaer'; expected one of series, year, lang, currency"),
        ({"year": "abc"}, "parameter 'year' = 'abc' is a str; expected"),
        (
            {"currency": "JPY"},
            "parameter 'currency' = 'JPY' is not allowed; expected one of 'MAD', 'USD', 'EUR'",
        ),
        ({"lang": "de"}, "'fr', 'en'"),
        ({"year": 1899}, "from 1900 to 2099"),
        ({"year": "last"}, "or 'latest'"),
    ],
)
def test_bad_parameters_name_the_parameter_and_the_allowed_values(params, needle):
    with pytest.raises(ParameterError) as err:
        validate("30_segment_breakdown", params)
    assert needle in str(err.value)


def test_a_period_parameter_follows_the_grammar():
    with pytest.raises(ParameterError, match="period"):
        validate("40_period_comparison", {"period": "2024-Q5"})
    validate("40_period_comparison", {"period": "2024-Q4", "base_period": "2024-Q3"})


def test_check_namespace_sees_injected_names_but_not_modules_or_functions():
    import math

    namespace = {
        "series": "digital_outsourcing_exports",
        "year": 2024,
        "lang": "fr",
        "currency": "MAD",
        "math": math,
        "validate": validate,
        "_i1": "x",
        "In": [],
        "get_ipython": print,
    }
    check_namespace(namespace, "30_segment_breakdown")
    with pytest.raises(ParameterError, match="yaer"):
        check_namespace({**namespace, "yaer": 2023}, "30_segment_breakdown")
    del namespace["year"]
    with pytest.raises(ParameterError, match="year are not set"):
        check_namespace(namespace, "30_segment_breakdown")
