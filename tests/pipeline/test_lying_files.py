"""Files that lie: a project vendored inside another repository, links that leave data/raw, and
processed files edited by hand. None is believed."""

from __future__ import annotations

import io
import os

from support.project import copy_world
from support.workflow import cli, git, git_copy

from digital_exports.base.gitstate import committed_files, git_state
from digital_exports.run.runner import run

SEED = "le360/2025-10-17-exportations-numeriques"


def test_an_outer_repository_does_not_speak_for_the_project(tmp_path):
    """The package unpacked inside another repository: the outer commit is not the project's,
    and an edited sealed release is refused whatever that repository says."""
    outer = tmp_path / "thesis"
    root = outer / "replication"
    root.mkdir(parents=True)
    git_copy(root)  # the project's own repository...
    (root / ".git").rename(tmp_path / "moved-away")  # ...gone: as unpacked from an archive
    git(outer, "init", "-q", "-b", "main")
    git(outer, "add", "-A")
    git(outer, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "thesis")
    assert git_state(root) == ("unknown", False)
    assert committed_files(root, "data/raw") is None
    figures = root / "data" / "raw" / SEED / "figures.csv"
    figures.write_text(figures.read_text().replace('"13,4"', '"99,9"'), encoding="utf-8")
    done = cli(root, "checksums", "--update", f"data/raw/{SEED}/figures.csv")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "resealed" not in done.stdout
    verified = cli(root, "checksums")  # what every run does first
    assert verified.returncode == 2 and "figures.csv: found sha256" in verified.stderr


def test_a_link_that_leaves_data_raw_is_refused(tmp_path):
    root = git_copy(tmp_path / "project")
    outside = tmp_path / "elsewhere"
    folder = root / "data" / "raw" / SEED
    folder.rename(outside)
    os.symlink(outside, folder)
    done = cli(root, "check")
    assert done.returncode == 2
    assert f"data/raw/{SEED}: found a link to {outside}" in done.stderr


def test_hand_edits_of_the_package_files_are_put_back(built, tmp_path):
    root = copy_world(built["root"], tmp_path / "project")
    processed = root / "data" / "processed"
    kept = {n: (processed / n).read_bytes() for n in ("changes.csv", "CODEBOOK.md")}
    for name in kept:
        with (processed / name).open("a", encoding="utf-8") as f:
            f.write("edited by hand\n")
    out = io.StringIO()
    assert run(root, [], None, force=False, n_workers=2, out=out) == 0, out.getvalue()
    assert {n: (processed / n).read_bytes() for n in kept} == kept
    assert "changes.csv had been edited by hand: put back" in out.getvalue()
