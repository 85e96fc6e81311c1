"""Benchmark of the pipeline runner against a naive loop of papermill and nbconvert CLI calls.

Usage: ``.venv/bin/python benchmarks/run_bench.py [--repeat 5] [--skip-make-test] [--smoke]``

Everything runs on a temporary copy of the project (data, notebooks, pyproject.toml), so the
working tree is not touched, except ``make test``, which runs in the checkout itself (it leaves
the tree as it found it). Each figure is the median of ``--repeat`` runs (at least 5). The table
is printed and written to ``benchmarks/results.md``.

Measured:
* cold full run: ``python -m digital_exports run --force`` with no ``reports/`` (every notebook
  executed and exported to two HTML files), against the naive loop: for each notebook in order,
  ``papermill`` then ``jupyter nbconvert --to html`` as separate commands;
* no-op rerun: the same command when nothing changed;
* one parameter changed: ``run -p year=<a new year>``, which must execute one notebook only;
* ``make test`` after set-up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("pyproject.toml", "data", "notebooks"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    return dest


def runner(copy: Path, *extra: str) -> list[str]:
    return [str(BIN / "python"), "-m", "digital_exports", "run", "--root", str(copy), *extra]


def naive_loop(copy: Path, env: dict | None = None) -> float:
    out = copy / "naive"
    out.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    for nb in NOTEBOOKS:
        executed = out / nb.name
        papermill = [
            str(BIN / "papermill"),
            str(copy / "notebooks" / nb.name),
            str(executed),
            "-k",
            "digital-exports",
            "--cwd",
            str(copy),
        ]
        timed(papermill, copy, env)
        timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], copy, env)
    return time.perf_counter() - t0


def with_rfc3987(folder: Path) -> dict:
    """An environment where jsonschema finds rfc3987-syntax, as a plain ``pip install
    jupyterlab`` leaves it (the lock leaves it out): the naive loop as most users would run it."""
    subprocess.run(
        [
            str(BIN / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(folder),
            "rfc3987-syntax==1.1.0",
            "lark==1.3.1",
        ],
        check=True,
        capture_output=True,
    )
    return {**os.environ, "PYTHONPATH": str(folder)}


#: The two settings of bytecode caches measured: ``PYTHONDONTWRITEBYTECODE`` set (the usual
#: setting in containers; what is not compiled at install is compiled in every process) and not.
BYTECODE_MODES = {"set": "1", "unset": None}


def env_for(mode: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    value = BYTECODE_MODES[mode]
    if value is not None:
        env["PYTHONDONTWRITEBYTECODE"] = value
    return env


def render(
    rows: dict[str, list[float]],
    phases: dict[str, dict[str, list[float]]],
    repeat: int,
    ran_one: list[int],
) -> str:
    """The results as Markdown: the medians of every measure, then the per-step breakdown of
    the cold run (``PYTHONDONTWRITEBYTECODE`` set)."""
    med = {k: statistics.median(v) for k, v in rows.items() if v}
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; median of {repeat} runs "
        f"(`.venv/bin/python benchmarks/run_bench.py`); the virtual environment compiled at "
        "install (`make setup`). Each runner measure with `PYTHONDONTWRITEBYTECODE` set, then "
        "unset.",
        "",
        "| measure | median (s), PYTHONDONTWRITEBYTECODE set | unset | target |",
        "|---|---|---|---|",
        f"| naive loop: papermill + jupyter nbconvert CLI per notebook ({len(NOTEBOOKS)} "
        f"notebooks) | {med['naive[set]']:.1f} | {med['naive[unset]']:.1f} | |",
    ]
    if "naive_rfc[set]" in med:
        lines.append(
            "| the same naive loop with rfc3987-syntax installed, as a plain `pip install "
            f"jupyterlab` leaves it | {med['naive_rfc[set]']:.1f} | | |"
        )
    cells = {
        m: f"{med[f'cold[{m}]']:.1f} ({med[f'cold[{m}]'] / med[f'naive[{m}]']:.2f} x naive)"
        for m in BYTECODE_MODES
    }
    lines += [
        "| cold full run (all notebooks + all HTML), `python -m digital_exports run --force` "
        f"| {cells['set']} | {cells['unset']} | <= 0.25 x naive |",
        f"| no-op rerun | {med['noop[set]']:.2f} | {med['noop[unset]']:.2f} | <= 0.3 |",
        f"| rerun after changing one parameter of one notebook (notebooks executed: "
        f"{sorted(set(ran_one))}) | {med['one_param[set]']:.1f} | {med['one_param[unset]']:.1f} "
        "| only that notebook |",
    ]
    if "make_test" in med:
        lines.append(f"| `make test` after set-up | {med['make_test']:.1f} | | <= 120 |")
    lines += [
        "",
        "Per step of the cold run (median seconds, `PYTHONDONTWRITEBYTECODE` set; `total` runs "
        "from the step's start to the end of its HTML export, which the export thread does "
        "while the kernel goes on with the next notebook; `kernel wait` is the wait for a warm "
        "kernel, what is left of the first one's start-up once the raw releases are checked; "
        "two workers run 30-60 side by side):",
        "",
        "| step | total | kernel wait | execute | export |",
        "|---|---|---|---|---|",
    ]
    for step, by_phase in phases.items():
        m = {k: statistics.median(v) for k, v in by_phase.items()}
        lines.append(
            f"| {step} | {m['total']:.2f} | {m.get('kernel_wait', 0):.2f} | "
            f"{m.get('execute', 0):.2f} | {m.get('export', 0):.2f} |"
        )
    return "\n".join(lines) + "\n"


def one_repeat(copy: Path, mode: str, rows: dict, phases: dict, ran_one: list[int]) -> None:
    """The naive loop and the runner's cold, no-op and one-parameter runs, in one setting."""
    env = env_for(mode)
    rows.setdefault(f"naive[{mode}]", []).append(naive_loop(copy, env))
    shutil.rmtree(copy / "reports", ignore_errors=True)
    rows.setdefault(f"cold[{mode}]", []).append(timed(runner(copy, "--force"), ROOT, env)[0])
    if mode == "set":
        manifest = json.loads((copy / "reports" / "manifest.json").read_text())
        for job in manifest["jobs"]:
            step = phases.setdefault(job["step"], {})
            for phase, seconds in {"total": job["seconds"], **job.get("phases", {})}.items():
                step.setdefault(phase, []).append(seconds)
    rows.setdefault(f"noop[{mode}]", []).append(timed(runner(copy), ROOT, env)[0])
    # A year with data (parameters are checked against the data) other than the default; the
    # reports were removed before the cold run, so it runs again.
    seconds, out = timed(runner(copy, "-p", "year=2023"), ROOT, env)
    rows.setdefault(f"one_param[{mode}]", []).append(seconds)
    ran_one.append(sum(ln.startswith("ran ") for ln in out.splitlines()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-make-test", action="store_true")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="one repeat, no rfc3987 loop and no make test, nothing written: proves it runs (CI)",
    )
    args = parser.parse_args()
    repeat = 1 if args.smoke else max(5, args.repeat)
    rows: dict[str, list[float]] = {}
    ran_one: list[int] = []
    # step -> phase -> seconds of each cold run, read from the cold run's manifest
    phases: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        copy = copy_project(Path(tmp) / "project")
        env_rfc = None if args.smoke else with_rfc3987(Path(tmp) / "rfc3987")
        for i in range(repeat):
            for mode in BYTECODE_MODES:
                one_repeat(copy, mode, rows, phases, ran_one)
            if env_rfc is not None:
                rows.setdefault("naive_rfc[set]", []).append(
                    naive_loop(copy, {**env_rfc, "PYTHONDONTWRITEBYTECODE": "1"})
                )
            print(
                f"repeat {i + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in rows.items() if v),
                flush=True,
            )
    if not (args.skip_make_test or args.smoke):
        subprocess.run(["make", "setup"], cwd=ROOT, check=True, capture_output=True)
        for _ in range(repeat):
            rows.setdefault("make_test", []).append(timed(["make", "test"], ROOT)[0])
    text = render(rows, phases, repeat, ran_one)
    print(text)
    if args.smoke:
        return
    results = ROOT / "benchmarks" / "results.md"
    # Keep the sections other benchmarks write (``bench_check.py``'s).
    old = results.read_text() if results.is_file() else ""
    rest = old[old.index("\n## ") :] if "\n## " in old else ""
    results.write_text(text + rest)


if __name__ == "__main__":
    main()
