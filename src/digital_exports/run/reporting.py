"""What the runner writes besides the notebooks: each executed notebook's two HTML reports with
their provenance, the index of every current report, and the manifest of the run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from digital_exports.run.params import ParameterError, notebook_defaults, validate
from digital_exports.run.steps import STEP_BY_NAME, STEPS, Job, Step, output_stem
from digital_exports.tables.outputs import atomic_write


def export_html(root: Path, job: Job, nb: Any, git: tuple[str, bool]) -> None:
    """Export an executed notebook to its two HTML reports, with the provenance of the releases
    it rests on: the one its step's ``scope`` parameter names, else those the notebook recorded
    (the releases of its own rows, :mod:`digital_exports.base.recorded`), else every
    release."""
    from digital_exports.base.recorded import recorded_releases
    from digital_exports.report import html as report

    release_ids: list[str] | None = recorded_releases(nb)
    if job.step.scope:
        release_ids = [str(job.value(job.step.scope))]
    elif not (root / "data" / "processed" / "releases.csv").is_file():
        release_ids = []
    prov = report.provenance_for(root, release_ids, job.params, job.defaults, git=git)
    out_dir = root / "reports" / "html"
    out_dir.mkdir(parents=True, exist_ok=True)
    report.export_notebook(nb, out_dir, job.stem, prov, title=job.label)


def current_reports(root: Path) -> list[tuple[Step, str, Path]]:
    """The reports on disk (this run's and earlier runs' with other parameters) whose
    parameters are still valid; a report made for a release that is no longer in
    ``data/raw/`` (or with any parameter now refused) is deleted, not linked."""
    reports_dir = root / "reports"
    found = []
    for reader in sorted((reports_dir / "html").glob("*.html")):
        if reader.name.endswith(".code.html"):
            continue
        stem = reader.name[: -len(".html")]
        step = STEP_BY_NAME.get(stem.split("__")[0])
        if step is None:
            continue
        try:
            validate(step.name, _params_of(reports_dir, step, stem), root)
        except ParameterError:
            for stale in (
                reader,
                reader.with_name(f"{stem}.code.html"),
                reports_dir / "notebooks" / f"{stem}.ipynb",
            ):
                stale.unlink(missing_ok=True)
            continue
        found.append((step, stem, reader))
    return found


def write_index_and_manifest(
    root: Path, jobs: list[Job], git: tuple[str, bool], seconds: float
) -> None:
    """``reports/index.html`` (every current report, chart and table, and what changed) and
    ``reports/manifest.json`` (versions, parameters and digests of the run)."""
    from digital_exports.report import changes, freshness
    from digital_exports.report import html as report

    reports_dir = root / "reports"
    entries, charts = [], set[Path]()
    for step, stem, reader in current_reports(root):
        slug_text = stem.split("__", 1)[1] if "__" in stem else ""
        parameters = _params_of(reports_dir, step, stem)
        entries.append(
            {
                "title": step.title + (f" ({slug_text})" if slug_text else ""),
                "reader": reader,
                "code": reader.with_name(f"{stem}.code.html"),
                "notebook": step.notebook,
                "parameters": parameters,
                "stale": freshness.is_stale(root, stem),
            }
        )
        chart = _chart(root, step, parameters)
        charts |= {chart} if chart else set()
    tables = sorted((root / "data" / "processed").glob("*.csv"))
    outputs_map = [
        {"output": o, "what": s.title, "notebook": s.notebook} for s in STEPS for o in s.outputs
    ]
    report.write_index(
        reports_dir / "index.html",
        PROJECT_TITLE,
        PROJECT_INTRO,
        data_vintage(root),
        entries,
        sorted(charts),
        tables,
        outputs_map,
        what_changed=changes.section_html(root),
    )
    manifest = {
        "git": {"commit": git[0], "dirty": git[1]},
        "python": sys.version.split()[0],
        "packages": report.package_versions(),
        "run_seconds": round(seconds, 2),
        "jobs": [
            {
                "step": j.step.name,
                "notebook": j.step.notebook,
                "parameters": j.params,
                "status": j.status,
                "seconds": round(j.seconds, 2),
                "phases": j.phases,
                "message": j.message,
                "inputs": j.inputs,
                "outputs": j.outputs,
            }
            for j in jobs
        ],
    }
    atomic_write(
        reports_dir / "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode()
    )


def _chart(root: Path, step: Step, parameters: dict[str, Any]) -> Path | None:
    """The chart (PNG) a current report drew, when its step draws one and the file exists:
    the index shows these, never a file another run left in ``reports/figures/``."""
    if not step.draws:
        return None
    png = output_stem(root, step.name, parameters).with_suffix(".png")
    return png if png.is_file() else None


def _params_of(reports_dir: Path, step: Step, stem: str) -> dict[str, Any]:
    """The parameters a report was made with, read back from its executed notebook."""
    root = reports_dir.parent
    path = (
        root / step.notebook if stem == step.name else reports_dir / "notebooks" / f"{stem}.ipynb"
    )
    defaults = notebook_defaults(root / step.notebook)
    try:
        given = json.loads(path.read_text())["metadata"].get("papermill", {}).get("parameters", {})
    except (OSError, ValueError, KeyError):
        given = {}
    return {**defaults, **given}


PROJECT_TITLE = "Morocco's exports of digital and outsourcing services: replication package"
PROJECT_INTRO = (
    "Every figure printed on Morocco's exports of IT, call-centre, engineering, business- and "
    "knowledge-process services (ITO, CRM, ESO, BPO, KPO), kept as printed with its source, "
    "read into an interval, reconciled across outlets and checked against every identity the "
    "data allow. The first target is the le360 article of 17 October 2025, reproduced number "
    "by number."
)


def data_vintage(root: Path) -> str:
    """The vintage of the data, read from the validated ``releases.csv`` (never ``data/raw/``):
    the latest release printing export figures, and the latest stating preliminary data."""
    from digital_exports.tables.release_table import data_vintage as vintage_of

    return vintage_of(root / "data" / "processed")
