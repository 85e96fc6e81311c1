"""The model's properties on as many worlds as a time budget allows (``make fuzz``).

Worlds come from a fixed list of seeds first (0, 1, 2, ...: the same worlds on every machine),
then from random seeds, each printed when it fails so that ``--seed N`` replays it. Every world
is checked for the properties of ``support/properties.py`` (total, sound, sharp, order-free),
then three misprints are tried on it and one evidence case. The summary gives the worlds
explored, the properties held and the share of misprints caught.

Usage: ``python -m support.fuzz [--minutes 10] [--fixed 200] [--seed N]`` from ``tests/``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback

from support.properties import Catch, assert_evidence, check_world, try_misprint
from support.worlds import RandomChooser, draw_world


def one_world(seed: int, catch: Catch) -> bool:
    """Check the world of ``seed``; whether an evidence case arose in it."""
    c = RandomChooser(random.Random(seed))
    world = draw_world(c)
    tables = check_world(world, seed)
    for _ in range(3):
        try_misprint(c, world, tables, catch)
    return assert_evidence(c, world, tables)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--fixed", type=int, default=200, help="fixed seeds 0..N-1 first")
    parser.add_argument("--seed", type=int, action="append", help="replay only these seeds")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + 60 * args.minutes
    replay = bool(args.seed)
    fixed = list(args.seed) if replay else list(range(args.fixed))
    catch, worlds, evidence, failures = Catch(), 0, 0, []
    entropy = random.SystemRandom()
    while time.monotonic() < deadline and (fixed or not replay):
        seed = fixed.pop(0) if fixed else entropy.randrange(2**32)
        try:
            evidence += one_world(seed, catch)
        except Exception:  # every failure is reported with its seed, then the loop goes on
            failures.append(seed)
            print(f"FAILED world {seed}:\n{traceback.format_exc()}", flush=True)
        worlds += 1
    print(f"worlds explored: {worlds} ({min(worlds, args.fixed)} fixed seeds, the rest random)")
    print(
        f"properties held (total, sound, sharp, order-free): {worlds - len(failures)} of {worlds}"
    )
    print(f"evidence cases (a misprint beside an honest print an identity supports): {evidence}")
    print(
        f"misprints beyond their rounding: {catch.tried}; an identity or another print bears on "
        f"{catch.borne}; caught {catch.caught} ({100 * catch.rate:.1f} %); excluded by an "
        f"identity (always caught): {catch.decisive}"
    )
    for kind, (borne, caught) in sorted((catch.by_kind or {}).items()):
        print(f"  {kind}: caught {caught} of {borne}")
    if failures:
        print(f"failing seeds: {' '.join(map(str, failures))} (replay: --seed N)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
