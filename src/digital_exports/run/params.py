"""The notebooks' parameters: names, types and allowed values, checked before any work starts.

papermill only warns about a parameter that a notebook does not declare, and injects any value
it is given. Each notebook's first cell after its parameters therefore calls
:func:`check_namespace`, and the runner calls :func:`validate` before starting a kernel: a
misspelt name, a value of the wrong type or a value outside the allowed set stops the run with a
message naming the parameter and the allowed values.
"""

from __future__ import annotations

import ast
import difflib
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digital_exports.contract.periods import (
    PERIOD_GRAMMAR,
    YEARS,
    PeriodError,
    latest,
    parse_period,
    year_before,
)
from digital_exports.contract.vocab import (
    CURRENCIES,
    LANGS,
    MONEY_SERIES,
    PROJECTED_SERIES,
    SEGMENT_SETS,
)


class ParameterError(ValueError):
    """A notebook parameter that is unknown, of the wrong type or not allowed."""


#: The words a parameter may hold instead of a value (``Param.auto``).
LATEST = "latest"
YEAR_BEFORE = "year_before"


@dataclass(frozen=True)
class Param:
    """One parameter of a notebook.

    Attributes:
        type: ``int`` or ``str``.
        choices: the allowed values, or None for any value of the type.
        kind: ``period`` for a value that must follow the period grammar, ``year`` for a year
            of the period grammar, ``release`` for the id of a release folder below
            ``data/raw/``, else empty.
        auto: a word accepted in place of a value, resolved from the data when the run is
            planned (``latest``: the latest the processed tables hold; ``year_before``: the
            same period a year before; see :func:`resolve`); empty when the value must be given.
        latest: for a year, what ``latest`` means: ``year``, the latest year with an annual
            level of the series; ``first_half``, the latest year whose first half the series'
            total holds (the year a projection from the first half is for).
    """

    type: type
    choices: tuple[Any, ...] | None = None
    kind: str = ""
    auto: str = ""
    latest: str = "year"

    def allowed(self) -> str:
        word = f" or {self.auto!r}" if self.auto else ""
        if self.kind == "year":
            return f"a year from {YEARS.start} to {YEARS.stop - 1}{word}"
        if self.kind == "period":
            return f"a period ({PERIOD_GRAMMAR}){word}"
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "release":
            return "a release id <outlet>/<YYYY-MM-DD>-<slug> (a folder below data/raw/)"
        return f"a value of type {self.type.__name__}"


#: Parameter kinds shared by several steps (``steps.STEPS`` declares which step takes which).
LANG = Param(str, LANGS)
CURRENCY = Param(str, CURRENCIES)
YEAR = Param(int, kind="year")
#: A year that defaults to the latest the data hold (``latest``).
LATEST_YEAR = Param(int, kind="year", auto=LATEST)
LATEST_PERIOD = Param(str, kind="period", auto=LATEST)
#: The base of a comparison: a period, or ``year_before`` (the compared period a year before).
BASE_PERIOD = Param(str, kind="period", auto=YEAR_BEFORE)
RELEASE = Param(str, kind="release")
BREAKDOWN_SERIES = Param(str, tuple(SEGMENT_SETS))
MONEY = Param(str, MONEY_SERIES)
#: The series projected from their first half (those of a seasonal family).
PROJECTED = Param(str, PROJECTED_SERIES)
#: A year that defaults to the latest whose first half the data hold.
FIRST_HALF_YEAR = Param(int, kind="year", auto=LATEST, latest="first_half")


def specs() -> dict[str, dict[str, Param]]:
    """Each step's parameters, from the one declaration of the steps."""
    from digital_exports.run.steps import SPECS

    return SPECS


#: A release id: ``<outlet>/<YYYY-MM-DD>-<slug>``, as the raw-release contract names folders.
RELEASE_ID = re.compile(r"[a-z0-9][a-z0-9-]*/\d{4}-\d{2}-\d{2}-[a-z0-9][a-z0-9-]*")


def release_ids(root: Path) -> list[str]:
    """The ids of the release folders below ``root/data/raw/`` (those holding a
    ``release.yml``), sorted."""
    raw = root / "data" / "raw"
    return sorted(p.parent.relative_to(raw).as_posix() for p in raw.glob("*/*/release.yml"))


