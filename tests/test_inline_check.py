"""``check_checkpoint`` / ``check_all`` inside a learner's kernel: same titles and hints, hidden = later."""
from __future__ import annotations

import shutil

from conftest import COURSE, MISTAKES, ROOT, write
from nbformat.v4 import new_code_cell

from autograder.corpus import filled_notebook, mistake_notebook
from autograder.options import Limits
from autograder.runner import run_notebook

ASSIGNMENT = "01_business_understanding"
CHECKPOINTS = len(COURSE.assignment(ASSIGNMENT).registry().checkpoints)
#: The checkpoints a notebook can check itself: all but the written answers, graded by the instructor.
AUTOMATIC = sum(not spec.manual for spec in COURSE.assignment(ASSIGNMENT).registry().checkpoints.values())


def _answer(run) -> str:
    return next(o["data"]["text/plain"] for o in run.outputs if o.get("output_type") == "execute_result")


def _run_with_checker(nb, tmp_path, code):
    folder = tmp_path / ASSIGNMENT
    shutil.copytree(ROOT / "assignments" / ASSIGNMENT, folder)
    write(nb, folder, ASSIGNMENT)
    nb.cells.append(new_code_cell(code))
    runs = run_notebook(nb, folder, Limits(cell_seconds=60, notebook_seconds=120))
    return runs[-1]


def test_check_all_reports_hidden_checkpoints_as_graded_later(tmp_path):
    last = _run_with_checker(filled_notebook(COURSE, ASSIGNMENT), tmp_path, "from coursekit import check_all\ncheck_all()")
    text = _answer(last)
    assert last.status == "ok"
    assert text.count("hidden checks are graded later") == AUTOMATIC and "passed" not in text.split("\n")[0]
    assert text.count("to be graded by the instructor") == CHECKPOINTS - AUTOMATIC > 0
    assert f"{AUTOMATIC} of {AUTOMATIC} checkpoints pass their visible checks." in text


def test_a_visible_miss_shows_the_registry_title_and_hint_in_japanese(tmp_path):
    mistake = next(m for m in MISTAKES if m.name == "no_breakeven_line")
    code = "from coursekit import check_checkpoint, set_language\nset_language('ja')\ncheck_checkpoint('bu.breakeven_plot')"
    last = _run_with_checker(mistake_notebook(COURSE, mistake), tmp_path, code)
    text = _answer(last)
    assert len(last.outputs) == 1, "the checker leaves no chart behind"
    assert "✗ bu.breakeven_plot — スポンサーが読める損益分岐チャート: 未達成" in text
    assert "ヒント: セクション5" in text and "break-even line at 0" in text


def test_the_stub_is_not_attempted_and_checking_leaves_the_namespace_alone(tmp_path):
    nb = COURSE.root / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    import nbformat

    code = "from coursekit import check_all\nreport = check_all()\ncheck = 'mine'\nprint(check, report[0].status)"
    last = _run_with_checker(nbformat.read(nb, as_version=4), tmp_path, code)
    assert last.outputs[0]["text"] == "mine not_attempted\n"
