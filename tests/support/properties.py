"""The properties the model must hold on every world (``worlds.py``), shared by the default test
run (``tests/unit/test_model_properties.py``) and the fuzz loop (``python -m support.fuzz``).

Each function takes a world, builds it through the same code path as ``make all`` (raw release
folders, checksums, ingest, the model, the tables written through their schemas and read back)
and raises ``AssertionError`` with what broke.

* **Total**: no exception; every table passes its schema (a unique primary key included).
* **Sound**: an honest world yields no ``contradicted`` (nor ``converted_at_other_rate``) verdict,
  no conflict, no derived row whose routes disagree, and every true value lies inside the
  interval that ``series.csv``, ``conversions.csv`` and ``estimates.csv`` give it.
* **Sharp**: a derived row's interval lies inside the exact interval-arithmetic image of its
  inputs' intervals (the formula evaluated at every corner of the box of its inputs, which is
  exact for formulas monotone in each input, as all of the model's are on positive levels), up to
  a relative 1e-9; a printed row whose prints agree lies inside each of its prints.
* **Powerful**: a misprint is caught (refused at ingest, ``contradicted``, or a conflict) whenever
  an identity of the honest world excludes it; the share caught among all misprints that some
  identity bears on is returned for the report.
* **Evidence**: of two disagreeing prints of one quantity where an identity supports the honest
  one only, the honest one is kept, ``chosen_because`` saying so.
* **Order-free**: the tables do not depend on the order of releases, files or rows.
"""

from __future__ import annotations

import itertools
import math
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from digital_exports.contract.errors import ReleaseFormatError
from digital_exports.contract.periods import parse_period
from digital_exports.model.build import build_series_tables
from digital_exports.model.intervals import REL_TOL, Interval, loosened
from digital_exports.tables.ingest import ingest_step
from digital_exports.tables.io import encode_table, read_table
from digital_exports.tables.outputs import write_tables

from .worlds import (
    PERTURBATIONS,
    Chooser,
    Print,
    Q,
    Release,
    World,
    perturb,
    reading,
    write_world,
)

REL = REL_TOL
MODEL_TABLES = (
    "series.csv",
    "conversions.csv",
    "conflicts.csv",
    "checks.csv",
    "revisions.csv",
    "estimates.csv",
)


def build(world: World, *, shuffle: random.Random | None = None) -> dict[str, pd.DataFrame]:
    """The processed tables of ``world``, as ``make all`` writes them, read back through their
    schemas (so every primary key is unique and every value of its type).

    Raises:
        ReleaseFormatError: when the contract refuses a release.
    """
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        raw = write_world(world, root, shuffle=shuffle)
        processed = root / "data" / "processed"
        ingest_step(raw, processed, root)
        figures = read_table(processed / "published_figures.csv")
        if shuffle is not None:  # the model must not care about the order of its input rows
            figures = figures.sample(frac=1.0, random_state=shuffle.randrange(2**32))
        write_tables(build_series_tables(figures.reset_index(drop=True)), processed)
        names = ("published_figures.csv", "releases.csv", *MODEL_TABLES)
        return {n: read_table(processed / n, n) for n in names}


# ----------------------------------------------------------------------------- truth


def _quantity(row: object, currency: str) -> Q:
    r = row
    return Q(r.series, r.segment, r.period, r.measure, r.base_period or "", currency)  # type: ignore[attr-defined]


def _currency(unit: str) -> str:
    return unit.split()[0] if unit.endswith(" mn") else unit


def _inside(x: float, low: float, high: float) -> bool:
    """``x`` in ``[low, high]`` up to floating-point error (the model's own tolerance)."""
    return loosened(Interval(low, high), REL).contains(x)


def _where(row: object) -> str:
    r = row
    return f"{r.series}|{r.segment}|{r.period}|{r.measure}|{r.base_period} ({r.unit})"  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- properties


