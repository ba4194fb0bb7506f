"""Small notebook cells for the unit tests of the grading chain."""
from __future__ import annotations

from nbformat.v4 import new_code_cell


def graded_cell(grade_id: str, source: str):
    """An nbgrader test cell (graded, locked) with ``source``."""
    return new_code_cell(source, metadata={"nbgrader": {"grade": True, "solution": False, "locked": True,
                                                        "grade_id": grade_id, "points": 1, "schema_version": 3}})
