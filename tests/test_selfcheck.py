"""The learner's ``pytest assignments/<assignment>``: one item per checkpoint, hints as messages."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import COURSE, MISTAKES, ROOT, write

from autograder.corpus import filled_notebook, mistake_notebook

ASSIGNMENT = "01_business_understanding"
CHECKPOINTS = len(COURSE.assignment(ASSIGNMENT).registry().checkpoints)
#: A written answer, once written, waits for the instructor: the self-check skips it.
WRITTEN = sum(spec.manual for spec in COURSE.assignment(ASSIGNMENT).registry().checkpoints.values())


def _selfcheck(tmp_path, nb=None, *args):
    folder = tmp_path / ASSIGNMENT
    shutil.copytree(ROOT / "assignments" / ASSIGNMENT, folder)
    if nb is not None:
        write(nb, folder, ASSIGNMENT)
    return subprocess.run([sys.executable, "-m", "pytest", str(folder), "-p", "no:xdist", "-p", "no:randomly", *args],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)


def test_the_released_stub_fails_every_checkpoint_as_not_attempted(tmp_path):
    result = _selfcheck(tmp_path)
    assert result.returncode == 1
    assert f"{CHECKPOINTS} failed" in result.stdout
    failures = result.stdout.split("short test summary info")[0]  # on CI, pytest repeats messages in the summary
    assert failures.count("[not attempted yet]") == CHECKPOINTS
    assert "Hint: Section 1" in result.stdout and "Traceback" not in result.stdout


def test_reference_answers_pass_and_hidden_checks_are_announced_as_later(tmp_path):
    result = _selfcheck(tmp_path, filled_notebook(COURSE, ASSIGNMENT))
    assert result.returncode == 0, result.stdout
    assert f"{CHECKPOINTS - WRITTEN} passed, {WRITTEN} skipped" in result.stdout
    assert "also have hidden checks that the grader runs later" in result.stdout


def test_a_visible_mistake_fails_its_checkpoint_with_the_hint_in_japanese(tmp_path):
    mistake = next(m for m in MISTAKES if m.name == "no_breakeven_line")
    result = _selfcheck(tmp_path, mistake_notebook(COURSE, mistake), "--course-lang", "ja")
    assert f"1 failed, {CHECKPOINTS - WRITTEN - 1} passed, {WRITTEN} skipped" in result.stdout
    assert "スポンサーが読める損益分岐チャート" in result.stdout
    assert "plot_return draws the break-even line at 0" in result.stdout


@pytest.mark.parametrize("mistake_name", ["monthly_cost_every_day"])
def test_a_hidden_mistake_passes_the_self_check_but_not_the_grader(mistake_name, tmp_path):
    """The self-check cannot see hidden checks: that is what 'graded later' means."""
    mistake = next(m for m in MISTAKES if m.name == mistake_name)
    result = _selfcheck(tmp_path, mistake_notebook(COURSE, mistake))
    assert f"{CHECKPOINTS - WRITTEN} passed, {WRITTEN} skipped" in result.stdout
