"""How the reconcile step's cost grows with the number of printed figures.

Usage: ``.venv/bin/python benchmarks/scale_bench.py [--sizes 5000 10000 20000 40000] [--repeat 3]``

The committed ``published_figures.csv`` (read with the package's reader, as notebook 20 reads
it) is copied as many times as needed, each copy with its release ids suffixed and its years
moved to another window of the years a period may fall in: the number of quantities, prints,
conflicts and checks grows with the number of figures, as it would with more years, and once the
windows are used up, further copies reprint the same quantities, as more outlets would. Each
size is timed ``--repeat`` times in this process (median) through
``model.build.build_series_tables``, the function notebook 20 runs. The cost is linear when
the seconds per thousand figures stay flat; the table is printed and appended to
``benchmarks/results.md`` (replacing an earlier one).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import pandas as pd

from digital_exports.contract.periods import YEARS
from digital_exports.model.build import build_series_tables
from digital_exports.tables.io import read_table

ROOT = Path(__file__).resolve().parents[1]
YEAR = re.compile(r"(?<!\d)(19|20)(\d{2})(?!\d)")
PERIOD_COLUMNS = ("period", "base_period", "period_start", "period_end")
SECTION = "## Reconcile step at scale"


def year_offsets(figures: pd.DataFrame) -> list[int]:
    """The shifts that move every year of the figures to another window inside the years a
    period may fall in (``contract.periods.YEARS``), the unshifted window first."""
    years = [
        int(m[0])
        for c in PERIOD_COLUMNS
        if c in figures
        for v in figures[c]
        for m in YEAR.finditer(v)
    ]
    first, last = min(years), max(years)
    span = last - first + 1
    below = range(first - span, YEARS.start - 1, -span)
    above = range(first + span, YEARS.stop - span + 1, span)
    return [0, *(start - first for start in [*above, *below])]


def shifted(figures: pd.DataFrame, k: int, offsets: list[int]) -> pd.DataFrame:
    """Copy ``k`` of the figures: release ids suffixed, every year moved to window
    ``k mod len(offsets)``. Copies beyond the windows reprint the same quantities (as more
    outlets would), so groups of prints grow too."""
    if k == 0:
        return figures
    shift = offsets[k % len(offsets)]
    out = figures.copy()
    for column in PERIOD_COLUMNS:
        if column in out:
            out[column] = out[column].str.replace(
                YEAR, lambda m: str(int(m[0]) + shift), regex=True
            )
    out["release_id"] = out["release_id"] + f"-copy{k}"
    return out


def figures_of_size(base: pd.DataFrame, n: int) -> pd.DataFrame:
    copies = -(-n // len(base))
    offsets = year_offsets(base)
    return pd.concat([shifted(base, k, offsets) for k in range(copies)], ignore_index=True).head(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000, 40000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--smoke", action="store_true", help="one small size, once, nothing written (CI)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.repeat = [500], 1
    # The package's reader: declared dtypes, open bounds as infinities (as notebook 20 reads it).
    base = read_table(ROOT / "data" / "processed" / "published_figures.csv")
    rows = []
    for n in args.sizes:
        figures = figures_of_size(base, n)
        seconds = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            tables = build_series_tables(figures)
            seconds.append(time.perf_counter() - t0)
        med = statistics.median(seconds)
        rows.append((n, med, len(tables["series.csv"]), len(tables["checks.csv"])))
        print(f"{n} figures: {med:.2f} s ({1000 * med / n:.3f} s per 1000)", flush=True)
    lines = [
        SECTION,
        "",
        f"`.venv/bin/python benchmarks/scale_bench.py` (median of {args.repeat}; the committed "
        "figures copied into more years, then reprinted as by more outlets):",
        "",
        "| figures | series rows | checks | seconds | seconds per 1000 figures |",
        "|---|---|---|---|---|",
        *(f"| {n} | {s} | {c} | {t:.2f} | {1000 * t / n:.3f} |" for n, t, s, c in rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.smoke:
        return
    results = ROOT / "benchmarks" / "results.md"
    old = results.read_text() if results.is_file() else ""
    if SECTION in old:
        head, _sep, tail = old.partition(SECTION)
        rest = tail[tail.index("\n## ") :] if "\n## " in tail else ""
        old = head.rstrip("\n") + "\n" + rest
    results.write_text(old.rstrip("\n") + "\n\n" + text)


if __name__ == "__main__":
    main()
