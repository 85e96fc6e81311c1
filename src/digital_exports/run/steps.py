"""The pipeline's steps, declared once: each notebook with its parameters, the files it reads
and writes, the steps it follows, and which parameter names the releases behind its report.
The runner, the parameter checks and the notebooks' save paths all read this declaration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digital_exports.run.params import (
    BASE_PERIOD,
    BREAKDOWN_SERIES,
    CURRENCY,
    FIRST_HALF_YEAR,
    LANG,
    LATEST_PERIOD,
    LATEST_YEAR,
    MONEY,
    PROJECTED,
    RELEASE,
    YEAR,
    Param,
    ParameterError,
    check_against_data,
    drawn_currency,
    notebook_defaults,
    resolve,
    validate,
)


@dataclass(frozen=True)
class Step:
    """One notebook of the pipeline.

    Attributes:
        name: the notebook's name without extension (``30_segment_breakdown``).
        inputs: files or glob patterns (relative to the root) the notebook reads.
        outputs: files it writes besides itself; ``{param}`` placeholders take the job's
            parameter values.
        after: the steps whose outputs it reads.
        title: a line for the index page.
        params: its parameters: names, types and allowed values (the defaults are the values
            in the notebook's cell tagged ``parameters``). Paths are never parameters.
        scope: the parameter whose value names the one release the report is about (its
            provenance then lists that release only); empty for a report on every release.
        cost: how long the step runs compared with the others (1: a short notebook), for the
            scheduler: of the jobs ready at once the costliest starts first.
    """

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    after: tuple[str, ...]
    title: str
    params: dict[str, Param] = field(default_factory=dict)
    scope: str = ""
    cost: float = 1.0

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.name}.ipynb"

    @property
    def draws(self) -> bool:
        """Whether the step saves charts (it runs best on a kernel with matplotlib imported)."""
        return any(o.endswith((".svg", ".png", ".pdf")) for o in self.outputs)

    @property
    def writes_processed(self) -> bool:
        """Whether the step writes tables of ``data/processed/`` (the data package is built
        from them once every such step has run)."""
        return any(o.startswith("data/processed/") for o in self.outputs)


_P = "data/processed/"
#: What a chart is saved as (``charts.save``): SVG, PNG and PDF, the table drawn, its citation.
CHART_FILES = ("svg", "png", "pdf", "csv", "txt")


def _chart(stem: str) -> tuple[str, ...]:
    """The files of one chart of ``reports/figures/``, its stem holding ``{param}``s."""
    return tuple(f"reports/figures/{stem}.{ext}" for ext in CHART_FILES)


STEPS: tuple[Step, ...] = (
    Step(
        "10_ingest_releases",
        ("data/raw/**/*",),
        (_P + "published_figures.csv", _P + "releases.csv"),
        (),
        "Ingest the raw releases: every printed figure with its interval",
    ),
    Step(
        "20_reconcile_and_check",
        (_P + "published_figures.csv",),
        (
            _P + "series.csv",
            _P + "conversions.csv",
            _P + "conflicts.csv",
            _P + "checks.csv",
            _P + "revisions.csv",
            _P + "estimates.csv",
            _P + "series_metadata.csv",
            _P + "outlets.csv",
            _P + "projections.csv",
        ),
        ("10_ingest_releases",),
        "Reconcile, derive and check: conflicts and contradicted identities first",
    ),
    Step(
        "30_segment_breakdown",
        (_P + "series.csv", _P + "releases.csv"),
        _chart("segment_breakdown_{series}_{year}_{lang}_{currency}"),
        ("20_reconcile_and_check",),
        "Segment breakdown of a year (the article's chart)",
        {"series": BREAKDOWN_SERIES, "year": LATEST_YEAR, "lang": LANG, "currency": CURRENCY},
    ),
    Step(
        "40_period_comparison",
        (_P + "series.csv", _P + "releases.csv"),
        _chart("period_comparison_{series}_{period}_{base_period}_{lang}_{currency}"),
        ("20_reconcile_and_check",),
        "Two periods compared",
        {
            "series": MONEY,
            "period": LATEST_PERIOD,
            "base_period": BASE_PERIOD,
            "lang": LANG,
            "currency": CURRENCY,
        },
    ),
    Step(
        "50_long_run",
        (_P + "series.csv", _P + "releases.csv"),
        _chart("long_run_{start}_{end}_{lang}_{currency}"),
        ("20_reconcile_and_check",),
        "The long run, scope by scope",
        {"start": YEAR, "end": LATEST_YEAR, "lang": LANG, "currency": CURRENCY},
        cost=2.5,  # the largest chart: about 2.5 times the other analyses
    ),
    Step(
        "60_verify_release",
        (_P + "published_figures.csv", _P + "series.csv", _P + "checks.csv"),
        (),
        ("20_reconcile_and_check",),
        "Verify a release number by number (default: the le360 article)",
        {"release": RELEASE},
        scope="release",
    ),
    Step(
        "70_context",
        (_P + "series.csv", _P + "projections.csv", _P + "releases.csv"),
        _chart("services_share_{start}_{end}_{lang}_{currency}"),
        ("20_reconcile_and_check",),
        "Where digital stands: its share of Morocco's services exports",
        {"start": YEAR, "end": LATEST_YEAR, "lang": LANG, "currency": CURRENCY},
    ),
    Step(
        "80_projection",
        (_P + "projections.csv", _P + "releases.csv"),
        _chart("projection_{series}_{year}_{lang}"),
        ("20_reconcile_and_check",),
        "Where the year is heading: a projection from the first half, and its backtest",
        {"series": PROJECTED, "year": FIRST_HALF_YEAR, "lang": LANG},
    ),
)
STEP_BY_NAME = {s.name: s for s in STEPS}
#: Each step's parameters by name (read by ``params.validate`` and ``params.check_namespace``).
SPECS: dict[str, dict[str, Param]] = {s.name: s.params for s in STEPS}


def with_upstream(names: list[str]) -> set[str]:
    """The steps named (by name or by number: ``40`` or ``40_period_comparison``) and every
    step they follow, directly or not.

    Raises:
        ParameterError: a name that is no step.
    """
    by_number = {s.name.split("_", 1)[0]: s.name for s in STEPS}
    wanted: set[str] = set()
    todo = []
    for name in names:
        full = name if name in STEP_BY_NAME else by_number.get(name)
        if full is None:
            raise ParameterError(
                f"--only {name!r}: no such step; expected one of {', '.join(STEP_BY_NAME)} "
                "(or its number)"
            )
        todo.append(full)
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo.extend(STEP_BY_NAME[name].after)
    return wanted


#: The most parameter sets a parameter file may hold (all steps together).
MAX_PARAMETER_SETS = 64

_SLUG_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")


def slug(value: Any) -> str:
    """A parameter value as a piece of a file name: letters, digits, ``.``, ``-`` and ``_``
    are kept, any other byte is written ``~XX`` (its UTF-8 code in hex; ``~`` itself too). The
    mapping is one to one, so different values give different names, and a range period
    ``2025-01..2025-06`` stays whole (extensions are appended, never cut at the last dot)."""
    return "".join(
        ch if ch in _SLUG_SAFE else "".join(f"~{b:02X}" for b in ch.encode("utf-8"))
        for ch in str(value)
    )


def output_stem(root: Path, step_name: str, values: Mapping[str, Any]) -> Path:
    """Where a step's notebook saves its files, without the extension: the stem of the outputs
    the step declares, filled with the notebook's parameter values (each a :func:`slug`), so
    that what a notebook writes is exactly what the runner expects.

    Args:
        root: the project root.
        step_name: the step (``30_segment_breakdown``).
        values: the notebook's namespace, or any mapping holding its parameters.

    Raises:
        ValueError: when the step declares no output files, or outputs with different stems.
    """
    step = STEP_BY_NAME[step_name]
    stems = {o.rsplit(".", 1)[0] for o in step.outputs}
    if len(stems) != 1:
        raise ValueError(f"{step_name} declares {len(stems)} output stems; expected one")
    template = stems.pop()
    return root / template.format(**{k: slug(values[k]) for k in step.params if k in values})


# ------------------------------------------------------------------------------ jobs


@dataclass
class Job:
    """One execution of a step with one parameter set."""

    step: Step
    params: dict[str, Any]
    defaults: dict[str, Any]
    #: The values of parameters that hold a word (``latest``), resolved from the data when the
    #: job is about to run (:meth:`resolve`); injected into the notebook and recorded.
    resolved: dict[str, Any] = field(default_factory=dict)
    #: The currency the report will draw when it cannot draw the one asked for (a year without
    #: a rate): its charts are named for what they show (:func:`params.drawn_currency`).
    drawn: dict[str, Any] = field(default_factory=dict)
    status: str = "pending"
    seconds: float = 0.0
    message: str = ""
    fingerprint: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    #: Seconds spent in each phase of the job's run (waiting for a kernel, executing the
    #: notebook, exporting its HTML), for the manifest and the benchmark's per-step breakdown.
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def is_default(self) -> bool:
        return not self.params

    @property
    def slug(self) -> str:
        """``name-value`` pairs of the parameters set for this job, each value a :func:`slug`."""
        return "__".join(f"{k}-{slug(v)}" for k, v in sorted(self.params.items()))

    @property
    def stem(self) -> str:
        return self.step.name if self.is_default else f"{self.step.name}__{self.slug}"

    def value(self, name: str) -> Any:
        """The value of a parameter in this job: set for it, else the notebook's default (as
        resolved from the data, once :meth:`resolve` ran)."""
        return self.values.get(name)

    @property
    def values(self) -> dict[str, Any]:
        """Every parameter of the job: defaults, resolved words, then the values set for it."""
        return {**self.defaults, **self.resolved, **self.params}

    @property
    def injected(self) -> dict[str, Any]:
        """What papermill injects: the values set for the job and the resolved words (a
        report's parameters cell then says which year ``latest`` was)."""
        return {**self.resolved, **self.params}

    def resolve(self, root: Path) -> None:
        """Resolve the job's words (``latest``, ``year_before``) from the processed tables as
        they are now: called when the job is about to run, after the steps it follows.

        Raises:
            ParameterError: a word that no level of the data resolves.
        """
        self.resolved = resolve(self.step.name, {**self.defaults, **self.params}, root, True)
        self.drawn = drawn_currency(self.step.name, self.values, root)

    @property
    def label(self) -> str:
        shown = " ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.step.name}" + (f" [{shown}]" if shown else "")

    def executed_path(self, root: Path) -> Path:
        if self.is_default:
            return root / self.step.notebook
        return root / "reports" / "notebooks" / f"{self.stem}.ipynb"

    def html_paths(self, root: Path) -> list[Path]:
        folder = root / "reports" / "html"
        return [folder / f"{self.stem}.html", folder / f"{self.stem}.code.html"]

    def declared_outputs(self, root: Path) -> list[Path]:
        values = {k: slug(v) for k, v in {**self.values, **self.drawn}.items()}
        return [root / o.format(**values) for o in self.step.outputs]

    def all_outputs(self, root: Path) -> list[Path]:
        return [self.executed_path(root), *self.html_paths(root), *self.declared_outputs(root)]


def typed_value(step: str, name: str, text: str) -> Any:
    """A ``-p name=value`` string typed as the step's parameter declares it."""
    spec = SPECS[step][name]
    if spec.auto and text == spec.auto:
        return text
    if spec.type is int:
        try:
            return int(text)
        except ValueError:
            raise ParameterError(
                f"{step}: parameter {name!r} = {text!r} is not an integer; expected "
                f"{spec.allowed()}"
            ) from None
    return text


def plan_jobs(
    root: Path, cli_params: list[str], param_sets: dict[str, list[dict]] | None
) -> list[Job]:
    """The jobs of a run: one per step and parameter set, every value typed and validated
    against the notebook's parameters before any kernel starts.

    Args:
        cli_params: ``name=value`` strings; each applies to every step that declares ``name``.
        param_sets: optional ``{step: [ {name: value}, ... ]}`` (a YAML parameter file): the
            step runs once per set.

    Parameter sets that come to the same values (once defaults are dropped) are one job.

    Raises:
        ParameterError: an unknown name, an ill-typed or disallowed value (a ``release`` that
            is not a folder of ``data/raw/`` included), an unknown step, too many sets, or a
            value that matches no data (``year=2030``: the message lists the years there are).
    """
    overrides: dict[str, str] = {}
    for item in cli_params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ParameterError(f"-p {item!r}: expected name=value")
        overrides[name.strip()] = value.strip()
    declared = {n for spec in SPECS.values() for n in spec}
    unknown = sorted(set(overrides) - declared)
    if unknown:
        raise ParameterError(
            f"unknown parameter {unknown[0]!r}: no notebook declares it; "
            f"parameters are {', '.join(sorted(declared))}"
        )
    for name in param_sets or {}:
        if name not in STEP_BY_NAME:
            raise ParameterError(
                f"parameter file names step {name!r}; expected one of {', '.join(STEP_BY_NAME)}"
            )
    n_sets = sum(len(sets) for sets in (param_sets or {}).values())
    if n_sets > MAX_PARAMETER_SETS:
        raise ParameterError(
            f"{n_sets} parameter sets; expected at most {MAX_PARAMETER_SETS} in one run"
        )
    jobs = []
    for step in STEPS:
        defaults = notebook_defaults(root / step.notebook)
        mine = {
            k: typed_value(step.name, k, v) for k, v in overrides.items() if k in SPECS[step.name]
        }
        sets = (param_sets or {}).get(step.name) or [{}]
        seen: set[str] = set()
        for extra in sets:
            params = {**mine, **(extra or {})}
            validate(step.name, params, root)
            check_against_data(step.name, {**defaults, **params}, root)
            # A value equal to the default is the default run.
            params = {k: v for k, v in params.items() if defaults.get(k) != v}
            job = Job(step, params, defaults)
            if job.stem in seen:  # a duplicate set: the same notebook on the same files
                continue
            seen.add(job.stem)
            jobs.append(job)
    return jobs
