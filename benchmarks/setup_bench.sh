#!/usr/bin/env bash
# Fresh-clone set-up time: `make setup` in a new clone of the committed HEAD, with uv (the
# default) and with pip (INSTALLER=pip), for each Python given (default: every pyenv 3.11-3.13
# and /usr/bin/python3). "warm": the machine's uv and pip caches as they are (a second clone);
# "cold": empty caches, everything downloaded from the index (first Python only, unless
# COLD=all). Writes a markdown table to stdout and to benchmarks/setup_results.md.
#
#   benchmarks/setup_bench.sh
#   benchmarks/setup_bench.sh /usr/bin/python3 ~/.pyenv/versions/3.13.0/bin/python3.13
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [ $# -gt 0 ]; then
    pythons=("$@")
else
    pythons=()
    for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[1-3].*/bin/python3 /usr/bin/python3; do
        [ -x "$p" ] && "$p" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
            && pythons+=("$p")
    done
fi
work=$(mktemp -d /tmp/setup-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# One `make setup` in a fresh clone; prints the wall-clock seconds.
time_setup() {
    local py=$1 installer=$2 caches=$3 clone
    clone=$(mktemp -d "$work/clone.XXXXXX")
    git clone --quiet --no-local "$root" "$clone"
    local env=()
    if [ "$caches" = cold ]; then
        env=(UV_CACHE_DIR="$clone.uv-cache" PIP_CACHE_DIR="$clone.pip-cache")
    fi
    local t0 t1
    t0=$(date +%s.%N)
    env "${env[@]}" make -C "$clone" --no-print-directory setup PYTHON="$py" INSTALLER="$installer" \
        >"$clone.log" 2>&1 || { cat "$clone.log" >&2; return 1; }
    t1=$(date +%s.%N)
    rm -rf "$clone" "$clone.uv-cache" "$clone.pip-cache"
    python3 -c "print(f'{$t1 - $t0:.1f}')"
}

if [ -n "${SMOKE:-}" ]; then  # CI: one warm set-up with uv on the first Python, nothing written
    echo "smoke: make setup (uv, warm caches) on ${pythons[0]}: $(time_setup "${pythons[0]}" uv warm) s"
    exit 0
fi

{
    echo "Machine: $(uname -m), $(nproc) cores; $(git -C "$root" rev-parse --short HEAD);" \
        "\`make setup\` in a fresh clone (\`benchmarks/setup_bench.sh\`)."
    echo
    echo "| Python | uv, warm caches (s) | pip, warm caches (s) | uv, cold caches (s) | pip, cold caches (s) |"
    echo "|---|---|---|---|---|"
    first=1
    for py in "${pythons[@]}"; do
        version=$("$py" -c 'import sys; print(sys.version.split()[0])')
        # Warm the caches once (not timed), so "warm" means a second clone on this machine.
        time_setup "$py" uv warm >/dev/null
        time_setup "$py" pip warm >/dev/null
        uv_warm=$(time_setup "$py" uv warm)
        pip_warm=$(time_setup "$py" pip warm)
        uv_cold="" pip_cold=""
        if [ -n "$first" ] || [ "${COLD:-}" = all ]; then
            uv_cold=$(time_setup "$py" uv cold)
            pip_cold=$(time_setup "$py" pip cold)
        fi
        echo "| $version (\`$py\`) | $uv_warm | $pip_warm | ${uv_cold:-} | ${pip_cold:-} |"
        first=
    done
} | tee benchmarks/setup_results.md
