"""What a new interpreter imports at start-up: a fresh process is the point here."""

from __future__ import annotations

import subprocess
import sys


def test_nbformat_does_not_import_rfc3987_syntax():
    """jsonschema imports rfc3987_syntax, when installed, at start-up (about 1.5 s per process);
    the lock leaves it out (``tests/unit/test_environment.py``), so papermill, nbconvert and
    nbval start fast."""
    code = "import sys, nbformat; print('rfc3987_syntax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
