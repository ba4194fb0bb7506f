"""The reference solution's side of every check, recorded once per assignment and cached on disk.

The expected value of a hidden check never travels to a learner's kernel: the grader runs the
trusted source notebook (solutions and hidden tests) with its checks rewritten to record both
sides, keeps the expected side, and judges learners' records against it in its own process.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

from autograder.course import Assignment
from autograder.records import Expected, collect_records, expected_of, to_recording
from autograder.options import Limits
from autograder.runner import run_notebook

_LIBRARIES = ("numpy", "pandas", "scipy", "scikit-learn", "matplotlib")
_CACHE_FORMAT = b"expected-sequence+seconds"


class ReferenceSolutionError(RuntimeError):
    """The reference solution does not pass its own checks: the course, not a learner, must be fixed."""


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ml-course-autograder"


def fingerprint(assignment: Assignment) -> str:
    """What the reference values depend on: the source, the registry, the course's helpers, library versions."""
    digest = hashlib.sha256(_CACHE_FORMAT + assignment.source_notebook.read_bytes())
    digest.update(assignment.registry_file.read_bytes())
    for library in _LIBRARIES:
        digest.update(version(library).encode())
    for module in sorted((Path(__file__).parent.parent / "coursekit").glob("*.py")):  # the course's own helpers
        digest.update(module.read_bytes())
    return digest.hexdigest()[:20]


def _cache_file(assignment: Assignment) -> Path:
    return cache_folder() / f"{assignment.name}-{fingerprint(assignment)}.json"


def reference_values(assignment: Assignment, limits: Limits = Limits()) -> Expected:
    """The expected side of every check of ``assignment``, from the cache or a fresh reference run."""
    cached = _cache_file(assignment)
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))["expected"]
    expected, seconds = _run_reference(assignment, limits)
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=cached.parent, delete=False, suffix=".tmp", encoding="utf-8") as handle:
        json.dump({"expected": expected, "seconds": seconds}, handle)
    os.replace(handle.name, cached)  # atomic: parallel graders never read half a file
    return expected


def reference_seconds(assignment: Assignment) -> float:
    """How long the reference solution's cells ran (0 before its first run): a notebook's expected cost."""
    try:
        return float(json.loads(_cache_file(assignment).read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError):
        return 0.0


def _run_reference(assignment: Assignment, limits: Limits) -> tuple[Expected, float]:
    nb, _ = to_recording(assignment.read_source(), keep_expected=True)
    with tempfile.TemporaryDirectory(prefix="autograder-reference-") as scratch:
        (Path(scratch) / assignment.registry_file.name).write_bytes(assignment.registry_file.read_bytes())
        runs = run_notebook(nb, Path(scratch), limits)
    failed = [run.index for run in runs if run.status != "ok"]
    if failed:
        raise ReferenceSolutionError(f"The reference solution of {assignment.name} fails in cell(s) {failed}: fix source/ first.")
    records = collect_records(nb, runs)
    broken = sorted(cid for cid, cell in records.items() if cell.tampered or not cell.records)
    if broken:
        raise ReferenceSolutionError(f"The reference solution of {assignment.name} records no value for {broken}: fix source/ first.")
    return expected_of(records), round(sum(run.seconds for run in runs), 3)
