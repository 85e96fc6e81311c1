"""The fast tier (``make test-fast``): unit and in-process tests. No test here starts a process
(no kernel, no browser, no command line in a subprocess): the fixture below makes any attempt
fail, so the tier stays fast as it grows."""

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


class ProcessStarted(AssertionError):
    """A unit test started a process: move it to tests/pipeline/, or test in process."""


@pytest.fixture(autouse=True)
def no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ProcessStarted(f"the fast tier starts no process; tried: {args[:1]}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
