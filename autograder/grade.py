"""Grade one submission: the chain of steps every front door uses.

    read_submission -> identify_assignment -> restore_test_cells -> to_recording
    -> run_notebook (sandboxed) -> collect_records -> judge_recorded -> Report

The learner's self-check runs the same chain on their own notebook, unsandboxed, with the
expected side of each visible check taken from the same run.
"""
from __future__ import annotations

import importlib
import logging
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from autograder.cells import asks_of
from autograder.course import Assignment, Course
from autograder.judge import judge_recorded, worked_answers_of
from autograder.recording import CallSite, RecordingError
from autograder.records import CellRecords, Expected, collect_records, expected_of, to_recording
from autograder.reference import ReferenceSolutionError, reference_values
from autograder.report import CheckpointResult, Report
from autograder.restore import restore_test_cells
from autograder.options import Limits
from autograder.runner import CellRun, run_notebook
from autograder.sandbox import Sandbox
from autograder.scratch import scratch_root
from autograder.submission import check_learner_id, identify_assignment, learner_of_file, read_submission
from autograder.translation import describer, translation_table
from autograder.zygote import kernel_zygote
from coursekit.labels import reason_text, text
from coursekit.localized import describer as notebook_describer, notebook_language
from coursekit.registry import Registry, load_registry
from coursekit.verdicts import Outcome, Reason, Status

log = logging.getLogger(__name__)
#: Failures of the course itself, which its author must fix: never turned into a learner's report.
COURSE_FAULTS = (RecordingError, ReferenceSolutionError)


def _scratch(registry_file: Path) -> tempfile.TemporaryDirectory:
    """A working folder for an unconfined run (the learner's own self-check), with the registry."""
    scratch = tempfile.TemporaryDirectory(prefix="autograder-")
    (Path(scratch.name) / registry_file.name).write_bytes(registry_file.read_bytes())
    return scratch


#: checkpoint -> the hook showing one of its check descriptions in the report's language.
Describer = Callable[[str], Callable[[str], str]]


def _results(registry: Registry, outcomes: dict[str, Outcome], lang: str, describe: Describer | None = None) -> list[CheckpointResult]:
    return [CheckpointResult.of(spec, outcomes[spec.id], lang, describe(spec.id) if describe else None)
            for spec in registry.checkpoints.values()]


def self_check(nb: NotebookNode, registry_file: Path, lang: str | None = None, limits: Limits = Limits()) -> list[CheckpointResult]:
    """A learner's own notebook, run as it is, its visible checks judged as the grader judges them;
    in ``lang``, else in the notebook's own language, its check descriptions as the notebook translates them."""
    registry = load_registry(registry_file)
    lang = lang or notebook_language(nb.metadata)
    recording, sites = to_recording(nb, keep_expected=True)
    with _scratch(registry_file) as scratch:
        runs = run_notebook(recording, Path(scratch), limits)
    records = collect_records(recording, runs)
    outcomes = judge_recorded(recording, runs, registry, sites, expected_of(records), records)
    own = notebook_language(nb.metadata) == lang
    return _results(registry, outcomes, lang, (lambda checkpoint: notebook_describer(nb.metadata, checkpoint)) if own else None)


def ungradable_report(assignment: Assignment, learner: str, lang: str | None, reason: Reason,
                      status: Status = Status.ERROR) -> Report:
    """A report for a submission that could not be graded: every checkpoint 0, with the reason."""
    registry = assignment.registry()
    lang = lang or "en"
    outcome = Outcome(status, reason=reason)
    return Report(assignment.name, registry.title(lang), learner, _results(registry, {c: outcome for c in registry.checkpoints}, lang),
                  lang, error=reason_text(reason, lang))


