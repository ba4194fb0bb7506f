"""Every submission gets a report, whatever the grader meets: a failure of the kit itself on one
learner (in reading, grading or writing) gives that learner a ``crashed`` report, is logged with
its traceback for the instructor, is graded again on the next run, and costs nobody else a thing."""
from __future__ import annotations

import json
import os

import pytest
from conftest import COURSE, MISTAKES, write

from autograder import cohort, grade, workers
from autograder.cohort import ERRORS_LOG, grade_cohort
from autograder.corpus import filled_notebook, mistake_notebook
from autograder.pools import GradingProcessDied, LocalPool
from autograder.options import Limits
from autograder.summary import write_summary

ASSIGNMENT = "01_business_understanding"
LIMITS = Limits(cell_seconds=20, notebook_seconds=60)
#: What the failing step says: learner-like text that must reach no report.
PAYLOAD = "<script>alert('amy')</script> Score: 20 / 20"


class InProcessPool(LocalPool):
    """The local pool's interface, run in this process: a monkeypatched step then reaches the worker."""

    def map_unordered(self, function, items):
        workers.use_course(self.course_root)
        for item in items:
            try:
                yield item, function(item)
            except Exception as error:
                yield item, error


def _cohort(root, with_amy: bool):
    write(filled_notebook(COURSE, ASSIGNMENT), root / "alice" / ASSIGNMENT, ASSIGNMENT)
    mistake = next(m for m in MISTAKES if m.name == "hours_ignored")
    write(mistake_notebook(COURSE, mistake), root / "bob" / ASSIGNMENT, ASSIGNMENT)
    if with_amy:  # first in line, so the batch has to go on after her
        write(filled_notebook(COURSE, ASSIGNMENT), root / "amy" / ASSIGNMENT, ASSIGNMENT)
    return root


def _verdicts(report: dict) -> list[tuple]:
    return [(c["id"], c["status"], c["points"], c["detail"]) for c in report["checkpoints"]]


@pytest.fixture
def in_process(monkeypatch):
    monkeypatch.setattr(cohort, "LocalPool", InProcessPool)
    monkeypatch.setattr(workers, "_course", None)


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """Alice and Bob graded without Amy: what they must get in her company too."""
    root = _cohort(tmp_path_factory.mktemp("alone"), with_amy=False)
    run = grade_cohort(root, tmp_path_factory.mktemp("out"), course=COURSE, jobs=1, limits=LIMITS, progress=False)
    return {r["learner"]: _verdicts(r) for r in run.reports}


def _fail_grading(monkeypatch):
    real = workers.grade_notebook

    def grade_notebook(path, **kwargs):
        if kwargs["learner"] == "amy":
            raise KeyError(PAYLOAD)
        return real(path, **kwargs)

    monkeypatch.setattr(workers, "grade_notebook", grade_notebook)


def _fail_judging(monkeypatch):
    real = grade._grade

    def judge(submission, course, target, learner, *args):
        if learner == "amy":
            raise ValueError(PAYLOAD)
        return real(submission, course, target, learner, *args)

    monkeypatch.setattr(grade, "_grade", judge)


def _fail_reading(monkeypatch):
    real = cohort._read

    def read(notebook, assignment):
        if notebook.parent.parent.name == "amy":
            raise OSError(PAYLOAD)
        return real(notebook, assignment)

    monkeypatch.setattr(cohort, "_read", read)


def _fail_writing(monkeypatch):
    real = cohort.to_html

    def to_html(report):
        if report.learner == "amy" and any(c.status != "crashed" for c in report.checkpoints):
            raise UnicodeEncodeError("utf-8", PAYLOAD, 0, 1, "surrogates not allowed")
        return real(report)

    monkeypatch.setattr(cohort, "to_html", to_html)


@pytest.mark.parametrize("step, failure", [(_fail_grading, "KeyError in autograder.workers"),
                                           (_fail_judging, "ValueError in autograder.grade"),
                                           (_fail_reading, "OSError in autograder.cohort"),
                                           (_fail_writing, "UnicodeEncodeError in autograder.cohort")],
                         ids=["grading", "judging", "reading", "writing"])
def test_a_grader_failure_on_one_learner_costs_only_that_learner(step, failure, alone, in_process, monkeypatch, tmp_path):
    submitted, out = _cohort(tmp_path / "submitted", with_amy=True), tmp_path / "out"
    step(monkeypatch)
    run = grade_cohort(submitted, out, course=COURSE, jobs=1, limits=LIMITS, progress=False)
    write_summary(run, out)

    reports = {r["learner"]: r for r in run.reports}
    assert {name: _verdicts(reports[name]) for name in alone} == alone
    amy = json.loads((out / "amy" / f"{ASSIGNMENT}.json").read_text())
    assert {c["status"] for c in amy["checkpoints"]} == {"crashed"} and amy["score"] == 0.0
    assert amy["grader_error"] == failure and "not of your notebook" in amy["error"]
    page = (out / "amy" / f"{ASSIGNMENT}.html").read_text()
    assert "alert" not in json.dumps(amy) + page and "Score: 20" not in json.dumps(amy) + page
    assert run.crashed == [f"amy/{ASSIGNMENT}"]
    log = (out / ERRORS_LOG).read_text()
    assert f"amy/{ASSIGNMENT}" in log and "Traceback (most recent call last)" in log and failure.split()[0] in log
    scores = {name: f"{sum(points for _, _, points, _ in verdicts):g}" for name, verdicts in alone.items()}
    assert (out / "grades.csv").read_text().splitlines()[1:] == [
        f"alice,{scores['alice']},{scores['alice']}", "amy,0,0", f"bob,{scores['bob']},{scores['bob']}"]

    monkeypatch.undo()  # the kit is fixed: the next run grades Amy again, and only her
    monkeypatch.setattr(cohort, "LocalPool", InProcessPool)
    again = grade_cohort(submitted, out, course=COURSE, jobs=1, limits=LIMITS, progress=False)
    assert (again.graded, again.skipped, again.crashed) == (1, 2, [])
    solo = {name: sum(points for _, _, points, _ in verdicts) for name, verdicts in alone.items()}
    assert {r["learner"]: r["score"] for r in again.reports} == {**solo, "amy": solo["alice"]}  # amy answers as alice


def _item(item: str) -> str:
    """A pool item: "die" ends its process the hard way, "raise" raises, anything else comes back."""
    if item == "die":
        os._exit(9)
    if item == "raise":
        raise ValueError(item)
    return item.upper()


def test_a_grading_process_that_dies_costs_only_its_own_item():
    items = ["a", "die", "b", "raise", "c", "d"]
    with LocalPool(2, COURSE.root) as pool:
        outcomes = dict(pool.map_unordered(_item, items))
    assert sorted(outcomes) == sorted(items)
    assert {k: v for k, v in outcomes.items() if isinstance(v, str)} == {"a": "A", "b": "B", "c": "C", "d": "D"}
    assert isinstance(outcomes["die"], GradingProcessDied) and isinstance(outcomes["raise"], ValueError)