def _check_release(notebook: str, name: str, value: str, root: Path | None) -> None:
    """A release id must follow the folder grammar and name a release folder of the project."""
    if not RELEASE_ID.fullmatch(value):
        raise ParameterError(
            f"{notebook}: parameter {name!r} = {value!r} is not a release id; expected "
            f"{specs()[notebook][name].allowed()}"
        )
    if root is None:
        from digital_exports.base.paths import project_root

        root = project_root()
    known = release_ids(root)
    if value not in known:
        close = difflib.get_close_matches(value, known, n=5, cutoff=0.6)
        outlet = [r for r in known if r.split("/")[0] == value.split("/")[0]][:5]
        hint = close or outlet
        raise ParameterError(
            f"{notebook}: parameter {name!r} = {value!r} is not a release of data/raw/ "
            f"({len(known)} releases); "
            + (f"close names: {', '.join(hint)}" if hint else "see data/processed/releases.csv")
        )


def _check_value(notebook: str, name: str, value: Any, root: Path | None = None) -> None:
    spec = specs()[notebook][name]
    if spec.auto and value == spec.auto:
        return
    if type(value) is not spec.type:
        raise ParameterError(
            f"{notebook}: parameter {name!r} = {value!r} is a {type(value).__name__}; expected "
            f"{spec.allowed()}"
        )
    if spec.choices is not None and value not in spec.choices:
        shown = (
            spec.allowed()
            if len(spec.choices) <= 10
            else (f"a value from {spec.choices[0]!r} to {spec.choices[-1]!r}")
        )
        raise ParameterError(
            f"{notebook}: parameter {name!r} = {value!r} is not allowed; expected {shown}"
        )
    if spec.kind == "year" and value not in YEARS:
        raise ParameterError(
            f"{notebook}: parameter {name!r} = {value!r} is not allowed; expected {spec.allowed()}"
        )
    if spec.kind == "period":
        try:
            parse_period(str(value))
        except PeriodError as exc:
            raise ParameterError(f"{notebook}: parameter {name!r}: {exc}") from None
    if spec.kind == "release":
        _check_release(notebook, name, str(value), root)


def validate(notebook: str, params: dict[str, Any], root: Path | None = None) -> dict[str, Any]:
    """Check parameters given to ``notebook`` (by name and value) and return them.

    Args:
        root: the project root, where a release id is looked up (default: found from the
            working directory).

    Raises:
        ParameterError: naming the first unknown or invalid parameter and what is allowed.
    """
    known = specs()
    if notebook not in known:
        raise ParameterError(f"no notebook {notebook!r}; expected one of {', '.join(known)}")
    spec = known[notebook]
    for name, value in params.items():
        if name not in spec:
            expected = f"one of {', '.join(spec)}" if spec else "no parameter: it takes none"
            raise ParameterError(f"{notebook}: unknown parameter {name!r}; expected {expected}")
        _check_value(notebook, name, value, root)
    return params


_IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})
#: The types a parameter can have: papermill injects literals only.
_LITERALS = (bool, int, float, str, list, dict, tuple, type(None))


def check_namespace(namespace: dict[str, Any], notebook: str) -> dict[str, Any]:
    """Check a notebook's global names right after its parameters (and any injected ones).

    Every public name holding a literal (what papermill injects) must be a declared parameter
    with a valid value: a name injected for a misspelt parameter (``yaer``) is an error, not a
    silent no-op. Imported modules, classes and functions are not parameters and are skipped.

    Returns:
        the notebook's parameters, each word (``latest``, ``year_before``) resolved from the
        project's processed tables (a report run by the runner has them resolved already).

    Raises:
        ParameterError: naming the parameter and the allowed values, or a word that no level
            of the data resolves.
    """
    public = {
        k: v
        for k, v in namespace.items()
        if not k.startswith("_") and k not in _IPYTHON_NAMES and isinstance(v, _LITERALS)
    }
    validate(notebook, public)
    missing = [name for name in specs()[notebook] if name not in public]
    if missing:
        raise ParameterError(f"{notebook}: parameters {', '.join(missing)} are not set")
    values = {name: public[name] for name in specs()[notebook]}
    if any(spec.auto and values[n] == spec.auto for n, spec in specs()[notebook].items()):
        from digital_exports.base.paths import project_root

        values |= resolve(notebook, values, project_root(), strict=True)
    return values


