"""Read the values a notebook's rewritten test cells recorded, and rewrite them in the first place."""
from __future__ import annotations

import copy

from nbformat import NotebookNode

from autograder.cells import cell_grade_id, is_test_cell
from autograder.recording import CallSite, call_sites, loaded_names, prune, recording_tree, to_source
from autograder.runner import CellRun
from coursekit.checks import RECORD_MIME
from coursekit.registry import checkpoint_id

#: checkpoint id -> check site -> the values recorded each time that check ran
Records = dict[str, dict[int, list[list]]]


def to_recording(nb: NotebookNode, *, keep_expected: bool) -> tuple[NotebookNode, dict[str, list[CallSite]]]:
    """A copy of ``nb`` whose test cells record instead of check, and the checks of each checkpoint."""
    rewritten = copy.deepcopy(nb)
    sites: dict[str, list[CallSite]] = {}
    trees = {}
    for index, cell in enumerate(rewritten.cells):
        if is_test_cell(cell) and cell_grade_id(cell):
            cid = checkpoint_id(cell_grade_id(cell))
            sites[cid] = call_sites(cell.source)
            trees[index] = recording_tree(cell.source, cid, keep_expected=keep_expected)
    loaded = {index: loaded_names(tree) for index, tree in trees.items()}
    for index, tree in trees.items():
        if not keep_expected:  # what only the expected side used must not reach the learner's kernel
            tree = prune(tree, set().union(*(names for i, names in loaded.items() if i != index)))
            loaded[index] = loaded_names(tree)  # later cells see what this one still uses
        rewritten.cells[index].source = to_source(tree)
    return rewritten, sites


def collect_records(nb: NotebookNode, runs: list[CellRun]) -> Records:
    """The records each test cell left in its own outputs (records claiming another checkpoint are ignored)."""
    run_of = {run.index: run for run in runs}
    records: Records = {}
    for index, cell in enumerate(nb.cells):
        if not (is_test_cell(cell) and cell_grade_id(cell)) or index not in run_of:
            continue
        cid = checkpoint_id(cell_grade_id(cell))
        for output in run_of[index].outputs:
            payload = output.get("data", {}).get(RECORD_MIME) if output.get("output_type") == "display_data" else None
            if (
                isinstance(payload, dict) and payload.get("checkpoint") == cid
                and type(payload.get("site")) is int and isinstance(payload.get("values"), list)
            ):
                records.setdefault(cid, {}).setdefault(payload["site"], []).append(payload["values"])
    return records
