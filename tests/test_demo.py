"""``autograder demo``: the demo cohort covers every assignment, 00 Introduction first, and its
outputs (reports, gradebook CSV, summary) include 00."""
from __future__ import annotations

import csv
import json
import shutil

import nbformat
import pytest
from conftest import ASSIGNMENTS, COURSE

from autograder.cells import cell_grade_id
from autograder.cohort import grade_cohort
from autograder.demo import MISTAKE_LEARNERS, build_demo_cohort
from autograder.options import Limits
from autograder.summary import summary_text, write_summary

FIRST = ASSIGNMENTS[0]
LEARNERS = ["alice", "bob", *MISTAKE_LEARNERS, "kenta", "lena"]


@pytest.fixture(scope="module")
def demo_cohort(tmp_path_factory):
    submitted = tmp_path_factory.mktemp("demo") / "submitted"
    build_demo_cohort(COURSE, submitted)
    return submitted


def test_the_introduction_is_the_first_assignment():
    assert FIRST == "00_introduction"


def test_every_learner_submits_every_assignment(demo_cohort):
    for learner in LEARNERS:
        assert sorted(p.name for p in (demo_cohort / learner).iterdir()) == ASSIGNMENTS
    refused = [p.name for p in demo_cohort.iterdir() if p.name not in LEARNERS]
    assert refused == ["<img src=x onerror=alert(1)>"]


def test_the_damaged_and_the_looping_notebook_are_the_first_assignment(demo_cohort):
    damaged = (demo_cohort / "kenta" / FIRST / f"{FIRST}.ipynb").read_text()
    with pytest.raises(json.JSONDecodeError):
        json.loads(damaged)
    looping = nbformat.read(demo_cohort / "lena" / FIRST / f"{FIRST}.ipynb", as_version=4)
    loops = [cell_grade_id(c) for c in looping.cells if "while True:" in c.source]
    assert loops == ["answer-course_order"]
    first_function = next(c for c in looping.cells if cell_grade_id(c) == "answer-course_order").source
    assert first_function.startswith("def course_order(processes: list[str]) -> list[str]:\n")
    for assignment in ASSIGNMENTS[1:]:  # only the first notebook is broken
        later = nbformat.read(demo_cohort / "lena" / assignment / f"{assignment}.ipynb", as_version=4)
        assert not [c for c in later.cells if "while True:" in c.source]


def test_the_cohort_outputs_include_the_introduction(demo_cohort, tmp_path):
    """Grade the demo's 00 notebooks of four learners: reports, grades.csv and the summary have 00."""
    submitted = tmp_path / "submitted"
    for learner in ("alice", "bob", "kenta", "lena"):
        shutil.copytree(demo_cohort / learner / FIRST, submitted / learner / FIRST)
    out = tmp_path / "out"
    run = grade_cohort(submitted, out, course=COURSE, limits=Limits(cell_seconds=5, notebook_seconds=90), progress=False)
    write_summary(run, out)
    registry = COURSE.assignment(FIRST).registry()
    full = registry.automatic_score  # written answers wait
    order_points = registry.checkpoints["in.process_order"].points
    reports = {r["learner"]: r for r in run.reports}
    assert {name: r["score"] for name, r in reports.items()} == {
        "alice": full, "bob": 0.0, "kenta": 0.0, "lena": full - order_points}
    lena_misses = {c["id"]: c["status"] for c in reports["lena"]["checkpoints"] if not c["passed"] and c["status"] != "manual"}
    assert lena_misses == {"in.process_order": "timeout"}
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["learner", FIRST, "total"]
    assert [(r["learner"], float(r[FIRST])) for r in rows] == [
        ("alice", full), ("bob", 0.0), ("kenta", 0.0), ("lena", full - order_points)]
    assert "in.process_order" in (out / "summary.html").read_text(encoding="utf-8")
    assert f"kenta/{FIRST}" in summary_text(run, out)
