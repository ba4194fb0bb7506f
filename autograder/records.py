"""Rewrite a notebook's test cells to record, and read back what they recorded.

What a kernel sends is untrusted: every payload is parsed strictly (:meth:`Record.parse`), a
record claiming another checkpoint is ignored, and a malformed one marks its checkpoint as
tampered with. Nothing here raises on what a kernel sent.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from nbformat import NotebookNode

from autograder.cells import cell_grade_id, is_test_cell
from autograder.recording import CallSite, call_sites, prune, recording_tree, to_source
from autograder.runner import CellRun
from coursekit.record import RECORD_MIME, Record, RecordError
from coursekit.registry import checkpoint_id

#: checkpoint id -> the expected side of each check the reference made, in order: [site, value]
Expected = dict[str, list[list]]


@dataclass
class CellRecords:
    """The records one test cell sent for its own checkpoint, in the order they arrived."""

    records: list[Record] = field(default_factory=list)
    #: Something claiming to be a record of this checkpoint was not one.
    tampered: bool = False


def to_recording(nb: NotebookNode, *, keep_expected: bool) -> tuple[NotebookNode, dict[str, list[CallSite]]]:
    """A copy of ``nb`` whose test cells record instead of check, and the checks of each checkpoint.

    Without ``keep_expected`` (a learner's graded run) the expected side of every check, and
    every definition only it used, is gone from the copy (:func:`autograder.recording.prune`).
    """
    rewritten = copy.deepcopy(nb)
    sites: dict[str, list[CallSite]] = {}
    trees = {}
    for index, cell in enumerate(rewritten.cells):
        if is_test_cell(cell) and cell_grade_id(cell):
            cid = checkpoint_id(cell_grade_id(cell))
            sites[cid] = call_sites(cell.source)
            trees[index] = recording_tree(cell.source, cid, keep_expected=keep_expected)
    if not keep_expected:
        prune(list(trees.values()))
    for index, tree in trees.items():
        rewritten.cells[index].source = to_source(tree)
    return rewritten, sites


def _payloads(outputs: list) -> list:
    """The record payloads among a cell's outputs (whatever their shape)."""
    found = []
    for output in outputs:
        data = output.get("data") if isinstance(output, dict) and output.get("output_type") == "display_data" else None
        if isinstance(data, dict) and RECORD_MIME in data:
            found.append(data[RECORD_MIME])
    return found


def collect_records(nb: NotebookNode, runs: list[CellRun]) -> dict[str, CellRecords]:
    """The records each test cell left in its own outputs, by checkpoint."""
    run_of = {run.index: run for run in runs}
    collected: dict[str, CellRecords] = {}
    for index, cell in enumerate(nb.cells):
        if not (is_test_cell(cell) and cell_grade_id(cell)) or index not in run_of:
            continue
        cid = checkpoint_id(cell_grade_id(cell))
        mine = collected.setdefault(cid, CellRecords())
        for payload in _payloads(run_of[index].outputs):
            if isinstance(payload, dict) and payload.get("checkpoint") not in (cid, None):
                continue  # claims another checkpoint: it cannot change this one, nor that one
            try:
                mine.records.append(Record.parse(payload))
            except RecordError:
                mine.tampered = True
    return collected


def expected_of(collected: dict[str, CellRecords]) -> Expected:
    """The expected side of every record of a run that kept it (the reference's, or a self-check's)."""
    return {cid: [[r.site, r.expected] for r in cell.records] for cid, cell in collected.items()}
