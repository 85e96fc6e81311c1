"""Command line: ``python -m digital_exports {run,ingest,checksums,contract-docs}``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from digital_exports.errors import InputError
from digital_exports.paths import project_root


def _root() -> Path:
    """The project root: the checkout this package is installed from, else the nearest one
    above the working directory; so a run works from any directory."""
    here = Path(__file__).resolve().parents[2]
    if (here / "pyproject.toml").is_file() and (here / "data" / "raw").is_dir():
        return here
    return project_root()


def _cmd_run(args: argparse.Namespace) -> int:
    from digital_exports.pipeline import run

    root = args.root.resolve() if args.root else _root()
    return run(root, args.param, args.params_file, args.force, args.jobs)


def _inside(root: Path, given: str, option: str) -> Path:
    """``given`` (relative to the project root) as a folder of the project, or an error."""
    from digital_exports.pipeline import RunnerError

    path = (root / given).resolve()
    if not path.is_relative_to(root.resolve()):
        raise RunnerError(
            f"{option} {given!r} is outside the project ({root}); expected a folder below it"
        )
    return path


def _cmd_ingest(args: argparse.Namespace) -> int:
    from digital_exports.lock import RunLock, lock_path_for
    from digital_exports.pipeline_steps import ingest_step

    root = project_root()
    raw, out = _inside(root, args.raw, "--raw"), _inside(root, args.out, "--out")
    with RunLock(lock_path_for(root)):  # never writes data/processed/ under a running pipeline
        ingest_step(raw, out, root)
    return 0


def _cmd_checksums(args: argparse.Namespace) -> int:
    from digital_exports.releases import add_checksums, verify_checksums

    root = project_root()
    raw = root / args.raw
    if args.add:
        for rel in add_checksums(raw, root):
            print(f"added {rel}")
    verify_checksums(raw, root)
    print(f"{raw.relative_to(root).as_posix()}/SHA256SUMS matches every file")
    return 0


def _cmd_contract_docs(args: argparse.Namespace) -> int:
    from digital_exports.contract_docs import update

    readme = project_root() / "data" / "raw" / "README.md"
    if update(readme, check=args.check):
        print(f"{readme.name}: the generated grammar sections are up to date")
        return 0
    print(
        "data/raw/README.md: the generated grammar sections differ from the declarations in "
        "units.py and qualifiers.py; run python -m digital_exports contract-docs",
        file=sys.stderr,
    )
    return 1


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (2 for bad input, with the problems on stderr)."""
    parser = argparse.ArgumentParser(prog="python -m digital_exports", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="run the pipeline: what changed, in parallel, with reports")
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a notebook parameter, for every notebook that declares it",
    )
    p.add_argument("--params-file", type=Path, help="YAML: {step: [ {name: value}, ...]}")
    p.add_argument("--force", action="store_true", help="rerun every step")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers")
    p.add_argument("--root", type=Path, help="another copy of the project (benchmarks, tests)")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("ingest", help="raw releases -> data/processed/published_figures.csv")
    p.add_argument("--raw", default="data/raw")
    p.add_argument("--out", default="data/processed")
    p.set_defaults(func=_cmd_ingest)
    p = sub.add_parser("checksums", help="verify data/raw/SHA256SUMS (--add lists new files)")
    p.add_argument("--raw", default="data/raw")
    p.add_argument("--add", action="store_true", help="add files not listed yet")
    p.set_defaults(func=_cmd_checksums)
    p = sub.add_parser(
        "contract-docs", help="regenerate the unit and qualifier grammars in data/raw/README.md"
    )
    p.add_argument("--check", action="store_true", help="only check that they are up to date")
    p.set_defaults(func=_cmd_contract_docs)
    args = parser.parse_args(argv)
    from digital_exports.params import ParameterError
    from digital_exports.pipeline import RunnerError

    try:
        return args.func(args)
    except (InputError, ParameterError, RunnerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _exit(code: int) -> None:
    """Exit with ``code``; after an interrupt (128 + signal), without waiting for threads still
    blocked on killed kernels or for the interpreter's clean-up: the run has already stopped its
    kernels, removed its files and released its lock."""
    if code > 128:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    _exit(main())
