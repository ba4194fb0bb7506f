"""Reading nbgrader's cell metadata: which cell is an answer, a test, or read-only."""
from __future__ import annotations

from nbformat import NotebookNode

from coursekit.registry import checkpoint_id, is_test_cell  # noqa: F401  (one definition, kernel and grader)


def nbgrader_meta(cell: NotebookNode) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def is_locked(cell: NotebookNode) -> bool:
    return bool(nbgrader_meta(cell).get("locked"))


def cell_grade_id(cell: NotebookNode) -> str | None:
    grade = nbgrader_meta(cell).get("grade_id")
    return grade if isinstance(grade, str) else None


def visible_part(source: str) -> str:
    """A test cell's source as released: without its hidden-test block, trailing spaces ignored."""
    kept, hidden = [], False
    for line in source.splitlines():
        marker = line.strip()
        if marker == "### BEGIN HIDDEN TESTS":
            hidden = True
        elif marker == "### END HIDDEN TESTS":
            hidden = False
        elif not hidden:
            kept.append(line.rstrip())
    return "\n".join(kept).strip()


def test_checkpoint_ids(nb: NotebookNode) -> list[str]:
    """The checkpoint ids of a notebook's test cells, in order."""
    return [checkpoint_id(cell_grade_id(c)) for c in nb.cells if is_test_cell(c) and cell_grade_id(c)]
