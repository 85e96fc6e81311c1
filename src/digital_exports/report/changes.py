"""What a run changed: the new processed tables against the committed ones, quantity by quantity.

The baseline is each table as committed at git ``HEAD``; without git, the tables of the previous
run (a copy kept in ``reports/.state/processed/``). When the tables are byte for byte the
baseline's, nothing changed: ``changes.csv`` is left as it is (it describes the latest change of
the data, the one committed with it) and the run says so. Otherwise ``changes.csv`` is rewritten.

Grain of ``changes.csv``: one row per change: a new release (``new_release``), a quantity of
``series.csv`` that is ``new``, ``removed``, whose estimate ``moved``, whose interval
``interval_narrowed`` or ``interval_widened``, that became conflicted (``new_conflict``) or no
longer is (``conflict_resolved``); a check whose verdict changed (``verdict_changed``) or a new
check that is contradicted (``new_contradiction``); a new pair of vintages (``revision``).
``releases`` names the new or changed releases that feed the quantity (through the inputs of a
derived row); empty means no new release does (a change of code or of an earlier release).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digital_exports.analysis.labels import code_label, period_label, plain
from digital_exports.base.gitstate import committed_bytes, head_commit
from digital_exports.contract.vocab import SERIES
from digital_exports.tables.io import SchemaError, read_records
from digital_exports.tables.outputs import atomic_write
from digital_exports.tables.schemas import PROJECTION_CHECK_VERDICTS

#: The processed tables compared, by name; ``changes.csv`` itself is not.
COMPARED = (
    "published_figures.csv",
    "releases.csv",
    "series.csv",
    "conversions.csv",
    "conflicts.csv",
    "checks.csv",
    "revisions.csv",
)
CHANGES = "changes.csv"
_KEY = ("series", "segment", "period", "measure", "base_period")
SNAPSHOT = Path("reports") / ".state" / "processed"


@dataclass(frozen=True)
class Outcome:
    """What a run changed, for the runner's last line."""

    changed: bool
    baseline: str
    counts: dict[str, int]
    #: Whether changes.csv had been edited by hand and was put back as the package wrote it.
    restored: bool = False

    @property
    def line(self) -> str:
        """``2 new releases, 5 quantities new, 3 estimates moved, 1 new conflict, 0 new
        contradictions, 1 revision``; or that nothing changed."""
        line = self._line()
        if self.restored:
            line += "; data/processed/changes.csv had been edited by hand: put back as written"
        return line

    def _line(self) -> str:
        if not self.changed:
            if self.baseline.startswith("nothing"):
                return "what changed: unknown (no git repository and no previous run to compare)"
            return f"what changed: nothing in data/processed/ (compared with {self.baseline})"
        c = self.counts
        if not any(c.values()):
            return (
                f"what changed (compared with {self.baseline}): tables rewritten, but no "
                "release, estimate, conflict, verdict or revision changed"
            )
        parts = [
            _n(c.get("new_release", 0), "new release", "new releases"),
            _n(c.get("new", 0), "quantity new", "quantities new"),
            _n(c.get("moved", 0), "estimate moved", "estimates moved"),
            _n(c.get("new_conflict", 0), "new conflict", "new conflicts"),
            _n(c.get("contradictions", 0), "new contradiction", "new contradictions"),
            _n(c.get("revision", 0), "revision", "revisions"),
        ]
        if c.get("projection_graded"):
            parts.append(_n(c["projection_graded"], "projection graded", "projections graded"))
        return f"what changed (compared with {self.baseline}): " + ", ".join(parts)


def _n(k: int, one: str, many: str) -> str:
    return f"{k} {one if k == 1 else many}"


# --------------------------------------------------------------------------- baseline


def _baseline(root: Path) -> tuple[str, dict[str, bytes | None] | None]:
    """The tables to compare with, and a description of where they come from; None when there
    is neither git nor a previous run to compare with."""
    commit = head_commit(root)
    if commit is not None:
        tables = {n: committed_bytes(root, f"data/processed/{n}") for n in COMPARED}
        return f"git HEAD {commit[:12]}", tables
    snap = root / SNAPSHOT
    if not snap.is_dir():
        return "nothing: no git repository and no previous run", None
    tables = {n: (snap / n).read_bytes() if (snap / n).is_file() else None for n in COMPARED}
    return "the previous run", tables


