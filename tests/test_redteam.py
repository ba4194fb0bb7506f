"""Hostile and broken submissions: each gets a truthful status and no point it did not earn,
and the rest of the batch is graded."""
from __future__ import annotations

import json

import pytest
from conftest import COURSE, ROOT, write

from autograder import grade_notebook
from autograder.cohort import grade_cohort
from autograder.corpus import attack_notebook, filled_notebook, load_attacks
from autograder.options import Limits
from autograder.sandbox import Sandbox
from autograder.submission import SubmissionError

ATTACKS = load_attacks(ROOT / "tests" / "corpus" / "redteam")
LIMITS = Limits(cell_seconds=10, notebook_seconds=120)
SANDBOX = Sandbox.best_available()
ISOLATION = pytest.mark.skipif(not SANDBOX.isolated, reason="bubblewrap (Debian package 'bubblewrap') is not installed")


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: f"{a.assignment}:{a.name}")
def test_an_attack_earns_nothing_and_gets_a_truthful_status(attack, tmp_path):
    if attack.needs_isolation and not SANDBOX.isolated:
        pytest.skip("needs bubblewrap: without it learner code can read what this user can read")
    nb = attack_notebook(COURSE, attack, {"COURSE_ROOT": str(ROOT)})
    report = grade_notebook(write(nb, tmp_path, "mallory"), course=COURSE, limits=LIMITS, sandbox=SANDBOX)
    statuses = {c.id: c.status for c in report.checkpoints}
    assert statuses == {cid: attack.expect.get(cid, "passed") for cid in statuses}
    assert report.score == attack.score
    assert report.sandbox == SANDBOX.kind


@ISOLATION
def test_a_learner_cannot_read_another_learners_work_or_write_reports(tmp_path):
    submitted, out = tmp_path / "submitted", tmp_path / "out"
    assignment = "01_business_understanding"
    write(filled_notebook(COURSE, assignment), submitted / "alice" / assignment, assignment)
    thief = f'''
def qcd_value(*args):
    import glob
    try:
        open("{out}/alice/{assignment}.json", "w").write("{{}}")
    except OSError:
        pass
    try:
        open("{submitted}/alice/{assignment}/{assignment}.ipynb").read()
    except OSError:
        return {{"quality": 0.0, "cost": 0.0, "delivery": 0.0}}
    claims_before, claims_after, loss, ib, ia, hours, wage, mb, ma = args
    return {{"quality": float((claims_before - claims_after) * loss), "cost": float((ib - ia) * hours * wage), "delivery": float(mb - ma)}}
'''
    write(filled_notebook(COURSE, assignment, {"answer-qcd_value": thief}), submitted / "mallory" / assignment, assignment)
    run = grade_cohort(submitted, out, course=COURSE, jobs=1, limits=LIMITS, progress=False)
    scores = {r["learner"]: r["score"] for r in run.reports}
    assert scores == {"alice": 20.0, "mallory": 18.0}
    assert json.loads((out / "alice" / f"{assignment}.json").read_text())["score"] == 20.0


def test_duplicated_cell_ids_are_repaired_not_punished(tmp_path):
    nb = filled_notebook(COURSE, "01_business_understanding")
    nb.cells[3].id = nb.cells[2].id  # as an old front end leaves it; nbformat itself would refuse to write it
    path = tmp_path / "dup.ipynb"
    path.write_text(json.dumps(nb))
    assert grade_notebook(path, course=COURSE, limits=LIMITS).score == 20.0


def test_a_notebook_of_another_assignment_is_named_not_graded_as_this_one(tmp_path):
    path = write(filled_notebook(COURSE, "02_analyze"), tmp_path, "wrong")
    with pytest.raises(SubmissionError, match="belongs to 02_analyze, not 01_business_understanding"):
        grade_notebook(path, course=COURSE, assignment="01_business_understanding")


def test_every_test_cell_deleted_is_restored_and_noted(tmp_path):
    nb = filled_notebook(COURSE, "01_business_understanding")
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    report = grade_notebook(write(nb, tmp_path, "x"), course=COURSE, limits=LIMITS, assignment="01_business_understanding")
    assert report.score == 20.0
    assert len([n for n in report.notes if "was deleted" in n]) == 9


def test_deleted_answer_cells_cost_only_their_checkpoints(tmp_path):
    nb = filled_notebook(COURSE, "01_business_understanding")
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "answer-qcd_value"]
    report = grade_notebook(write(nb, tmp_path, "x"), course=COURSE, limits=LIMITS)
    assert {c.id: c.status for c in report.checkpoints if not c.passed} == {"bu.qcd": "error"}
