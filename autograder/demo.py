"""``make demo``: build a demo cohort from the course itself, grade it, print the summary.

Twelve learners over every assignment in ``source/``: one with the reference answers, one who
submitted the untouched stubs, eight with one typical mistake per assignment (taken from the
mistake corpus), one whose first notebook is a damaged file and one whose code loops forever.
A thirteenth folder has a name that is not a plain learner id and is refused.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from autograder.cells import nbgrader_meta
from autograder.cohort import grade_cohort
from autograder.corpus import filled_notebook, load_mistakes, mistake_notebook, released_notebook
from autograder.course import Course, CourseError
from autograder.options import Limits
from autograder.summary import summary_text, write_summary

MISTAKE_LEARNERS = ["chika", "daiki", "emi", "fumio", "gen", "hana", "isamu", "jun"]
#: Short limits so the looping learner costs the demo seconds, not minutes.
DEMO_LIMITS = Limits(cell_seconds=15, notebook_seconds=120)


def _looping(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with its last answer function replaced by one that never returns."""
    answers = [c for c in nb.cells if nbgrader_meta(c).get("solution") and c.source.lstrip().startswith("def ")]
    target = answers[-1]
    signature = target.source.lstrip().split("\n", 1)[0]
    target.source = f"{signature}\n    while True:  # waits for a result that never comes\n        pass\n"
    return nb


def build_demo_cohort(course: Course, submitted: Path) -> None:
    """Write the demo cohort in nbgrader's layout ``submitted/<learner>/<assignment>/<assignment>.ipynb``."""
    mistakes_folder = course.root / "tests" / "corpus" / "mistakes"
    if not mistakes_folder.is_dir():
        raise CourseError(f"The demo needs the mistake corpus at {mistakes_folder}: run it from a clone of the kit.")
    mistakes = load_mistakes(mistakes_folder)
    shutil.rmtree(submitted, ignore_errors=True)
    assignments = [a.name for a in course.assignments()]

    def put(learner: str, assignment: str, nb: nbformat.NotebookNode | str) -> None:
        folder = submitted / learner / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{assignment}.ipynb"
        path.write_text(nb, encoding="utf-8") if isinstance(nb, str) else nbformat.write(nb, path)

    for position, assignment in enumerate(assignments):
        own = [m for m in mistakes if m.assignment == assignment]
        put("alice", assignment, filled_notebook(course, assignment))
        put("bob", assignment, released_notebook(course, assignment))
        for index, learner in enumerate(MISTAKE_LEARNERS):
            nb = mistake_notebook(course, own[(index + position) % len(own)]) if own else filled_notebook(course, assignment)
            put(learner, assignment, nb)
        first = position == 0
        put("kenta", assignment, '{"cells": [ this file was cut off while saving' if first else filled_notebook(course, assignment))
        put("lena", assignment, _looping(filled_notebook(course, assignment)) if first else filled_notebook(course, assignment))
    put("<img src=x onerror=alert(1)>", assignments[0], filled_notebook(course, assignments[0]))


def run_demo(course: Course, out: Path) -> int:
    submitted, reports = out / "submitted", out / "reports"
    build_demo_cohort(course, submitted)
    print(f"Demo cohort written to {submitted} (12 learners × {len(course.assignments())} assignment(s)); grading…")
    run = grade_cohort(submitted, reports, course=course, limits=DEMO_LIMITS)
    write_summary(run, reports)
    print(summary_text(run, reports))
    return 0
