"""The learner's self-check agrees with the grader on valid alternative answers: it passes them too.

A valid alternative (``[[valid]]`` in the mistake corpus) keeps full marks in the grader
(``test_assignments``); here the self-check, which judges the visible checks in the learner's own
run, must pass every checkpoint of it as well, so a learner told "visible checks pass" loses nothing
later.
"""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import COURSE, ROOT, VALID_ANSWERS, write

from autograder.corpus import mistake_notebook


@pytest.mark.parametrize("answer", VALID_ANSWERS, ids=lambda m: f"{m.assignment}:{m.name}")
def test_a_valid_alternative_passes_the_self_check(answer, tmp_path):
    folder = tmp_path / answer.assignment
    shutil.copytree(ROOT / "assignments" / answer.assignment, folder)
    write(mistake_notebook(COURSE, answer), folder, answer.assignment)
    result = subprocess.run([sys.executable, "-m", "pytest", str(folder), "-p", "no:xdist", "-p", "no:randomly", "-q"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:]