def grade_notebook(
    path: str | Path,
    *,
    course: Course | None = None,
    assignment: str | None = None,
    learner: str | None = None,
    lang: str | None = None,
    limits: Limits = Limits(),
    sandbox: Sandbox | None = None,
    show_answers: bool = False,
) -> Report:
    """Grade the notebook at ``path``.

    Raises :class:`SubmissionError` for a file that is no notebook of the course (the caller
    decides whether that becomes a report) and the course's own faults (:data:`COURSE_FAULTS`);
    whatever else goes wrong while running and judging it becomes a ``crashed`` report, logged
    with its traceback for the instructor. ``show_answers`` adds the worked answers of the
    communication checkpoints (after the deadline). The report is in ``lang``, else in the
    language of the release the notebook came from (its metadata; English if none).
    """
    started = time.monotonic()
    course = course or Course.locate()
    sandbox = sandbox or Sandbox.best_available()
    learner = check_learner_id(learner) if learner else learner_of_file(path)
    submission = read_submission(path)
    target = identify_assignment(submission, course, assignment)
    lang = lang or notebook_language(submission.metadata)
    try:
        return _grade(submission, course, target, learner, lang, limits, sandbox, show_answers, started)
    except COURSE_FAULTS:
        raise
    except Exception:  # noqa: BLE001 - the kit failed on this submission: report it, keep grading others
        log.exception("grading %s of %s failed", target.name, learner)
        return ungradable_report(target, learner, lang, Reason("submission.crashed"), Status.CRASHED)


@dataclass
class GradedRun:
    """One submission run for grading, before it is judged: the rewritten notebook, how each cell
    ran, what each test cell recorded, and the reference's expected side."""

    target: Assignment
    source: NotebookNode
    nb: NotebookNode
    runs: list[CellRun]
    sites: dict[str, list[CallSite]]
    expected: Expected
    records: dict[str, CellRecords]
    notes: list[Reason] = field(default_factory=list)

    def outcomes(self, records: dict[str, CellRecords] | None = None) -> dict[str, Outcome]:
        """Every checkpoint's outcome (from ``records`` instead of the recorded ones, if given)."""
        return judge_recorded(self.nb, self.runs, self.target.registry(), self.sites, self.expected,
                              self.records if records is None else records)


def run_for_grading(submission: NotebookNode, course: Course, target: Assignment, limits: Limits, sandbox: Sandbox) -> GradedRun:
    """Restore the course's cells, rewrite the test cells to record, run the notebook confined."""
    source = target.read_source()
    restored, notes = restore_test_cells(submission, source)
    nb, sites = to_recording(restored, keep_expected=False)
    expected = reference_values(target, limits)
    _import_while_it_runs(sites)
    zygote = kernel_zygote(sandbox, course) if sandbox.forks_kernels else None
    with scratch_root(sandbox.confinement).folder(target.registry_file) as scratch:
        runs = run_notebook(nb, scratch, limits, sandbox, zygote)
    return GradedRun(target, source, nb, runs, sites, expected, collect_records(nb, runs), notes)


def _import_while_it_runs(sites: dict[str, list[CallSite]]) -> None:
    """Import what judging these checks will import (scikit-learn's metrics: over a second) in the
    background, while the grader only waits for the learner's cells."""
    for module in sorted({module for cell in sites.values() for site in cell for module in site.check.imports}):
        threading.Thread(target=_import_quietly, args=(module,), name=f"import {module}", daemon=True).start()


def _import_quietly(module: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError:  # the judge imports it again, and reports it, where it is needed
        pass


def _grade(submission: NotebookNode, course: Course, target: Assignment, learner: str, lang: str, limits: Limits,
           sandbox: Sandbox, show_answers: bool, started: float) -> Report:
    graded = run_for_grading(submission, course, target, limits, sandbox)
    registry = target.registry()
    results = _results(registry, graded.outcomes(), lang, describer(course, target.name, lang))
    if show_answers:
        answers = worked_answers_of(registry, graded.sites, graded.expected, asks_of(graded.source))
        table = translation_table(course, target.name, lang)
        for result in results:
            result.answers = [answer | {"text": table.get((f"ask:{answer['ask']}", answer["text"]), answer["text"]),
                                        "why": table.get((f"why:{answer['ask']}", answer["why"]), answer["why"])}
                              for answer in answers.get(result.id, [])]
    notes = [reason_text(note, lang) for note in graded.notes]
    warnings = [] if sandbox.isolated else [text("note.no_sandbox", lang)]
    timing = {"cells": round(sum(run.seconds for run in graded.runs), 3), "total": round(time.monotonic() - started, 3)}
    return Report(target.name, registry.title(lang), learner, results, lang, notes, sandbox=sandbox.kind, timing=timing,
                  warnings=warnings)
