"""Benchmark of ``python -m digital_exports check`` on every release, as a transcriber runs it:
a new process each time (interpreter start-up included), median of several runs.

Usage: ``.venv/bin/python benchmarks/bench_check.py [--runs N]``; prints the median and fails
(exit 1) when it is not under one second.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "digital_exports", "check"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 2
    n_releases = sum("figure(s) read" in line for line in done.stdout.splitlines())
    median = statistics.median(times)
    print(
        f"check on all {n_releases} releases: median {median:.2f} s over {args.runs} runs "
        f"(min {min(times):.2f}, max {max(times):.2f}); target < {TARGET_SECONDS:.0f} s"
    )
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
