"""Put the course's own test cells back into a submission before it runs.

Like nbgrader's ``OverwriteCells``: a learner may edit, delete or forge test cells and read-only
cells, so every test cell and every locked cell is taken from the trusted source notebook (hidden
tests included), a deleted one is put back, and a forged one loses its grading metadata.
"""
from __future__ import annotations

import copy

from nbformat import NotebookNode

from autograder.cells import cell_grade_id, is_locked, is_test_cell, nbgrader_meta, visible_part
from coursekit.registry import checkpoint_id
from coursekit.verdicts import Reason


def restore_test_cells(submission: NotebookNode, source: NotebookNode) -> tuple[NotebookNode, list[Reason]]:
    """The notebook to run, and notes on what had to be restored (for the report).

    A note names a checkpoint only by the course's own id; a cell the learner made up is
    mentioned without quoting anything of it.
    """
    trusted = {cell_grade_id(c): c for c in source.cells if cell_grade_id(c) and (is_test_cell(c) or is_locked(c))}
    nb = copy.deepcopy(submission)
    notes: list[Reason] = []
    seen: set[str] = set()
    cells = []
    for cell in nb.cells:
        grade_id = cell_grade_id(cell)
        if grade_id in trusted and grade_id not in seen:
            seen.add(grade_id)
            original = trusted[grade_id]
            if is_test_cell(original) and visible_part(cell.get("source", "")) != visible_part(original.source):
                notes.append(Reason("note.cell_edited", {"checkpoint": checkpoint_id(grade_id)}))
            cells.append(_fresh_copy(original))
        else:
            if grade_id and nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution"):
                notes.append(Reason("note.cell_forged"))
            if is_test_cell(cell) or (grade_id in seen):
                cell.metadata.pop("nbgrader", None)
            cells.append(cell)
    missing = [gid for gid, c in trusted.items() if gid not in seen and is_test_cell(c)]
    for grade_id in missing:
        notes.append(Reason("note.cell_deleted", {"checkpoint": checkpoint_id(grade_id)}))
        cells.insert(_insert_position(grade_id, source, cells), _fresh_copy(trusted[grade_id]))
    nb.cells = cells
    return nb, notes


def _fresh_copy(cell: NotebookNode) -> NotebookNode:
    fresh = copy.deepcopy(cell)
    if fresh.cell_type == "code":
        fresh.outputs = []
        fresh.execution_count = None
    return fresh


def _insert_position(grade_id: str, source: NotebookNode, cells: list[NotebookNode]) -> int:
    """Just after the last cell that precedes ``grade_id`` in the source and is still present."""
    order = [cell_grade_id(c) for c in source.cells]
    before = set(order[: order.index(grade_id)]) - {None}
    positions = [i for i, cell in enumerate(cells) if cell_grade_id(cell) in before]
    return positions[-1] + 1 if positions else len(cells)
