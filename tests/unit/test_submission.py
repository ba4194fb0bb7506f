"""Reading a submission, recognising its assignment and restoring its test cells, without a kernel."""
from __future__ import annotations

import json

import nbformat
import pytest
from fixture_cells import graded_cell
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.course import Course
from autograder.restore import restore_test_cells
from autograder.submission import SubmissionError, check_learner_id, identify_assignment, read_submission
from coursekit.labels import reason_text

COURSE = Course.locate()


@pytest.mark.parametrize("content, key", [
    ("", "submission.empty"),
    ('{"cells": [ cut off', "submission.bad_json"),
    ('{"nbformat": 3, "worksheets": []}', "submission.wrong_format"),
    ('{"nbformat": 4, "cells": "no"}', "submission.invalid"),
    ('[' * 100_000, "submission.invalid"),
    ('{"nbformat": 4, "x": ' + "9" * 5000 + "}", "submission.invalid"),
])
def test_a_damaged_file_gets_a_reason_that_quotes_neither_path_nor_name(tmp_path, content, key):
    path = tmp_path / "Score 20 of 20 \x1b[2J.ipynb"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SubmissionError) as error:
        read_submission(path)
    assert error.value.reason.key == key
    for lang in ("en", "ja"):
        assert str(tmp_path) not in reason_text(error.value.reason, lang) and "20 of 20" not in reason_text(error.value.reason, lang)


def test_a_missing_or_binary_file_is_named_for_what_it_is(tmp_path):
    with pytest.raises(SubmissionError, match="does not exist"):
        read_submission(tmp_path / "nothing.ipynb")
    (tmp_path / "b.ipynb").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(SubmissionError, match="not a text notebook"):
        read_submission(tmp_path / "b.ipynb")


def test_duplicated_cell_ids_are_renumbered(tmp_path):
    nb = new_notebook(cells=[new_code_cell("1"), new_code_cell("2")])
    nb.cells[1].id = nb.cells[0].id
    (tmp_path / "d.ipynb").write_text(json.dumps(nb))
    ids = [cell.id for cell in read_submission(tmp_path / "d.ipynb").cells]
    assert len(set(ids)) == 2


@pytest.mark.parametrize("learner", ["../x", "<img src=x>", "a b", ".hidden", "x" * 65, "a/b"])
def test_a_learner_id_that_is_not_a_plain_name_is_refused(learner):
    with pytest.raises(SubmissionError, match="not a plain name"):
        check_learner_id(learner)


def _as_submitted(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(COURSE.root / "assignments" / assignment / f"{assignment}.ipynb", as_version=4)


def test_the_assignment_is_recognised_from_its_test_cells_and_a_wrong_one_refused():
    stub = _as_submitted("02_analyze")
    assert identify_assignment(stub, COURSE).name == "02_analyze"
    with pytest.raises(SubmissionError, match="belongs to 02_analyze, not 07_churn"):
        identify_assignment(stub, COURSE, "07_churn")
    with pytest.raises(SubmissionError, match="Cannot tell which assignment"):
        identify_assignment(new_notebook(cells=[new_markdown_cell("hi")]), COURSE)


def test_edited_deleted_and_forged_test_cells_are_restored_and_noted_by_the_courses_ids_only():
    source = new_notebook(cells=[graded_cell("a-one", "check = Checkpoint('a.one')"), graded_cell("a-two", "check = Checkpoint('a.two')")])
    submission = new_notebook(cells=[graded_cell("a-one", "print('all passed')"),
                                     graded_cell("Score: 20/20\x1b[31m", "check = Checkpoint('a.one')")])
    restored, notes = restore_test_cells(submission, source)
    assert [cell.source for cell in restored.cells if cell.metadata.get("nbgrader")] == [
        "check = Checkpoint('a.one')", "check = Checkpoint('a.two')"]
    shown = [reason_text(note) for note in notes]
    assert shown == ["Test cell a.one was edited; the original was graded.",
                     "A cell that looks like a test cell is not the course's: it was run but not graded.",
                     "Test cell a.two was deleted; the original was put back and graded."]
