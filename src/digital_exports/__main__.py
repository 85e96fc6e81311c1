"""Command line: ``python -m digital_exports COMMAND``; ``--help`` lists the commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from digital_exports.base.paths import project_root
from digital_exports.contract.errors import InputError


def _cmd_run(args: argparse.Namespace) -> int:
    from digital_exports.run.runner import RunnerError, run
    from digital_exports.run.steps import STEPS

    root = args.root.resolve() if args.root else project_root()
    missing = [s.notebook for s in STEPS if not (root / s.notebook).is_file()]
    if not (root / "data" / "raw").is_dir() or missing:
        raise RunnerError(
            f"--root {root}: not a copy of this project (found no "
            f"{'data/raw/' if not (root / 'data' / 'raw').is_dir() else missing[0]}); expected "
            "a folder holding data/raw/ and the notebooks of notebooks/"
        )
    return run(root, args.param, args.params_file, args.force, args.jobs, only=args.only)


def _inside(root: Path, given: str, option: str) -> Path:
    """``given`` (relative to the project root) as a folder of the project, or an error."""
    from digital_exports.run.runner import RunnerError

    path = (root / given).resolve()
    if not path.is_relative_to(root.resolve()):
        raise RunnerError(
            f"{option} {given!r} is outside the project ({root}); expected a folder below it"
        )
    return path


def _cmd_ingest(args: argparse.Namespace) -> int:
    from digital_exports.base.lock import RunLock, lock_path_for
    from digital_exports.tables.ingest import ingest_step

    root = project_root()
    raw, out = _inside(root, args.raw, "--raw"), _inside(root, args.out, "--out")
    with RunLock(lock_path_for(root)):  # never writes data/processed/ under a running pipeline
        ingest_step(raw, out, root)
    return 0


def _cmd_checksums(args: argparse.Namespace) -> int:
    from digital_exports.contract import commands as cli_release

    root = project_root()
    if args.add:
        for rel in cli_release.seal_new(root):
            print(f"added {rel}")
    if args.update:
        for rel in cli_release.reseal(root, args.update):
            print(f"resealed {rel}")
    if args.drop:
        for rel in cli_release.drop_release(root, args.drop):
            print(f"dropped {rel}")
    cli_release.verify(root)
    print("data/raw/SHA256SUMS matches every file")
    return 0


def _cmd_new_release(args: argparse.Namespace) -> int:
    from digital_exports.contract.commands import new_release

    root = project_root()
    folder = new_release(root, args.outlet, args.date, args.slug)
    for name in ("release.yml", "figures.csv"):
        print(f"created {(folder / name).relative_to(root).as_posix()}")
    release_id = folder.relative_to(root / "data" / "raw").as_posix()
    print(f"next: fill them in, then make check RELEASE={release_id}")
    return 0


def _cmd_draft(args: argparse.Namespace) -> int:
    from digital_exports.contract.draft import DraftError, draft_release, review_text

    root = project_root()
    name = "standard input" if args.source == "-" else args.source
    try:
        raw = sys.stdin.read() if args.source == "-" else Path(args.source).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftError(name, f"a file that cannot be read ({exc})", "an article as UTF-8 "
                         "text or saved HTML") from None  # fmt: skip
    draft = draft_release(root, args.outlet, args.date, args.slug, raw, name)
    release_id = draft.folder.relative_to(root / "data" / "raw").as_posix()
    marked = sum(bool(r.review) for r in draft.rows)
    print(f"created {release_id}/release.yml (language {draft.language}"
          + (f", title {draft.title!r}" if draft.title else "") + ")")  # fmt: skip
    print(f"created {release_id}/figures.csv: {len(draft.rows)} figures proposed, "
          f"{marked} with a review mark")  # fmt: skip
    if args.review:
        print()
        print(review_text(draft.rows, draft.text))
    print(
        f"next: review each row (make draft ... REVIEW=1 shows them beside the text), clear the "
        f"marks, fill release.yml, then make check RELEASE={release_id}"
    )
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from digital_exports.contract.commands import run_check

    run_check(project_root(), args.release, sys.stdout, brief=args.brief)
    return 0


def _cmd_contract_docs(args: argparse.Namespace) -> int:
    from digital_exports.contract.contract_docs import update

    readme = project_root() / "data" / "raw" / "README.md"
    if update(readme, check=args.check):
        print(f"{readme.name}: the generated grammar sections are up to date")
        return 0
    print(
        "data/raw/README.md: the generated grammar sections differ from the declarations in "
        "units.py and qualifiers.py; run .venv/bin/python -m digital_exports contract-docs",
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
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="STEP",
        help="run this step (name or number, e.g. 40) and the steps it follows when their "
        "inputs changed; repeatable",
    )
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers")
    p.add_argument("--root", type=Path, help="another copy of the project (benchmarks, tests)")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("ingest", help="raw releases -> data/processed/published_figures.csv")
    p.add_argument("--raw", default="data/raw")
    p.add_argument("--out", default="data/processed")
    p.set_defaults(func=_cmd_ingest)
    p = sub.add_parser("new-release", help="create data/raw/OUTLET/DATE-SLUG/ from the contract")
    p.add_argument("outlet", help="lower-case slug of the outlet (le360)")
    p.add_argument("date", help="publication date YYYY-MM-DD")
    p.add_argument("slug", help="lower-case words joined by hyphens")
    p.set_defaults(func=_cmd_new_release)
    p = sub.add_parser(
        "draft", help="create a release from an article's text: every figure proposed, marked"
    )
    p.add_argument("outlet", help="lower-case slug of the outlet (le360)")
    p.add_argument("date", help="publication date YYYY-MM-DD")
    p.add_argument("slug", help="lower-case words joined by hyphens")
    p.add_argument(
        "--from", dest="source", required=True, help="the article: text, saved HTML or -"
    )
    p.add_argument("--review", action="store_true", help="print each row beside its context")
    p.set_defaults(func=_cmd_draft)
    p = sub.add_parser("check", help="validate releases and show how each figure was read")
    p.add_argument("release", nargs="*", help="release ids or folders (default: all)")
    p.add_argument("--brief", action="store_true", help="one line per release")
    p.set_defaults(func=_cmd_check)
    p = sub.add_parser("checksums", help="verify data/raw/SHA256SUMS; seal, reseal or drop")
    p.add_argument("--add", action="store_true", help="seal new files, once check passes")
    p.add_argument(
        "--update", nargs="+", metavar="PATH", help="reseal files never committed, once checked"
    )
    p.add_argument("--drop", metavar="RELEASE", help="remove a release folder never committed")
    p.set_defaults(func=_cmd_checksums)
    p = sub.add_parser(
        "contract-docs", help="regenerate the unit and qualifier grammars in data/raw/README.md"
    )
    p.add_argument("--check", action="store_true", help="only check that they are up to date")
    p.set_defaults(func=_cmd_contract_docs)
    args = parser.parse_args(argv)
    from digital_exports.run.params import ParameterError
    from digital_exports.run.runner import RunnerError

    try:
        return int(args.func(args))
    except (InputError, ParameterError, RunnerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `check | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


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
