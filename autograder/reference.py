"""The reference solution's side of every check, recorded once per assignment and cached on disk.

The expected value of a hidden check never travels to a learner's kernel: the grader runs the
trusted source notebook (solutions and hidden tests) with its checks rewritten to record both
sides, keeps the expected side, and judges learners' records against it in its own process.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

import nbformat

from autograder.course import Assignment, Course
from autograder.options import Limits
from autograder.records import Expected, collect_records, expected_of, to_recording
from autograder.runner import run_notebook
from autograder.zygote import imported_modules, notebook_imports

_CACHE_FORMAT = b"expected-sequence+seconds"
_KIT = "ml-project-course-kit"
_HELPERS = Path(__file__).resolve().parent.parent / "coursekit"  # the course's own helpers, imported by every notebook
_providers = functools.cache(packages_distributions)  # top-level module -> distributions; scanning them costs ~0.3 s


class ReferenceSolutionError(RuntimeError):
    """The reference solution does not pass its own checks: the course, not a learner, must be fixed."""


def cache_folder() -> Path:
    """Where reference runs are cached: ``$AUTOGRADER_CACHE_DIR``, else ``$XDG_CACHE_HOME/ml-course-autograder``,
    else ``~/.cache/ml-course-autograder``."""
    if os.environ.get("AUTOGRADER_CACHE_DIR"):
        return Path(os.environ["AUTOGRADER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ml-course-autograder"


def environment(assignment: Assignment) -> dict[str, str]:
    """What the reference values of ``assignment`` depend on beyond the course's own files.

    Returns
    -------
    dict
        ``"python"`` (the interpreter's full version and build), ``"machine"``, and the version of
        every installed distribution the source notebook or ``coursekit`` imports, of every
        distribution those require, and of the kit itself (``ml-project-course-kit``).
    """
    return {"python": sys.version, "machine": platform.machine(),
            **dict(_stored_versions(assignment.source_notebook.read_bytes(), _helper_sources()))}


def fingerprint(assignment: Assignment) -> str:
    """What the reference values depend on: the source, the registry, the course's helpers and :func:`environment`."""
    digest = hashlib.sha256(_CACHE_FORMAT + assignment.source_notebook.read_bytes())
    digest.update(assignment.registry_file.read_bytes())
    for source in _helper_sources():
        digest.update(source)
    digest.update(json.dumps(environment(assignment), sort_keys=True).encode())
    return digest.hexdigest()[:20]


def _helper_sources() -> tuple[bytes, ...]:
    return tuple(module.read_bytes() for module in sorted(_HELPERS.glob("*.py")))


def _environments_folder() -> Path:
    """Where :func:`environment`'s distribution versions are kept between runs (finding them costs seconds)."""
    return cache_folder() / "environments"


def _installed_set() -> bytes:
    """What is installed, found cheaply: the metadata folder of every distribution on ``sys.path``
    (its name holds the distribution's name and version), in order."""
    names = []
    for entry in sys.path:
        try:
            names += sorted(e.name for e in os.scandir(entry or ".") if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip or a missing folder on sys.path
            continue
    return "\n".join(names).encode()


@functools.lru_cache(maxsize=32)  # by content: a cohort asks once per submission
def _stored_versions(notebook: bytes, helpers: tuple[bytes, ...]) -> tuple[tuple[str, str], ...]:
    """:func:`_installed_versions`, kept on disk under a key of the notebook, the helpers, the
    interpreter and what is installed: a run in an unchanged environment reads it back."""
    key = hashlib.sha256(b"\0".join([notebook, *helpers, sys.version.encode(), _installed_set()])).hexdigest()[:20]
    stored = _environments_folder() / f"{key}.json"
    try:
        return tuple(tuple(pair) for pair in json.loads(stored.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        pass
    versions = _installed_versions(notebook, helpers)
    stored.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=stored.parent, delete=False, suffix=".tmp", encoding="utf-8") as handle:
        json.dump(versions, handle)
    os.replace(handle.name, stored)
    return versions


def _installed_versions(notebook: bytes, helpers: tuple[bytes, ...]) -> tuple[tuple[str, str], ...]:
    """(distribution, version) of what ``notebook`` and the ``helpers`` modules import, with their requirements."""
    modules = (*notebook_imports(nbformat.reads(notebook.decode(), as_version=4)), *_helper_imports(helpers))
    providers = _providers()
    pending = [name for module in dict.fromkeys(m.partition(".")[0] for m in modules) for name in providers.get(module, [])]
    # The kit's own helpers are hashed as code; its requirements are the grader's, not the notebooks'.
    found = {_KIT: (_release(_KIT) or ("not installed",))[0]}
    while pending:
        name = _canonical(pending.pop())
        if name in found or (release := _release(name)) is None:  # an optional requirement left out
            continue
        found[name], requirements = release
        pending += requirements
    return tuple(sorted(found.items()))


@functools.lru_cache(maxsize=4)
def _helper_imports(helpers: tuple[bytes, ...]) -> tuple[str, ...]:
    return imported_modules(source.decode() for source in helpers)


def _canonical(requirement: str) -> str:
    """A distribution's normalised name, from its name or a requirement line (``numpy>=2; python_version<"4"``)."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


@functools.cache
def _release(name: str) -> tuple[str, list[str]] | None:
    """The installed version of distribution ``name`` and what it requires (extras left out), or None."""
    try:
        meta = distribution(name).metadata  # parsed once: each version() or requires() call parses it again
    except PackageNotFoundError:
        return None
    required = [line for line in meta.get_all("Requires-Dist") or [] if "extra" not in line.partition(";")[2]]
    return meta["Version"], required


def _cache_file(assignment: Assignment) -> Path:
    return cache_folder() / f"{assignment.name}-{fingerprint(assignment)}.json"


def reference_values(assignment: Assignment, limits: Limits = Limits()) -> Expected:
    """The expected side of every check of ``assignment``, from the cache or a fresh reference run."""
    cached = _cache_file(assignment)
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))["expected"]
    expected, seconds = _run_reference(assignment, limits)
    cached.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # hidden checks' expected values: not for other users
    with tempfile.NamedTemporaryFile("w", dir=cached.parent, delete=False, suffix=".tmp", encoding="utf-8") as handle:
        json.dump({"expected": expected, "seconds": seconds, "environment": environment(assignment)}, handle)
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


@dataclass(frozen=True)
class CachedReference:
    """One cached reference run: the file ``<assignment>-<fingerprint>.json`` in :func:`cache_folder`."""

    path: Path
    assignment: str
    fingerprint: str
    size: int
    modified: float

    def python(self) -> str:
        """The Python version the reference ran with ("?" for a file written before it was recorded)."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))["environment"]["python"].split()[0]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return "?"


def cached_references(assignment: str | None = None) -> list[CachedReference]:
    """Every cached reference run, or only those of ``assignment``, by assignment then age."""
    folder = cache_folder()
    found = []
    for path in folder.glob("*-*.json") if folder.is_dir() else []:
        name, _, key = path.stem.rpartition("-")
        if assignment in (None, name):
            stat = path.stat()
            found.append(CachedReference(path, name, key, stat.st_size, stat.st_mtime))
    return sorted(found, key=lambda entry: (entry.assignment, -entry.modified))


def clear_cache(assignment: str | None = None) -> list[CachedReference]:
    """Remove every cached reference run, or only those of ``assignment``; the next grading run recomputes them."""
    removed = cached_references(assignment)
    for entry in removed:
        entry.path.unlink(missing_ok=True)
    if assignment is None:  # the stored environments go too: the next run finds them again
        for stored in _environments_folder().glob("*.json") if _environments_folder().is_dir() else []:
            stored.unlink(missing_ok=True)
    return removed


def cache_table(course: Course) -> str:
    """What ``autograder cache --list`` prints: one line per cached file, and which of them ``course`` uses here."""
    folder, entries = cache_folder(), cached_references()
    if not entries:
        return f"No reference runs are cached in {folder}: the first grading run of each assignment makes its own."
    current = {fingerprint(assignment) for assignment in course.assignments()}
    now = time.time()
    rows = [("assignment", "fingerprint", "python", "size", "age", "")]
    rows += [(e.assignment, e.fingerprint, e.python(), _size(e.size), _age(now - e.modified),
              "current" if e.fingerprint in current else "other") for e in entries]
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[5] for row in rows]
    return "\n".join([
        f"Reference runs cached in {folder}:", *(line.rstrip() for line in lines), "",
        f"{len(entries)} files, {_size(sum(e.size for e in entries))}.",
        "current: what this course grades against in this environment.",
        "other:   another version of the course or another environment (a clone sharing this cache may still use it).",
        "'autograder cache --clear [ASSIGNMENT]' removes them; the next grading run recomputes what it needs.",
    ])


def _size(size: int) -> str:
    return f"{size} B" if size < 1024 else f"{size / 1024:.1f} KiB" if size < 1024**2 else f"{size / 1024**2:.1f} MiB"


def _age(seconds: float) -> str:
    for unit, length in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= length:
            return f"{seconds / length:.0f} {unit}"
    return f"{max(seconds, 0):.0f} s"
