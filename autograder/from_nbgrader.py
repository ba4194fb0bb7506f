"""Turn an ``nbgrader autograde`` run into the kit's checkpoint reports.

For instructors who keep grading with nbgrader and formgrader: the points come from nbgrader's
gradebook (manual adjustments included), the statuses from the errors in nbgrader's autograded
notebooks, and the titles, expectations and hints from the course's registry, so learners get the
same feedback pages as from ``autograder cohort``.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from autograder.cohort import CohortRun
from autograder.course import Course
from autograder.judge import judge_nbgrader_outputs
from autograder.report import CheckpointResult, Report
from autograder.runner import TIMEOUT_ENAME, CellRun
from autograder.submission import SubmissionError, check_learner_id
from autograder.translation import describer
from coursekit.labels import text
from coursekit.localized import notebook_language
from coursekit.registry import grade_id
from coursekit.verdicts import Status


def runs_from_outputs(nb: nbformat.NotebookNode) -> list[CellRun]:
    """What happened to each code cell of an executed notebook, read from its outputs."""
    runs = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            ename = str(errors[-1].get("ename", ""))
            status = "timeout" if ename in (TIMEOUT_ENAME, "CellTimeoutError") else "error"
            runs.append(CellRun(index, status, ename, str(errors[-1].get("evalue", "")), list(cell.outputs)))
        else:
            runs.append(CellRun(index, "ok", outputs=list(cell.get("outputs", []))))
    return runs


def merge_grade(result: CheckpointResult, score: float | None, manual: bool) -> None:
    """Put nbgrader's points for one checkpoint into its result (an instructor's manual grade
    included): full points pass, fewer fail; a written answer not graded yet stays ``manual``."""
    if score is None:
        return
    result.points = round(float(score), 2)
    if result.points >= result.max_points:
        result.status, result.detail, result.reason = Status.PASSED.value, "", ""
    elif manual:
        result.status = Status.FAILED.value


def import_autograded(gradebook: Path, autograded: Path, course: Course, lang: str | None = None) -> CohortRun:
    """A report per autograded notebook, with nbgrader's points (the instructor's manual grades
    included) and the kit's feedback, in ``lang`` or else in the language of the release the
    learner submitted."""
    run = CohortRun()
    assignments = {a.name: a for a in course.assignments()}
    with Gradebook(f"sqlite:///{gradebook.resolve()}") as book:
        for path in sorted(autograded.glob("*/*/*.ipynb")):
            learner, assignment = path.parent.parent.name, path.parent.name
            try:
                check_learner_id(learner)
            except SubmissionError as error:
                run.refused.append(str(error))
                continue
            if assignment not in assignments:
                run.refused.append(f"{learner}/{assignment}: the course has no assignment {assignment!r}.")
                continue
            registry = assignments[assignment].registry()
            nb = nbformat.read(path, as_version=4)
            shown = lang or notebook_language(nb.metadata)
            outcomes = judge_nbgrader_outputs(nb, runs_from_outputs(nb), registry)
            describe = describer(course, assignment, shown)
            results = [CheckpointResult.of(spec, outcomes[spec.id], shown, describe(spec.id)) for spec in registry.checkpoints.values()]
            for result, spec in zip(results, registry.checkpoints.values()):
                try:
                    grade = book.find_grade(grade_id(result.id), path.stem, assignment, learner)
                except MissingEntry:
                    continue
                graded_by_hand = spec.manual and grade.manual_score is not None
                if spec.manual and not graded_by_hand:
                    continue  # waits for the instructor in formgrader
                merge_grade(result, grade.score, spec.manual)
            report = Report(assignment, registry.title(shown), learner, results, shown,
                            notes=[text("note.nbgrader", shown)],
                            sandbox="nbgrader")
            run.reports.append(report.to_dict())
            run.graded += 1
    return run
