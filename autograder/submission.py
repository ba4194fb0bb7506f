"""Read a learner's file into a notebook, or say clearly why it cannot be graded."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cells import test_checkpoint_ids
from autograder.course import Assignment, Course

#: A learner id is a plain name: letters, digits, '.', '_' and '-', starting with a letter or digit.
LEARNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class SubmissionError(ValueError):
    """A submission that cannot be graded as it is; the message says what to do."""


def check_learner_id(learner: str) -> str:
    """Refuse a learner id that is not a plain name (``../x``, HTML, spaces, ...)."""
    if not LEARNER_ID.match(learner) or ".." in learner:
        raise SubmissionError(
            f"Learner id {learner!r} is not a plain name: use letters, digits, '.', '_' or '-' "
            "(no slashes, no '..', at most 64 characters). Rename the learner's folder and grade again."
        )
    return learner


def read_submission(path: str | Path) -> NotebookNode:
    """The notebook at ``path`` as nbformat 4, or a :class:`SubmissionError` saying what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SubmissionError(f"{path} does not exist: check the path.") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise SubmissionError(f"{path} is not a text notebook file (.ipynb): submit the notebook itself.") from None
    if not text.strip():
        raise SubmissionError(f"{path} is empty: the notebook was not saved. Save it in JupyterLab and submit again.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SubmissionError(
            f"{path} is not valid notebook JSON (line {error.lineno}, column {error.colno}): "
            "it was damaged outside Jupyter. Restore it from a checkpoint or the released copy."
        ) from None
    if not isinstance(data, dict) or data.get("nbformat") != 4:
        found = data.get("nbformat") if isinstance(data, dict) else None
        raise SubmissionError(
            f"{path} is notebook format {found!r}, not 4: open and save it in JupyterLab 4, then submit again."
        )
    try:
        _renumber_duplicate_cell_ids(data)
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # nbformat raises several kinds for a malformed notebook
        raise SubmissionError(f"{path} is not a valid notebook ({type(error).__name__}): open and save it in JupyterLab.") from None
    return nb


def _renumber_duplicate_cell_ids(data: dict) -> None:
    """Copying cells in old front ends duplicates their ids; that costs a learner nothing."""
    seen: set = set()
    for position, cell in enumerate(data.get("cells", [])):
        if isinstance(cell, dict) and cell.get("id") in seen:
            cell["id"] = f"{str(cell['id'])[:40]}-copy-{position}"
        seen.add(cell.get("id") if isinstance(cell, dict) else None)


def identify_assignment(nb: NotebookNode, course: Course, expected: str | None = None) -> Assignment:
    """The assignment whose checkpoints the notebook carries (checked against ``expected`` if given)."""
    found = set(test_checkpoint_ids(nb))
    scores = {a.name: len(found & set(a.registry().checkpoints)) for a in course.assignments()}
    best = max(scores, key=scores.get) if scores else None
    if expected is not None:
        assignment = course.assignment(expected)
        if best and scores[best] > scores[expected]:
            raise SubmissionError(
                f"This notebook belongs to {best}, not {expected}: submit the {expected} notebook."
            )
        return assignment
    if not best or scores[best] == 0:
        raise SubmissionError(
            "Cannot tell which assignment this notebook is (it has none of the course's test cells): "
            "pass --assignment NAME."
        )
    return course.assignment(best)
