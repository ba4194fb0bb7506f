"""Shared fixtures: the course, its assignments, and notebooks graded once per test session."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import grade_notebook
from autograder.corpus import filled_notebook, load_mistakes, mistake_notebook
from autograder.course import Course

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.locate(ROOT)
ASSIGNMENTS = [a.name for a in COURSE.assignments()]
MISTAKES = load_mistakes(ROOT / "tests" / "corpus" / "mistakes")

# nbgrader shells out to alembic: the environment's bin must be on PATH for every test.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(scope="session")
def course() -> Course:
    return COURSE


def write(nb: nbformat.NotebookNode, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="session")
def graded_filled(tmp_path_factory):
    """Report of the released notebook filled with the reference answers, per assignment (cached)."""
    cache = {}

    def get(assignment: str):
        if assignment not in cache:
            path = write(filled_notebook(COURSE, assignment), tmp_path_factory.mktemp("filled"), "reference")
            cache[assignment] = grade_notebook(path, course=COURSE)
        return cache[assignment]

    return get


def run_mistake(mistake):
    """The mistake's notebook run for grading (not judged yet: see ``GradedRun.outcomes``)."""
    from autograder.grade import run_for_grading
    from autograder.options import Limits
    from autograder.sandbox import Sandbox

    assignment = COURSE.assignment(mistake.assignment)
    return run_for_grading(mistake_notebook(COURSE, mistake), COURSE, assignment, Limits(), Sandbox.best_available())