def assert_sound(world: World, tables: dict[str, pd.DataFrame]) -> None:
    """Honest prints: no contradiction, no conflict, every truth inside its interval."""
    checks = tables["checks.csv"]
    bad = checks[checks["verdict"].isin(["contradicted", "converted_at_other_rate"])]
    assert bad.empty, f"honest prints contradicted:\n{bad[['check_id', 'reason']].to_string()}"
    conflicts = tables["conflicts.csv"]
    bad = conflicts[conflicts["agreement"] == "conflict"]
    assert bad.empty, f"honest prints in conflict:\n{bad.to_string()}"
    t = world.truth
    for name in ("series.csv", "conversions.csv"):
        for row in tables[name].itertuples(index=False):
            if row.data_status == "forecast":
                continue  # a target is no claim about the outturn
            assert not row.conflicted, f"{name}: {_where(row)} flagged conflicted: {row.formula}"
            truth = float(t.value(_quantity(row, _currency(row.unit))))
            assert _inside(truth, row.low, row.high), (
                f"{name}: true {truth!r} outside [{row.low}, {row.high}] for {_where(row)} "
                f"({row.origin}, {row.formula or row.inputs})"
            )
    for row in tables["estimates.csv"].itertuples(index=False):
        for measure in ("level", "share_pct", "change_pct"):
            low, high = getattr(row, f"{measure}_low"), getattr(row, f"{measure}_high")
            if pd.isna(low) or row.data_status == "forecast":
                continue
            base = row.change_base_period if measure == "change_pct" else ""
            currency = row.level_unit.split()[0] if measure == "level" else "pct"
            q = Q(row.series, row.segment, row.period, measure, base, currency)
            truth = float(t.value(q))
            assert _inside(truth, low, high), (
                f"estimates.csv: true {measure} {truth!r} outside [{low}, {high}] for {q.ref}"
            )


#: The formula of each kind of derived row, on its inputs in the order of ``inputs``.
ORACLES: dict[str, Callable[..., float]] = {
    "base_from_change": lambda new, change: new / (1 + change / 100),
    "change_from_levels": lambda new, base: 100 * (new / base - 1),
    "base_from_ratio": lambda new, ratio: new / ratio * 100,
    "period_complement": lambda outer, inner: outer - inner,
    "period_sum": lambda a, b: a + b,
    "composite_sum": lambda *parts: sum(parts),
    "segments_sum": lambda *parts: sum(parts),
    "share_from_levels": lambda part, total: 100 * part / total,
    "level_from_share": lambda share, total: share * total / 100,
}


def _image(kind: str, formula: str, boxes: list[tuple[float, float]]) -> tuple[float, float]:
    """The exact interval image of the formula over the box: min and max at its corners."""
    if kind == "base_from_avg_growth":
        n = int(formula.rsplit("^", 1)[1])
        fn: Callable[..., float] = lambda new, g: new / (1 + g / 100) ** n  # noqa: E731
    else:
        fn = ORACLES[kind]
    values = [fn(*corner) for corner in itertools.product(*boxes)]
    return min(values), max(values)


def assert_sharp(tables: dict[str, pd.DataFrame]) -> None:
    """No derived interval wider than interval arithmetic on its inputs; no agreed printed
    interval wider than any of its prints."""
    series = tables["series.csv"]
    by_ref = {
        "|".join(filter(None, (r.series, r.segment, r.period, r.measure, r.base_period))): r
        for r in series.itertuples(index=False)
    }
    for row in series.itertuples(index=False):
        if row.origin != "derived" or not (math.isfinite(row.low) and math.isfinite(row.high)):
            continue
        kind = row.formula.split(":", 1)[0]
        inputs = [by_ref[ref] for ref in row.inputs.split(";")]
        boxes = [(i.low, i.high) for i in inputs]
        if not all(math.isfinite(b) for box in boxes for b in box):
            continue
        if any(lo <= 0 <= hi for (lo, hi) in boxes[1:]) and kind not in (
            "period_complement", "period_sum", "composite_sum", "segments_sum",
        ):  # fmt: skip
            continue  # a divisor's interval holds zero: the model derives nothing there
        low, high = _image(kind, row.formula, boxes)
        pad = REL * max(1.0, abs(low), abs(high))
        assert low - pad <= row.low and row.high <= high + pad, (
            f"derived {_where(row)} is [{row.low}, {row.high}], wider than its inputs allow "
            f"[{low}, {high}] ({row.formula}; {row.inputs})"
        )
    prints = tables["published_figures.csv"]
    spans = {
        f"{r.release_id}#{r.figure_id}": (r.low, r.high) for r in prints.itertuples(index=False)
    }
    for row in series.itertuples(index=False):
        if row.origin == "printed" and row.agreement == "agree" and row.data_status != "forecast":
            for ref in row.inputs.split(";"):
                lo, hi = spans[ref]
                assert _inside(row.low, lo, hi) and _inside(row.high, lo, hi), (
                    f"printed {_where(row)} [{row.low}, {row.high}] is wider than its print "
                    f"{ref} [{lo}, {hi}]"
                )


