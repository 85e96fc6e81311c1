#!/usr/bin/env bash
# Wall-clock time of the fast test loop and of the model's property tests, in this checkout
# (its .venv must exist: `make setup`). Each command runs RUNS times (default 3); the median and
# the range are printed as a markdown table. `make test` and `make fuzz` report their own
# figures (pytest's closing line; the fuzz summary).
#
#   benchmarks/test_bench.sh
#   RUNS=5 benchmarks/test_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
median_of() {  # the command's wall-clock seconds over $runs runs: "median (min-max)"
    local times=()
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
        t1=$(date +%s%N)
        times+=("$(((t1 - t0) / 1000000))")  # milliseconds
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1/1000} END {printf "%.1f s (%.1f-%.1f)", a[int((NR+1)/2)], a[1], a[NR]}'
}
echo "| command | median wall time (range), $runs runs, $(nproc) cores |"
echo "|---|---|"
echo "| \`make test-fast\` | $(median_of make --no-print-directory test-fast) |"
echo "| \`pytest tests/unit/test_model_properties.py\` | $(median_of .venv/bin/python -m pytest -q tests/unit/test_model_properties.py) |"
