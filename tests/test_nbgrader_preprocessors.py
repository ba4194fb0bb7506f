"""The course's own nbgrader preprocessors."""
from __future__ import annotations

import nbformat

from autograder.nbgrader_preprocessors import DropWorkedAnswers


def _notebook():
    worked = nbformat.v4.new_markdown_cell("The worked answers", id="worked-answers")
    worked.metadata["tags"] = ["worked-answer"]
    other = nbformat.v4.new_markdown_cell("Other tags stay", id="kept")
    other.metadata["tags"] = ["instructions"]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title", id="title"), worked, other])


def test_worked_answers_are_dropped_and_every_other_cell_kept():
    nb, resources = DropWorkedAnswers().preprocess(_notebook(), {"kept": True})
    assert [cell.id for cell in nb.cells] == ["title", "kept"]
    assert resources == {"kept": True}


def test_the_tag_is_configurable():
    nb, _ = DropWorkedAnswers(tag="instructions").preprocess(_notebook(), {})
    assert [cell.id for cell in nb.cells] == ["title", "worked-answers"]