def notebook_defaults(path: Path) -> dict[str, Any]:
    """The literal values assigned in the cell tagged ``parameters`` of the notebook at
    ``path``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell["source"]))
            return {
                node.targets[0].id: ast.literal_eval(node.value)
                for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            }
    raise ParameterError(f"{path}: no cell tagged 'parameters'")


# ------------------------------------------------------------------ checked against the data


def _levels(root: Path) -> list[dict[str, str]] | None:
    """The level rows of ``data/processed/series.csv`` (``csv``, not pandas: the check runs
    before any kernel starts and must stay fast), or None when the table is not there yet."""
    path = root / "data" / "processed" / "series.csv"
    if not path.is_file():
        return None
    stat = path.stat()
    return _read_levels(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read_levels(path: Path, _mtime_ns: int, _size: int) -> list[dict[str, str]]:
    """The level rows of one version of ``series.csv`` (read once per run, not once per
    step and parameter set), and the annual exchange rates (measure ``rate``)."""
    import csv

    with path.open(newline="", encoding="utf-8") as f:
        return [
            r
            for r in csv.DictReader(f)
            if r["measure"] == "level"
            or (r["series"] == "exchange_rate" and r["period_kind"] == "year")
        ]


#: The exchange rate that gives each currency's units per US dollar (``model.currency.Rates``).
_PER_USD = {"MAD": "MAD_PER_USD", "EUR": "EUR_PER_USD"}


def drawn_currency(step: str, values: dict[str, Any], root: Path) -> dict[str, Any]:
    """The currency a report's levels will be drawn in, when it is not the one asked for: a
    year (or the year of a period) without the annual rate that converts the series' own
    currency keeps the levels in it (the report says why). ``{}`` when the asked currency
    can be drawn, or when the step draws no single period (the long run drops the points it
    cannot convert, and says so).
    """
    from digital_exports.contract.vocab import SERIES

    spec = specs().get(step, {})
    if "currency" not in spec or "series" not in spec or not ({"year", "period"} & set(spec)):
        return {}
    asked, own = values.get("currency"), SERIES[values["series"]].currency
    levels = _levels(root)
    if asked == own or levels is None:
        return {}
    codes = [str(values["year"])] if "year" in spec else [values["period"], values["base_period"]]
    try:
        periods = [parse_period(str(c)) for c in codes]
    except PeriodError:
        return {}
    have = {(r["segment"], int(r["period"])) for r in levels if r["series"] == "exchange_rate"}
    for p in periods:
        if p.start.year != p.end.year:
            return {"currency": own}
        for currency in (asked, own):
            if currency in _PER_USD and (_PER_USD[currency], p.start.year) not in have:
                return {"currency": own}
    return {}


def _sorted_periods(codes: set[str]) -> list[str]:
    return sorted(codes, key=lambda c: (parse_period(c).start, parse_period(c).n_months))


def _refuse(step: str, name: str, value: Any, what: str, available: list[str]) -> None:
    raise ParameterError(
        f"{step}: parameter {name!r} = {value!r}: {what}; "
        + (f"available: {', '.join(available)}" if available else "the table holds none")
    )


def _first_half_years(levels: list[dict[str, str]]) -> list[str]:
    """The years whose first half has a level of the total among ``levels``, sorted."""
    return sorted(
        {
            r["period"][:4]
            for r in levels
            if r["segment"] == "total" and r["period_kind"] == "half" and r["period"][5:] == "H1"
        }
    )


def check_against_data(step: str, values: dict[str, Any], root: Path) -> None:
    """Refuse, before any kernel starts, a parameter that is valid but matches no data: a year,
    period or span with no level of the series in ``data/processed/series.csv``, or two periods
    of different kinds; the message lists what exists.

    ``values`` are the job's parameters with the notebook's defaults filled in. The check reads
    the processed table as it is before the run (a run that also re-ingests new releases checks
    against the previous tables); without the table there is nothing to check against.

    Raises:
        ParameterError: naming the parameter, why it matches nothing, and what is available.
    """
    names = set(specs().get(step, {}))
    if not names & {"year", "period", "start"}:
        return
    levels = _levels(root)
    if levels is None:
        return
    values = {**values, **resolve(step, values, root)}
    series = values.get("series")
    mine = [r for r in levels if series is None or r["series"] == series]
    if "year" in names and specs()[step]["year"].latest == "first_half":
        # A year with an outturn but no first half is allowed: the report says it has no
        # projection (``-p year=2023`` sets every report's year, this one's too).
        known = sorted(
            set(_first_half_years(mine)) | {r["period"] for r in mine if r["period_kind"] == "year"}
        )
        if str(values["year"]) not in known:
            _refuse(step, "year", values["year"], f"no first half nor year of {series}", known)
    elif "year" in names:
        years = sorted({r["period"] for r in mine if r["period_kind"] == "year"})
        if str(values["year"]) not in years:
            _refuse(step, "year", values["year"], f"no annual level of {series}", years)
    if "period" in names:
        periods = _sorted_periods({r["period"] for r in mine})
        for name in ("period", "base_period"):
            code = parse_period(str(values[name])).canonical
            if code not in periods:
                _refuse(step, name, values[name], f"no level of {series}", periods)
        p, b = parse_period(str(values["period"])), parse_period(str(values["base_period"]))
        if p.n_months != b.n_months:  # a half with a year, a quarter with year-to-date
            same = [c for c in periods if parse_period(c).n_months == p.n_months]
            _refuse(
                step,
                "base_period",
                values["base_period"],
                f"{b.n_months} months compared with the {p.n_months} of period = "
                f"{values['period']!r}; periods of {p.n_months} months",
                same,
            )
    if "start" in names:
        start, end = int(values["start"]), int(values["end"])
        span = sorted({r["period_start"][:4] for r in levels if r["series"] != "exchange_rate"})
        shown = [f"{span[0]}-{span[-1]}"] if span else []
        if start > end:
            _refuse(step, "end", end, f"before start = {start}", shown)
        if not any(start <= int(y) <= end for y in span):
            _refuse(step, "start", start, f"no level from {start} to {end}", shown)


# ------------------------------------------------------------------ resolved from the data


def resolve(step: str, values: dict[str, Any], root: Path, strict: bool = False) -> dict[str, Any]:
    """The parameters of ``step`` that hold a word instead of a value, resolved from the levels
    of ``data/processed/series.csv`` as they are now:

    - ``year = "latest"``: the latest year with an annual level of the series;
    - ``year = "latest"`` of a step whose year is the latest first half (``Param.latest``):
      the latest year whose first half has a level of the series' total;
    - ``end = "latest"``: the latest year any level of any series (exchange rates aside) covers;
    - ``period = "latest"``: the period of the series' total that ends last among those whose
      same period a year before also has a level of the total (so that the default comparison
      can be made); with none, the period that ends last;
    - ``base_period = "year_before"``: the (resolved) period, a year before.

    Args:
        values: the job's parameters with the notebook's defaults filled in.
        strict: raise when a word cannot be resolved (no table, no level); otherwise leave it.

    Returns:
        ``{name: value}`` for each parameter that held a word and could be resolved.

    Raises:
        ParameterError: with ``strict``, naming the parameter and why it cannot be resolved.
    """
    spec = specs().get(step, {})
    words = {n: v for n, v in values.items() if n in spec and spec[n].auto and v == spec[n].auto}
    if not words:
        return {}
    levels = _levels(root)
    if levels is None:
        if strict:
            raise ParameterError(
                f"{step}: {', '.join(f'{n} = {v!r}' for n, v in words.items())} is resolved "
                "from data/processed/series.csv, which is not there yet (run step "
                "20_reconcile_and_check first)"
            )
        return {}
    series = values.get("series")
    mine = [r for r in levels if series is None or r["series"] == series]
    found: dict[str, Any] = {}
    if "year" in words and spec["year"].latest == "first_half":
        halves = _first_half_years(mine)
        found["year"] = int(halves[-1]) if halves else None
    elif "year" in words:
        years = [int(r["period"]) for r in mine if r["period_kind"] == "year"]
        found["year"] = max(years) if years else None
    if "end" in words:
        years = [int(r["period_end"][:4]) for r in levels if r["series"] != "exchange_rate"]
        found["end"] = max(years) if years else None
    period = values.get("period")
    if "period" in words:
        totals = {r["period"] for r in mine if r["segment"] == "total"} or {
            r["period"] for r in mine
        }
        comparable = {c for c in totals if year_before(c) in totals}
        period = found["period"] = latest(comparable) or latest(totals)
    if "base_period" in words:
        found["base_period"] = year_before(str(period)) if period else None
    missing = [n for n, v in found.items() if v is None]
    if missing and strict:
        raise ParameterError(
            f"{step}: parameter {missing[0]!r} = {words[missing[0]]!r}: no level of "
            f"{series or 'any series'} in data/processed/series.csv to resolve it from"
        )
    return {n: v for n, v in found.items() if v is not None}
