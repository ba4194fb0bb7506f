"""Grade one submission: the chain of steps every front door uses."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from nbformat import NotebookNode

from autograder.course import Course
from autograder.judge import judge
from autograder.report import CheckpointResult, Report
from autograder.restore import restore_test_cells
from autograder.runner import Limits, run_notebook
from autograder.submission import check_learner_id, identify_assignment, read_submission
from coursekit.registry import load_registry


def run_and_judge(nb: NotebookNode, registry_file: Path, lang: str = "en", limits: Limits = Limits()) -> list[CheckpointResult]:
    """Run ``nb`` in a fresh kernel in a scratch folder (holding only the registry) and judge it."""
    with tempfile.TemporaryDirectory(prefix="autograder-") as scratch:
        shutil.copy(registry_file, scratch)
        runs = run_notebook(nb, Path(scratch), limits)
    return judge(nb, runs, load_registry(registry_file), lang)


def grade_notebook(
    path: str | Path,
    *,
    course: Course | None = None,
    assignment: str | None = None,
    learner: str | None = None,
    lang: str = "en",
    limits: Limits = Limits(),
) -> Report:
    """Grade the notebook at ``path``; raises :class:`SubmissionError` for a file that is no notebook."""
    course = course or Course.locate()
    learner = check_learner_id(learner or Path(path).stem)
    submission = read_submission(path)
    target = identify_assignment(submission, course, assignment)
    nb, notes = restore_test_cells(submission, target.read_source())
    results = run_and_judge(nb, target.registry_file, lang, limits)
    return Report(target.name, target.registry().title(lang), learner, results, lang, notes)
