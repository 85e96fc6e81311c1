"""Tiny hand-built tables of printed figures for the reconcile, derive and check tests."""

from __future__ import annotations

import pandas as pd

from digital_exports.contract.printed import read_printed

SERIES = "digital_outsourcing_exports"


def fig(
    release: str,
    fid: str,
    segment: str,
    period: str,
    measure: str,
    printed: str,
    unit: str = "milliards de dirhams",
    qualifier: str = "",
    base: str = "",
    status: str = "preliminary",
    date: str = "2025-10-17",
    series: str = SERIES,
    producer: str = "Office des Changes",
) -> dict:
    """One row of ``published_figures.csv``, read with the real parser."""
    if measure != "level" and unit == "milliards de dirhams":
        unit = "%"
    r = read_printed(printed, unit, qualifier)
    return {
        "release_id": release,
        "url": f"https://example.org/{release}",
        "outlet": release.split("/")[0],
        "figure_id": fid,
        "series": series,
        "segment": segment,
        "period": period,
        "measure": measure,
        "base_period": base,
        "value_printed": printed,
        "unit_printed": unit,
        "qualifier": qualifier,
        "interval_rule": r.family.value,
        "value": r.value,
        "low": r.low,
        "high": r.high,
        "low_fine": r.low_fine,
        "high_fine": r.high_fine,
        "step": r.step,
        "coarse": r.coarse,
        "unit": r.unit,
        "data_status": "forecast" if r.forecast else status,
        "producer": producer,
        "date_published": date,
    }


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))
