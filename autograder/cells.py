"""Reading nbgrader's cell metadata: which cell is an answer, a test, or read-only."""
from __future__ import annotations

import ast

from nbformat import NotebookNode

from coursekit.registry import checkpoint_id, is_manual_cell, is_test_cell  # noqa: F401  (one definition, kernel and grader)

#: What nbgrader puts in a written-answer cell of the released notebook (``ClearSolutions.text_stub``).
TEXT_STUB = "YOUR ANSWER HERE"


def nbgrader_meta(cell: NotebookNode) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def is_locked(cell: NotebookNode) -> bool:
    return bool(nbgrader_meta(cell).get("locked"))


def cell_grade_id(cell: NotebookNode) -> str | None:
    grade = nbgrader_meta(cell).get("grade_id")
    return grade if isinstance(grade, str) else None


def written_answer(cell: NotebookNode) -> bool:
    """Whether a written-answer cell holds something the learner wrote (not the released stub)."""
    text = cell.get("source", "")
    return isinstance(text, str) and text.strip() not in ("", TEXT_STUB)


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



def asks_of(nb: NotebookNode) -> dict[str, str]:
    """The concrete asks of a communication exercise: the literal ``ASKS = {...}`` of a locked cell."""
    for cell in nb.cells:
        if cell.cell_type != "code" or not is_locked(cell) or "ASKS" not in cell.source:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for statement in tree.body:
            target = statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
            if target is None and isinstance(statement, ast.AnnAssign) and statement.value is not None:
                target = statement.target
            if isinstance(target, ast.Name) and target.id == "ASKS":
                try:
                    asks = ast.literal_eval(statement.value)
                except ValueError:
                    continue
                return {str(k): str(v) for k, v in asks.items()} if isinstance(asks, dict) else {}
    return {}
