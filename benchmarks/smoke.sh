#!/usr/bin/env bash
# Every benchmark at a smoke size, so that none can rot unnoticed (CI runs this after
# `make test`): each reads the tables through the package, runs its code paths once and writes
# nothing. The figures they print at this size are not measurements.
#
#   benchmarks/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
$py benchmarks/scale_bench.py --smoke
$py benchmarks/bench_check.py --runs 1
$py benchmarks/run_bench.py --smoke
RUNS=1 benchmarks/test_bench.sh
SMOKE=1 benchmarks/setup_bench.sh
