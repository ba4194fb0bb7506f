"""Hostile and broken submissions: each gets a truthful status and no point it did not earn,
and the rest of the batch is graded."""
from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys

import pytest
from conftest import COURSE, MISTAKES, ROOT, missing_package, write

from autograder import grade_notebook
from autograder.cohort import grade_cohort
from autograder.corpus import attack_notebook, filled_notebook, load_attacks, mistake_notebook
from autograder.options import Limits
from autograder.render import to_gradescope, to_html, to_json, to_markdown, to_text
from autograder.sandbox import Sandbox
from autograder.scratch import scratch_root
from autograder.submission import SubmissionError

ATTACKS = load_attacks(ROOT / "tests" / "corpus" / "redteam")
#: The forging helpers attacks paste in as @CRAFT@.
CRAFT = (ROOT / "tests" / "corpus" / "redteam" / "craft.py").read_text(encoding="utf-8")
LIMITS = Limits(cell_seconds=10, notebook_seconds=120)
SANDBOX = Sandbox.best_available()
REGISTRY_01 = COURSE.assignment("01_business_understanding").registry()
#: What no rendered report may hold: control characters but newline and tab, lone surrogates.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: What the kernel zygote keeps in the scratch root for as long as it lives (autograder/zygote.py).
ZYGOTE_FILES = {"zygote", "zygote.log"}
#: 01's points without its written answer (which waits for the instructor): what a full submission gets.
FULL_01 = REGISTRY_01.max_score - sum(spec.points for spec in REGISTRY_01.checkpoints.values() if spec.manual)
ISOLATION = pytest.mark.skipif(not SANDBOX.isolated, reason=missing_package("bubblewrap"))


def untouched(assignment: str, checkpoint: str) -> str:
    """The status of a checkpoint an attack leaves alone: passed, or manual for a written answer
    (the filled notebook carries the sample answer, which waits for the instructor)."""
    return "manual" if COURSE.assignment(assignment).registry().checkpoints[checkpoint].manual else "passed"


def write_attack(nb, folder, name: str):
    """Write a notebook as a hostile learner's file can be: ASCII JSON, lone surrogates escaped."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    path.write_text(json.dumps(nb), encoding="ascii")
    return path


def rendered(report) -> str:
    """Every form a report is shown in: JSON, text, markdown, Gradescope's and the HTML page."""
    return "\n".join(form(report) for form in (to_json, to_text, to_markdown, to_gradescope, to_html))


def _attack_param(attack):
    marks = [pytest.mark.xfail(reason=attack.known_hole, strict=True)] if attack.known_hole else []
    return pytest.param(attack, id=f"{attack.assignment}:{attack.name}", marks=marks)


@pytest.mark.parametrize("attack", [_attack_param(a) for a in ATTACKS])
def test_an_attack_earns_nothing_and_gets_a_truthful_status(attack, tmp_path):
    if attack.needs_isolation and not SANDBOX.isolated:
        pytest.skip(missing_package("bubblewrap") + ": without it learner code can read what this user can read")
    nb = attack_notebook(COURSE, attack, {"COURSE_ROOT": str(ROOT), "CRAFT": CRAFT})
    limits = dataclasses.replace(LIMITS, **attack.limits)
    report = grade_notebook(write_attack(nb, tmp_path, "mallory"), course=COURSE, limits=limits, sandbox=SANDBOX)
    statuses = {c.id: c.status for c in report.checkpoints}
    allowed = {cid: attack.expect.get(cid, (untouched(attack.assignment, cid),)) for cid in statuses}
    assert {cid: status for cid, status in statuses.items() if status not in allowed[cid]} == {}, allowed
    assert report.score == attack.score
    assert report.sandbox == SANDBOX.kind
    shown = rendered(report)
    assert [text for text in attack.never_shown if text in shown] == []
    assert not UNSAFE.search(shown), "a control character or lone surrogate reached a rendered report"
    if SANDBOX.isolated:  # without bubblewrap learner code writes wherever this user can, the scratch root too
        left = [path.name for path in scratch_root(SANDBOX.confinement).path.iterdir() if path.name not in ZYGOTE_FILES]
        assert left == [], "the attack left files in the scratch root"


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
    full, qcd = FULL_01, REGISTRY_01.checkpoints["bu.qcd"].points
    assert scores == {"alice": full, "mallory": full - qcd}
    assert json.loads((out / "alice" / f"{assignment}.json").read_text())["score"] == full


def test_duplicated_cell_ids_are_repaired_not_punished(tmp_path):
    nb = filled_notebook(COURSE, "01_business_understanding")
    nb.cells[3].id = nb.cells[2].id  # as an old front end leaves it; nbformat itself would refuse to write it
    path = tmp_path / "dup.ipynb"
    path.write_text(json.dumps(nb))
    assert grade_notebook(path, course=COURSE, limits=LIMITS).score == FULL_01


def test_a_notebook_of_another_assignment_is_named_not_graded_as_this_one(tmp_path):
    path = write(filled_notebook(COURSE, "02_analyze"), tmp_path, "wrong")
    with pytest.raises(SubmissionError, match="belongs to 02_analyze, not 01_business_understanding"):
        grade_notebook(path, course=COURSE, assignment="01_business_understanding")


def test_every_test_cell_deleted_is_restored_and_noted(tmp_path):
    nb = filled_notebook(COURSE, "01_business_understanding")
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    report = grade_notebook(write(nb, tmp_path, "x"), course=COURSE, limits=LIMITS, assignment="01_business_understanding")
    assert report.score == FULL_01
    assert len([n for n in report.notes if "was deleted" in n]) == len([s for s in REGISTRY_01.checkpoints.values() if not s.manual])


