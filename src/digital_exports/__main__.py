"""Command line: ``python -m digital_exports {run,ingest,checksums}``."""

from __future__ import annotations

import argparse
import sys

from digital_exports.errors import InputError
from digital_exports.paths import project_root


def _cmd_run(args: argparse.Namespace) -> int:
    from digital_exports.notebooks import NOTEBOOKS, execute

    root = project_root()
    for rel in NOTEBOOKS:
        print(f"run  {rel}", flush=True)
        execute(root / rel, root / rel, cwd=root)
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from digital_exports.pipeline_steps import ingest_step

    root = project_root()
    ingest_step(root / args.raw, root / args.out, root)
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


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (2 for bad input, with the problems on stderr)."""
    parser = argparse.ArgumentParser(prog="python -m digital_exports", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="execute the pipeline's notebooks in order")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("ingest", help="raw releases -> data/processed/published_figures.csv")
    p.add_argument("--raw", default="data/raw")
    p.add_argument("--out", default="data/processed")
    p.set_defaults(func=_cmd_ingest)
    p = sub.add_parser("checksums", help="verify data/raw/SHA256SUMS (--add lists new files)")
    p.add_argument("--raw", default="data/raw")
    p.add_argument("--add", action="store_true", help="add files not listed yet")
    p.set_defaults(func=_cmd_checksums)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