def assert_order_free(world: World, tables: dict[str, pd.DataFrame], seed: int) -> None:
    """The same world with releases, files and rows in another order gives the same bytes."""
    again = build(world, shuffle=random.Random(seed))
    for name, table in tables.items():
        if name == "releases.csv":  # it records each figures.csv's checksum: the bytes moved
            table, again[name] = (t.drop(columns="figures_sha256") for t in (table, again[name]))
            assert table.equals(again[name]), "releases.csv depends on the order of releases"
            continue
        assert encode_table(name, again[name]) == encode_table(name, table), (
            f"{name} depends on the order of releases or rows"
        )


def check_world(world: World, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Total, sound, sharp and order-free on one honest world; its tables."""
    tables = build(world)
    assert_sound(world, tables)
    assert_sharp(tables)
    assert_order_free(world, tables, seed)
    return tables


# ----------------------------------------------------------------------------- misprints


@dataclass
class Catch:
    """Misprints tried on worlds, and how many were caught."""

    tried: int = 0  # misprints that moved a print beyond its rounding
    borne: int = 0  # ... on which some identity or another print bears
    caught: int = 0  # ... of those, flagged or refused
    decisive: int = 0  # ... on which an honest identity excludes the misprint
    by_kind: dict[str, list[int]] | None = None

    def add(self, kind: str, borne: bool, caught: bool, decisive: bool) -> None:
        self.tried += 1
        self.borne += borne
        self.caught += borne and caught
        self.decisive += decisive
        counts = (self.by_kind or {}).get(kind, [0, 0])
        self.by_kind = {
            **(self.by_kind or {}),
            kind: [counts[0] + borne, counts[1] + (borne and caught)],
        }

    @property
    def rate(self) -> float:
        return self.caught / self.borne if self.borne else math.nan


def _with_print(world: World, release: Release, i: int, new: Print) -> World:
    releases = [
        replace(r, prints=[new if (r is release and j == i) else p for j, p in enumerate(r.prints)])
        for r in world.releases
    ]
    return World(world.truth, releases)


def _bearing(tables: dict[str, pd.DataFrame], ref: str) -> tuple[bool, list[tuple[float, float]]]:
    """Whether an identity or another print bears on the print ``ref`` in the honest tables, and
    the computed intervals of the checks on it."""
    checks = tables["checks.csv"]
    on = checks[(checks["printed_ref"] == ref) & (checks["verdict"] != "not_checkable")]
    # A conversion that disagrees within the band of plausible rates reads as an outlet's own
    # rate (checks.OTHER_RATE_BAND), by design: it bears on the print but excludes nothing.
    exclusive = on[on["kind"] != "currency_conversion"]
    computed = list(zip(exclusive["computed_low"], exclusive["computed_high"], strict=True))
    series = tables["series.csv"]
    others = series[
        series["inputs"].str.contains(ref, regex=False)
        & (series["inputs"].str.split(";").str.len() > 1)
    ]
    return bool(len(on)) or not others.empty, computed


def try_misprint(c: Chooser, world: World, tables: dict[str, pd.DataFrame], catch: Catch) -> None:
    """Turn one print of the honest ``world`` into a misprint, rebuild, and record whether it is
    caught. Asserts that a misprint an honest identity excludes is always caught. The print is
    mostly one that an identity bears on (the property is about those)."""
    refs = sorted(world.prints())
    borne_refs = [r for r in refs if _bearing(tables, r)[0]]
    ref = c.choice(borne_refs if borne_refs and c.integer(1, 5) > 1 else refs)
    release, p = world.prints()[ref]
    kind = c.choice(PERTURBATIONS)
    bad = perturb(c, p, kind)
    if bad is None or not world.truth.covers(bad.q.base_period or bad.q.period):
        return  # (a base period before the world's first year has no true value to compare)
    truth = float(world.truth.value(bad.q))
    try:
        low, high = reading(bad, release)
    except ValueError:
        return  # not a print the contract reads (a swapped digit before the decimal mark...)
    if _inside(truth, low, high):
        return  # still honest: not a misprint
    i = release.prints.index(p)
    borne, computed = _bearing(tables, ref)
    step = high - low if math.isfinite(high - low) else 0.0
    decisive = kind != "wrong_base_period" and any(
        math.isfinite(lo) and math.isfinite(hi) and (hi < low - step or lo > high + step)
        for lo, hi in computed
    )
    try:
        after = build(_with_print(world, release, i, bad))
    except ReleaseFormatError:
        catch.add(kind, borne, True, decisive)
        return
    checks, conflicts = after["checks.csv"], after["conflicts.csv"]
    caught = bool(
        (checks[checks["printed_ref"] == ref]["verdict"] == "contradicted").any()
        or (
            (conflicts["release_id"] + "#" + conflicts["figure_id"] == ref)
            & (conflicts["agreement"] == "conflict")
        ).any()
        or after["series.csv"]["conflicted"].any()
    )
    catch.add(kind, borne, caught, decisive)
    assert caught or not decisive, (
        f"misprint {kind} of {ref} ({p.value} {p.unit} -> {bad.value} {bad.unit}, base "
        f"{bad.q.base_period}) not caught, though an honest identity gives {computed}"
    )


def assert_evidence(c: Chooser, world: World, tables: dict[str, pd.DataFrame]) -> bool:
    """Add a misprinted second print of one quantity in a new release of its producer; where an
    identity of the honest world excludes the misprint, the honest print must be kept. Returns
    whether the case arose."""
    refs = sorted(world.prints())
    borne_refs = [r for r in refs if _bearing(tables, r)[1]]
    ref = c.choice(borne_refs or refs)
    release, p = world.prints()[ref]
    bad = perturb(c, p, c.choice(PERTURBATIONS[:3]))
    if bad is None or p.forecast:
        return False
    try:
        low, high = reading(bad, release)
    except ValueError:
        return False
    computed = _bearing(tables, ref)[1]
    step = high - low if math.isfinite(high - low) else 0.0
    if not any(
        math.isfinite(lo) and math.isfinite(hi) and (hi < low - step or lo > high + step)
        for lo, hi in computed
    ):
        return False
    other = replace(release, slug=release.slug + "-misprint", prints=[bad], outlet="misprints")
    try:
        after = build(World(world.truth, [*world.releases, other]))
    except ReleaseFormatError:
        return False
    conflicts = after["conflicts.csv"]
    misprint = f"{other.release_id}#F000"
    refs_in = set(conflicts["release_id"] + "#" + conflicts["figure_id"])
    if misprint not in refs_in:
        return False  # another honest print of the quantity made it a different estimate
    group = conflicts[
        (conflicts["series"] == p.q.series)
        & (conflicts["segment"] == p.q.segment)
        & (conflicts["period"] == parse_period(p.q.period).canonical)
        & (conflicts["measure"] == p.q.measure)
        & (conflicts["agreement"] == "conflict")
    ]
    kept = group[group["chosen"]]
    if kept.empty:  # the prints meet once a round number or a truncation is read: no conflict,
        # and the identity that excludes the misprint contradicts it instead
        checks = after["checks.csv"]
        verdicts = set(checks[checks["printed_ref"] == misprint]["verdict"])
        assert "contradicted" in verdicts, f"misprint {misprint} of {ref}: {verdicts}"
        return False
    chosen = set(kept["release_id"] + "#" + kept["figure_id"])
    assert misprint not in chosen, (
        f"the misprint {misprint} was kept over {ref}, though an identity excludes it "
        f"({computed}); {kept['chosen_because'].tolist()}"
    )
    # "the identities support it: ..." or, where they support two honest prints equally,
    # "the identities support several prints equally; ..." (the misprint is not among them)
    assert kept["chosen_because"].str.startswith("the identities support").all(), kept[
        "chosen_because"
    ].tolist()
    return True
