"""Run a source notebook's reference code in-process, for the kit tests that recompute the figures
its prose quotes from what the reference computes (a model's test cost, a share of prices)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from conftest import COURSE  # noqa: E402

from autograder.cells import is_test_cell  # noqa: E402


def reference_namespace(assignment: str, skip: tuple[str, ...] = ()) -> dict:
    """What the reference's code cells (not its test cells, not the cells in ``skip``) leave defined."""
    namespace: dict = {}
    for cell in COURSE.assignment(assignment).read_source().cells:
        if cell.cell_type == "code" and not is_test_cell(cell) and cell.get("id") not in skip:
            exec(compile(cell.source, f"<{assignment} {cell.get('id')}>", "exec"), namespace)  # noqa: S102 - the course's own source
    plt.close("all")
    return namespace
