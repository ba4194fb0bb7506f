"""Grade one submission: the chain of steps every front door uses.

    read_submission -> identify_assignment -> restore_test_cells -> to_recording
    -> run_notebook (sandboxed) -> collect_records -> judge_recorded -> Report
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from nbformat import NotebookNode

from autograder.course import Course
from autograder.judge import judge_in_kernel, judge_recorded
from autograder.records import collect_records, to_recording
from autograder.reference import reference_values
from autograder.report import CheckpointResult, Report
from autograder.restore import restore_test_cells
from autograder.runner import Limits, run_notebook
from autograder.sandbox import Sandbox
from autograder.submission import check_learner_id, identify_assignment, read_submission
from autograder.zygote import kernel_zygote
from coursekit.registry import load_registry


def _scratch(registry_file: Path, parent: Path | None = None) -> tempfile.TemporaryDirectory:
    scratch = tempfile.TemporaryDirectory(prefix="autograder-", dir=parent)
    (Path(scratch.name) / registry_file.name).write_bytes(registry_file.read_bytes())
    return scratch


def self_check(nb: NotebookNode, registry_file: Path, lang: str = "en", limits: Limits = Limits()) -> list[CheckpointResult]:
    """A learner's own notebook, run as it is, its checks judged in its kernel (the self-check)."""
    with _scratch(registry_file) as scratch:
        runs = run_notebook(nb, Path(scratch), limits)
    return judge_in_kernel(nb, runs, load_registry(registry_file), lang)


def grade_notebook(
    path: str | Path,
    *,
    course: Course | None = None,
    assignment: str | None = None,
    learner: str | None = None,
    lang: str = "en",
    limits: Limits = Limits(),
    sandbox: Sandbox | None = None,
) -> Report:
    """Grade the notebook at ``path``; raises :class:`SubmissionError` for a file that is no notebook."""
    started = time.monotonic()
    course = course or Course.locate()
    sandbox = sandbox or Sandbox.best_available()
    learner = check_learner_id(learner or Path(path).stem)
    submission = read_submission(path)
    target = identify_assignment(submission, course, assignment)
    registry = target.registry()
    restored, notes = restore_test_cells(submission, target.read_source())
    nb, sites = to_recording(restored, keep_expected=False)
    expected = reference_values(target, limits)
    zygote = kernel_zygote(sandbox, course) if sandbox.forks_kernels else None
    with _scratch(target.registry_file, zygote.root if zygote else None) as scratch:
        runs = run_notebook(nb, Path(scratch), limits, sandbox, zygote)
    results = judge_recorded(nb, runs, registry, sites, expected, collect_records(nb, runs), lang)
    timing = {"cells": round(sum(run.seconds for run in runs), 3), "total": round(time.monotonic() - started, 3)}
    return Report(target.name, registry.title(lang), learner, results, lang, notes, sandbox=sandbox.kind, timing=timing,
                  warnings=[sandbox.warning] if sandbox.warning else [])
