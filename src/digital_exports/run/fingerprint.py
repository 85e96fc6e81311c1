"""What makes a step's last run still current: the digest of its notebook's code, its
parameters, its input files and the package's source (SHA-256 of contents, never timestamps)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from digital_exports.base.hashing import sha256_file
from digital_exports.run.steps import Job

RUNNER_VERSION = "1"


def notebook_source_digest(path: Path) -> str:
    """Digest of what a notebook *does*: cell types, sources and tags, kernel; not its
    outputs, nor the cell of parameters papermill injected (both written back by the run; the
    parameters are in the fingerprint themselves)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = [nb.get("metadata", {}).get("kernelspec", {}).get("name", "")]
    for cell in nb["cells"]:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        parts.append(f"{cell['cell_type']}\0{src}\0{cell.get('metadata', {}).get('tags', [])}")
    return hashlib.sha256("\1".join(parts).encode()).hexdigest()


def expand_inputs(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(found)


def package_digest() -> str:
    """Digest of the package's source and templates: any change reruns every step."""
    pkg = Path(__file__).resolve().parents[1]  # the package, not this subpackage
    h = hashlib.sha256()
    for p in sorted(pkg.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".j2", ".json", ".css", ".yml", ".yaml"):
            h.update(p.relative_to(pkg).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def fingerprint(job: Job, root: Path, pkg: str) -> str:
    job.inputs = {
        p.relative_to(root).as_posix(): sha256_file(p) for p in expand_inputs(root, job.step.inputs)
    }
    blob = json.dumps(
        {
            "runner": RUNNER_VERSION,
            "python": sys.version.split()[0],
            "notebook": notebook_source_digest(root / job.step.notebook),
            "params": job.injected,
            "inputs": job.inputs,
            "package": pkg,
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()