def test_deleted_answer_cells_cost_only_their_checkpoints(tmp_path):
    nb = filled_notebook(COURSE, "01_business_understanding")
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "answer-qcd_value"]
    report = grade_notebook(write(nb, tmp_path, "x"), course=COURSE, limits=LIMITS)
    assert {c.id: c.status for c in report.checkpoints if not c.passed} == {"bu.qcd": "error", "bu.written_ask": "manual"}


def _cli_grade(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", "grade", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_a_damaged_upload_gets_a_report_that_quotes_neither_its_name_nor_the_server_path(tmp_path):
    """Gradescope's line names the assignment: a file that is no notebook still gets results.json,
    and an upload whose name is no plain id (a browser's ``(1)``) is graded, its name never quoted."""
    folder = tmp_path / "server-secret-folder"
    folder.mkdir()
    damaged = folder / "mallory's notebook (1).ipynb"
    damaged.write_text('{"cells": [ damaged', encoding="utf-8")
    result = _cli_grade(damaged, "--assignment", "07_churn", "--format", "gradescope")
    assert result.returncode == 2 and "not valid notebook JSON" in result.stderr
    results = json.loads(result.stdout)
    assert results["score"] == 0 and "not valid notebook JSON" in results["output"]
    for quoted in ("server-secret-folder", "mallory", str(tmp_path)):
        assert quoted not in result.stdout and quoted not in result.stderr


def test_a_solved_notebook_of_another_assignment_is_refused_as_07_and_graded_as_what_it_is(tmp_path):
    path = write(filled_notebook(COURSE, "01_business_understanding"), tmp_path, "07_churn")
    refused = _cli_grade(path, "--assignment", "07_churn", "--format", "json")
    assert refused.returncode == 2 and "belongs to 01_business_understanding, not 07_churn" in refused.stderr
    report = json.loads(refused.stdout)
    assert (report["assignment"], report["score"]) == ("07_churn", 0)
    assert {c["status"] for c in report["checkpoints"]} == {"error"}
    graded = json.loads(_cli_grade(path, "--format", "json").stdout)
    assert (graded["assignment"], graded["score"]) == ("01_business_understanding", FULL_01)


CHECKER = """
def qcd_value(*args):
    import glob, os
    places = ("/tmp/*", "/dev/shm/*", os.path.expanduser("~/*"), "../*", "../../*", "./*")
    if [path for pattern in places for path in glob.glob(pattern) if "leftover" in path or "fill-" in path]:
        return {"quality": 0.0, "cost": 0.0, "delivery": 0.0}  # found what another kernel left
    claims_before, claims_after, loss, ib, ia, hours, wage, mb, ma = args
    return {"quality": float((claims_before - claims_after) * loss), "cost": float((ib - ia) * hours * wage), "delivery": float(mb - ma)}
"""


def _comparable(report: dict) -> list:
    """What a learner reads of a report, without its timing."""
    return [report["score"], report["notes"], report["error"],
            [(c["id"], c["status"], c["points"], c["detail"]) for c in report["checkpoints"]]]


@ISOLATION
def test_a_cohort_with_one_hostile_learner_per_attack_grades_everyone_else_as_alone(tmp_path):
    """Forged records, feedback injection, a dying kernel, a full disk, a metadata flood with a deep
    tree and leftovers, a damaged file and another assignment's notebook, graded two at a time
    beside honest learners: the batch finishes, the grader fails on nobody, and the honest
    learners' reports are what they get alone (the checker finds nothing the others left)."""
    a01, submitted, out = "01_business_understanding", tmp_path / "submitted", tmp_path / "out"
    by_name = {attack.name: attack for attack in ATTACKS if attack.assignment == a01}
    hostile = {"forger": "crafted_records", "injector": "learner_text_in_feedback", "killer": "os_exit",
               "filler": "fill_the_disk", "digger": "flood_metadata_and_dig_deep"}
    honest = {"alice": filled_notebook(COURSE, a01), "checker": filled_notebook(COURSE, a01, {"answer-qcd_value": CHECKER}),
              "bob": mistake_notebook(COURSE, next(m for m in MISTAKES if m.name == "hours_ignored"))}
    for learner, name in hostile.items():
        write_attack(attack_notebook(COURSE, by_name[name], {"COURSE_ROOT": str(ROOT), "CRAFT": CRAFT}), submitted / learner / a01, a01)
    for learner, nb in honest.items():
        write(nb, submitted / learner / a01, a01)
    (submitted / "damaged" / a01).mkdir(parents=True)
    (submitted / "damaged" / a01 / f"{a01}.ipynb").write_text('{"cells": [', encoding="utf-8")
    write(filled_notebook(COURSE, a01), submitted / "wrong" / "07_churn", "07_churn")

    run = grade_cohort(submitted, out, course=COURSE, jobs=2, limits=LIMITS, progress=False)
    reports = {r["learner"]: r for r in run.reports}
    assert run.crashed == [] and not (out / "errors.log").exists()
    assert set(reports) == {*hostile, *honest, "damaged", "wrong"}
    for learner, name in hostile.items():
        assert reports[learner]["score"] == by_name[name].score, learner
    assert (reports["damaged"]["score"], reports["wrong"]["score"]) == (0, 0)
    assert "belongs to 01_business_understanding" in reports["wrong"]["error"]
    for learner, nb in honest.items():
        alone = grade_notebook(write(nb, tmp_path / "alone", learner), course=COURSE, limits=LIMITS, sandbox=SANDBOX)
        assert _comparable(reports[learner]) == _comparable(alone.to_dict()), learner
