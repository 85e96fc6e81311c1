"""What the runner writes besides the notebooks: each executed notebook's two HTML reports with
their provenance, the index of every current report, and the manifest of the run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from digital_exports.report.records import Record, is_stale, read_records, remove_record
from digital_exports.run.params import ParameterError, validate
from digital_exports.run.steps import STEP_BY_NAME, STEPS, Job, Step, output_stem
from digital_exports.tables.outputs import atomic_write


def releases_of(root: Path, job: Job, nb: Any) -> list[str] | None:
    """The releases a report rests on: the one its step's ``scope`` parameter names, else those
    the executed notebook recorded (the releases of its own rows,
    :mod:`digital_exports.base.recorded`), else every release (None)."""
    from digital_exports.base.recorded import recorded_releases

    if job.step.scope:
        return [str(job.value(job.step.scope))]
    if not (root / "data" / "processed" / "releases.csv").is_file():
        return []
    return recorded_releases(nb)


def export_html(
    root: Path, job: Job, nb: Any, git: tuple[str, bool], release_ids: list[str] | None
) -> None:
    """Export an executed notebook to its two HTML reports, with the provenance of the releases
    it rests on (:func:`releases_of`)."""
    from digital_exports.report import html as report

    prov = report.provenance_for(
        root,
        release_ids,
        job.params,
        job.defaults,
        git=git,
        resolved=job.resolved,
        lang=str(job.value("lang") or "en"),
    )
    out_dir = root / "reports" / "html"
    out_dir.mkdir(parents=True, exist_ok=True)
    report.export_notebook(nb, out_dir, job.stem, prov, title=job.label)


def current_reports(root: Path) -> list[tuple[Step, str, Path]]:
    """The reports on disk (this run's and earlier runs' with other parameters), from their
    records, whose parameters are still valid; a report made for a release that is no longer in
    ``data/raw/`` (or with any parameter now refused) is deleted with its record, not linked."""
    return [(step, record.stem, reader) for step, record, reader in _current(root)]


def _current(root: Path) -> list[tuple[Step, Record, Path]]:
    reports_dir = root / "reports"
    found = []
    for stem, record in read_records(root).items():
        step = STEP_BY_NAME.get(record.step)
        reader = reports_dir / "html" / f"{stem}.html"
        if step is None or not reader.is_file():
            continue
        try:
            validate(step.name, record.parameters, root)
        except ParameterError:
            for stale in (
                reader,
                reader.with_name(f"{stem}.code.html"),
                reports_dir / "notebooks" / f"{stem}.ipynb",
            ):
                stale.unlink(missing_ok=True)
            remove_record(root, stem)
            continue
        found.append((step, record, reader))
    return found


def write_index_and_manifest(
    root: Path, jobs: list[Job], git: tuple[str, bool], seconds: float
) -> None:
    """``reports/index.html`` (every current report, chart and table, and what changed) and
    ``reports/manifest.json`` (versions, parameters and digests of the run)."""
    from digital_exports.report import changes, keyfigures, readme
    from digital_exports.report import html as report

    reports_dir = root / "reports"
    entries, charts = [], set[Path]()
    verified: dict[str, str] = {}  # release id -> its verification report, for the index
    for step, record, reader in _current(root):
        if step.scope:
            verified[str(record.parameters[step.scope])] = f"html/{reader.name}"
        slug_text = record.stem.split("__", 1)[1] if "__" in record.stem else ""
        entries.append(
            {
                "title": step.title + (f" ({slug_text})" if slug_text else ""),
                "reader": reader,
                "code": reader.with_name(f"{record.stem}.code.html"),
                "notebook": step.notebook,
                "parameters": record.parameters,
                "stale": is_stale(root, record),
            }
        )
        chart = _chart(root, step, {**record.parameters, **record.drawn})
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
        key_figures=keyfigures.html_block(keyfigures.key_figures(root / "data" / "processed")),
        outlets=keyfigures.outlets_block(root / "data" / "processed", verified),
    )
    readme.update(root)
    manifest = {
        "git": {"commit": git[0], "dirty": git[1]},
        "python": sys.version.split()[0],
        "packages": report.package_versions(),
        "run_seconds": round(seconds, 2),
        "jobs": [
            {
                "step": j.step.name,
                "notebook": j.step.notebook,
                "parameters": j.values,
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
