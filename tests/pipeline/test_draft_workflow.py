"""The draft workflow through the command line, in a copy of the project (it adds a release):
``draft --from -`` reads an article on standard input and ``--review`` shows each row beside
its words; ``check`` refuses the draft with one message per review mark; once the reviewer
clears the marks and fills in the release, ``check`` passes and the run says what changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.drafts import review
from support.workflow import cli, git_copy

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "tests" / "fixtures" / "draft_corpus" / "fr-03-trimestre-medias24" / "article.txt"
RELEASE = "medias24/2025-11-20-draft-trimestre"


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("drafted")
    git_copy(root)
    out: dict = {"root": root}
    out["draft"] = subprocess.run(
        [sys.executable, "-m", "digital_exports", "draft", "medias24", "2025-11-20",
         "draft-trimestre", "--from", "-", "--review"],
        input=ARTICLE.read_text(encoding="utf-8"), cwd=root, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    out["refused"] = cli(root, "check", RELEASE)
    filled = {
        "title": "Exportations numériques au troisième trimestre",
        "url": "https://medias24.com/exportations-numeriques-t3-2025",
        "producer": "Office des Changes",
        "notes": "Invented for the tests; drafted, then reviewed.",
    }
    out["marks"] = review(root / "data" / "raw" / RELEASE, filled)
    out["passed"] = cli(root, "check", RELEASE)
    out["seal"] = cli(root, "checksums", "--add")
    out["run"] = cli(root, "run", "--root", str(root), "--only", "20")
    return out


def test_draft_reads_standard_input_and_shows_the_rows_beside_the_text(drafted):
    done = drafted["draft"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert "figures proposed" in done.stdout and "language fr" in done.stdout
    assert "D01" in done.stdout and "…" in done.stdout  # a row beside its context
    assert "make check RELEASE=" + RELEASE in done.stdout


def test_check_refuses_the_draft_with_a_message_per_mark(drafted):
    refused = drafted["refused"]
    assert refused.returncode == 2
    assert refused.stderr.count("field 'review'") == drafted["marks"] > 0


def test_once_reviewed_it_passes_and_the_run_says_what_changed(drafted):
    for step in ("passed", "seal", "run"):
        assert drafted[step].returncode == 0, (step, drafted[step].stdout, drafted[step].stderr)
    assert "1 new release" in drafted["run"].stdout
    changes = (drafted["root"] / "data" / "processed" / "changes.csv").read_text("utf-8")
    assert RELEASE in changes
