"""The fast tier refuses to start a process (``tests/unit/conftest.py``)."""

from __future__ import annotations

import subprocess

import pytest


def test_starting_a_process_fails_in_the_fast_tier():
    with pytest.raises(AssertionError, match="the fast tier starts no process"):
        subprocess.run(["true"], check=False)