def _read(data: bytes | None, name: str) -> list[dict[str, Any]]:
    """The typed rows of table ``name`` from its bytes (none when it did not exist)."""
    if not data:
        return []
    return read_records(data, name)


# --------------------------------------------------------------------------- comparison


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _estimate(row: dict[str, Any]) -> str:
    from digital_exports.contract.commands import fr_interval, fr_number

    value = _float(row.get("value", ""))
    shown = "no point value" if math.isnan(value) else fr_number(value, 3)
    interval = fr_interval(_float(row["low"]), _float(row["high"]), 3)
    flag = ", conflicted" if row.get("conflicted") is True else ""
    return f"{shown} {interval} {row.get('unit', '')}{flag}"


def _same(a: float, b: float) -> bool:
    if math.isnan(a) and math.isnan(b):
        return True
    return a == b or (math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-9 * abs(a))


def _ref(row: dict[str, Any]) -> str:
    parts = [row[k] for k in _KEY if k != "base_period"]
    return "|".join([*parts, row["base_period"]] if row.get("base_period") else parts)


def _feeders(series: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    """Quantity ref -> the releases that feed it, through derived rows' inputs."""
    memo: dict[str, set[str]] = {}

    def walk(ref: str, seen: frozenset[str]) -> set[str]:
        if ref in memo:
            return memo[ref]
        row = series.get(ref)
        found: set[str] = set()
        if row is not None:
            for item in filter(None, row.get("inputs", "").split(";")):
                if "#" in item:
                    found.add(item.split("#")[0])
                elif item not in seen:
                    found |= walk(item, seen | {item})
        memo[ref] = found
        return found

    for ref in series:
        walk(ref, frozenset({ref}))
    return memo


def compare(before: dict[str, bytes | None], after: dict[str, bytes | None]) -> list[dict]:
    """The change rows (the columns of ``changes.csv``) from the tables before and after, by
    table name (bytes as written, or None for a table that did not exist).

    Raises:
        digital_exports.tables.io.SchemaError: when a table does not match its schema.
    """
    old_rel = {r["release_id"]: r for r in _read(before.get("releases.csv"), "releases.csv")}
    new_rel = {r["release_id"]: r for r in _read(after.get("releases.csv"), "releases.csv")}
    touched = {
        rid
        for rid, r in new_rel.items()
        if rid not in old_rel
        or r.get("figures_sha256", "")
        != old_rel[rid].get("figures_sha256", r.get("figures_sha256"))
    }
    old_s = {_ref(r): r for r in _read(before.get("series.csv"), "series.csv")}
    new_s = {_ref(r): r for r in _read(after.get("series.csv"), "series.csv")}
    feeds, old_feeds = _feeders(new_s), _feeders(old_s)

    def responsible(ref: str) -> str:
        return ";".join(sorted((feeds.get(ref) or old_feeds.get(ref) or set()) & touched))

    return [
        *_release_rows(old_rel, new_rel),
        *_series_rows(old_s, new_s, responsible),
        *_check_rows(before, after, feeds, touched),
        *_revision_rows(before, after),
    ]


def _release_rows(old: dict[str, dict], new: dict[str, dict]) -> list[dict]:
    rows = []
    for rid in sorted(set(new) - set(old)):
        r = new[rid]
        what = f"{r.get('outlet', '')}, {r.get('date_published') or 'no date'}, "
        what += f"{r.get('n_figures', '?')} figure(s), {r.get('data_status', '')}"
        rows.append(_row("new_release", rid, "", what, rid))
    return rows


def _series_rows(
    old_s: dict[str, dict], new_s: dict[str, dict], responsible: Callable[[str], str]
) -> list[dict]:
    rows = []
    for ref in sorted(set(new_s) | set(old_s)):
        new, old = new_s.get(ref), old_s.get(ref)
        if old is None and new is not None:
            rows.append(_row("new", ref, "", _estimate(new), responsible(ref)))
            if new.get("conflicted") is True:
                rows.append(_row("new_conflict", ref, "", _estimate(new), responsible(ref)))
            continue
        if new is None and old is not None:
            rows.append(_row("removed", ref, _estimate(old), "", responsible(ref)))
            continue
        assert new is not None and old is not None
        kind = _movement(old, new)
        if kind:
            rows.append(_row(kind, ref, _estimate(old), _estimate(new), responsible(ref)))
        was, now = old.get("conflicted") is True, new.get("conflicted") is True
        if was != now:
            kind = "new_conflict" if now else "conflict_resolved"
            rows.append(_row(kind, ref, _estimate(old), _estimate(new), responsible(ref)))
    return rows


def _movement(old: dict[str, Any], new: dict[str, Any]) -> str:
    """How an estimate changed: ``moved``, ``interval_narrowed``, ``interval_widened`` or not."""
    lo0, hi0, lo1, hi1 = (_float(x[k]) for x in (old, new) for k in ("low", "high"))
    if not _same(_float(old["value"]), _float(new["value"])):
        return "moved"
    if _same(lo0, lo1) and _same(hi0, hi1):
        return ""
    return "interval_narrowed" if lo1 >= lo0 and hi1 <= hi0 else "interval_widened"


def _check_rows(
    before: dict[str, bytes | None],
    after: dict[str, bytes | None],
    feeds: dict[str, set[str]],
    touched: set[str],
) -> list[dict]:
    rows = []
    old_c = {_check_key(r): r for r in _read(before.get("checks.csv"), "checks.csv")}
    for r in _read(after.get("checks.csv"), "checks.csv"):
        old = old_c.get(_check_key(r))
        fed = {r.get("printed_ref", "").split("#")[0]} & touched
        for item in filter(None, r.get("inputs", "").split(";")):
            fed |= (feeds.get(item) or set()) & touched
        who = ";".join(sorted(fed))
        if old is None and r["verdict"] == "contradicted":
            rows.append(_row("new_contradiction", r["check_id"], "", _verdict(r), who))
        elif old is None and r["verdict"] in PROJECTION_CHECK_VERDICTS:
            # An outturn printed for a projected year: the package's method graded.
            rows.append(_row("projection_graded", r["check_id"], "", _verdict(r), who))
        elif old is not None and old["verdict"] != r["verdict"]:
            rows.append(_row("verdict_changed", r["check_id"], _verdict(old), _verdict(r), who))
    return rows


def _check_key(r: dict[str, Any]) -> tuple[str, ...]:
    """What identifies a check, from its columns rather than its id: the identity, its target,
    the print and the route (its inputs), so that a baseline written before the id named the
    route still matches."""
    return tuple(str(r.get(k) or "") for k in ("kind", *_QUANTITY_COLUMNS, "printed_ref", "inputs"))


_QUANTITY_COLUMNS = ("series", "segment", "period", "measure", "base_period")


def _revision_rows(before: dict[str, bytes | None], after: dict[str, bytes | None]) -> list[dict]:
    def vintage_key(r: dict[str, Any]) -> tuple:
        return (_ref(r), r["unit"], r["earlier_release_id"], r["later_release_id"])

    rows = []
    old_v = {vintage_key(r) for r in _read(before.get("revisions.csv"), "revisions.csv")}
    for r in _read(after.get("revisions.csv"), "revisions.csv"):
        if vintage_key(r) in old_v:
            continue
        before_text = f"{r['earlier_value_printed']} ({r['earlier_release_id']})"
        pct = _float(r["revision_pct"])
        after_text = f"{r['later_value_printed']} ({r['later_release_id']}): revised by "
        after_text += f"{_signed(_float(r['revision']))} {r['unit']}"
        after_text += "" if math.isnan(pct) else f" ({_signed(pct)} %)"
        after_text += ", beyond rounding" if r["beyond_rounding"] is True else ", within rounding"
        rows.append(_row("revision", _ref(r), before_text, after_text, r["later_release_id"]))
    return rows


def _signed(x: float) -> str:
    from digital_exports.contract.commands import fr_number

    return ("+" if x > 0 else "") + fr_number(x, 3)


def _verdict(r: dict[str, Any]) -> str:
    return f"{r['verdict']}: {r.get('description', '')} ({r.get('printed_ref', '')})"


def _row(change: str, quantity: str, before: str, after: str, releases: str) -> dict:
    return {
        "change": change,
        "quantity": quantity,
        "before": before,
        "after": after,
        "releases": releases,
    }


def counts(rows: list[dict]) -> dict[str, int]:
    """Changes by kind; ``contradictions`` counts checks newly contradicted."""
    found: dict[str, int] = {}
    for r in rows:
        found[r["change"]] = found.get(r["change"], 0) + 1
    found["contradictions"] = found.get("new_contradiction", 0) + sum(
        r["change"] == "verdict_changed" and r["after"].startswith("contradicted") for r in rows
    )
    return found


# --------------------------------------------------------------------------- the run's hook


def record(root: Path) -> Outcome:
    """Compare the processed tables with the baseline; rewrite ``changes.csv`` when they
    differ (or when it does not exist yet); keep a copy of the tables for a later run without
    git. Called by the runner once its steps are done."""
    processed = root / "data" / "processed"
    baseline, before = _baseline(root)
    after = {
        n: (processed / n).read_bytes() if (processed / n).is_file() else None for n in COMPARED
    }
    changed = before is not None and any(
        (before[n] or None) != (after[n] or None) for n in COMPARED
    )
    target = processed / CHANGES
    rows: list[dict] = []
    if changed and before is not None:
        try:
            rows = compare(before, after)
        except SchemaError as e:
            # A baseline written before the tables had their schemas (``True``, ``inf``) is
            # not comparable: no change is listed, and the runner's line says why. New tables
            # that do not match their schemas are an error.
            if not _valid(after):
                raise
            baseline += f" (not compared: the baseline does not match the schemas: {e})"
    snap = root / SNAPSHOT
    kept = snap / CHANGES  # changes.csv as this package last wrote it
    restored = False
    if changed or not target.is_file():
        _write_csv(target, rows)
    elif kept.is_file() and kept.read_bytes() != target.read_bytes():
        # Edited by hand since the last run: the file is the package's, put it back.
        atomic_write(target, kept.read_bytes())
        restored = True
    snap.mkdir(parents=True, exist_ok=True)
    atomic_write(kept, target.read_bytes())
    for name, data in after.items():
        if data is not None:
            (snap / name).write_bytes(data)
        elif (snap / name).is_file():
            (snap / name).unlink()
    return Outcome(changed, baseline, counts(rows), restored)


def _valid(tables: dict[str, bytes | None]) -> bool:
    """Whether every table of ``tables`` that exists matches its schema."""
    try:
        for name, data in tables.items():
            _read(data, name)
    except SchemaError:
        return False
    return True


def _write_csv(path: Path, rows: list[dict]) -> None:
    import pandas as pd

    from digital_exports.tables.io import encode_table
    from digital_exports.tables.outputs import atomic_write
    from digital_exports.tables.schemas import RESOURCES

    table = pd.DataFrame(rows, columns=list(RESOURCES["changes"].columns))
    atomic_write(path, encode_table(CHANGES, table))


def section_html(root: Path, limit: int = 200) -> str:
    """The "What changed" section of ``reports/index.html``, from ``changes.csv``: a summary
    and the changes (``templates/pages/changes.html.j2``, every inserted text escaped)."""
    from digital_exports.report.html import render_page

    path = root / "data" / "processed" / CHANGES
    rows = _read(path.read_bytes(), CHANGES) if path.is_file() else []
    summary = Outcome(True, "", counts(rows)).line.split(": ", 1)[1]
    shown = [
        {**r, "change": plain(r["change"]), "label": quantity_label(r["quantity"])}
        for r in rows[:limit]
    ]
    return render_page(
        "changes.html.j2", rows=shown, summary=summary, more=max(0, len(rows) - limit)
    )


def quantity_label(quantity: str) -> str:
    """A quantity of ``changes.csv`` as a reader names it: ``digital_outsourcing_exports|ITO|
    2026-Q1|share_pct`` -> ``Digital and outsourcing (OC-MTNRA, 2023+), IT outsourcing (ITO),
    Q1 2026, share``; a release or a check id (not a quantity) is returned as it is."""
    parts = quantity.split("|")
    if len(parts) not in (4, 5) or parts[0] not in SERIES:
        return quantity
    series, segment, period, measure = parts[:4]
    words = [
        code_label(series, "en"),
        code_label(segment, "en", in_sentence=False),
        period_label(period, "en"),
        plain(measure),
    ]
    base = ""
    if len(parts) == 5:
        base = f" {_BASE_WORDS.get(measure, 'on')} {period_label(parts[4], 'en')}"
    return ", ".join(words) + base


#: How a measure with a base period names it: a change on, a growth since, a ratio to.
_BASE_WORDS = {"change_pct": "on", "avg_growth_pct": "since", "ratio_pct": "relative to"}
