"""Read a learner's file into a notebook, or say clearly why it cannot be graded."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cells import test_checkpoint_ids
from autograder.course import Assignment, Course
from autograder.report import safe_text
from coursekit.labels import text
from coursekit.verdicts import Reason

#: A learner id is a plain name: letters, digits, '.', '_' and '-', starting with a letter or digit.
LEARNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class SubmissionError(ValueError):
    """A submission that cannot be graded as it is; its :class:`Reason` says why and what to do.

    The message (English) is for the instructor's terminal; a report shows the reason in the
    learner's language. Neither quotes the learner's file name or the server's paths.
    """

    def __init__(self, key: str, **params: str | int) -> None:
        self.reason = Reason(key, params)
        super().__init__(text(key, "en", **params))


def check_learner_id(learner: str) -> str:
    """Refuse a learner id that is not a plain name (``../x``, HTML, spaces, ...)."""
    if not LEARNER_ID.match(learner) or ".." in learner:
        raise SubmissionError("submission.learner_id", learner=repr(safe_text(learner, 80)))
    return learner


def learner_of_file(path: str | Path) -> str:
    """The learner id a file's name gives, when none is passed: its stem if that is a plain name,
    else ``learner`` (an upload named ``07_churn (1).ipynb`` is still graded; its name is never quoted)."""
    stem = Path(path).stem
    return stem if LEARNER_ID.match(stem) and ".." not in stem else "learner"


def read_submission(path: str | Path) -> NotebookNode:
    """The notebook at ``path`` as nbformat 4, or a :class:`SubmissionError` saying what is wrong."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SubmissionError("submission.missing") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise SubmissionError("submission.not_text") from None
    if not content.strip():
        raise SubmissionError("submission.empty")
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise SubmissionError("submission.bad_json", line=error.lineno, column=error.colno) from None
    except (ValueError, RecursionError):  # an integer of too many digits, nesting too deep
        raise SubmissionError("submission.invalid", error="JSON") from None
    if not isinstance(data, dict) or data.get("nbformat") != 4:
        found = data.get("nbformat") if isinstance(data, dict) else None
        raise SubmissionError("submission.wrong_format", found=found if isinstance(found, int) else "?")
    try:
        _renumber_duplicate_cell_ids(data)
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # nbformat raises several kinds for a malformed notebook
        raise SubmissionError("submission.invalid", error=type(error).__name__) from None
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
            raise SubmissionError("submission.wrong_assignment", found=best, expected=expected)
        return assignment
    if not best or scores[best] == 0:
        raise SubmissionError("submission.unknown_assignment")
    return course.assignment(best)
