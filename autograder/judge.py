"""Turn the runs of a notebook's test cells into checkpoint verdicts.

Feedback built here never quotes learner-controlled text that could carry a hidden input: an
error is named by its builtin exception type only, and a failed check by the description the
course wrote for it in the test cell.
"""
from __future__ import annotations

import ast
import builtins
import re

from nbformat import NotebookNode

from autograder.cells import cell_grade_id, is_test_cell
from autograder.report import CheckpointResult
from autograder.runner import CellRun
from coursekit.checks import SCORE_MIME
from coursekit.registry import CheckpointSpec, Registry, checkpoint_id

_BUILTIN_ERRORS = {name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)}
_FAILED = {"CheckpointFailed", "AssertionError"}
#: Notes on a communication answer that may quote the learner's own (short, name-like) words.
_VOCABULARY_NOTE = re.compile(r"Unknown (?:role|request type) '[A-Za-z][A-Za-z/ ]{0,39}'(?: for '[A-Za-z][A-Za-z/ ]{0,39}')?: use (?:a name from ROLES|one of \[[a-z', ]+\])\.")


def judge(nb: NotebookNode, runs: list[CellRun], registry: Registry, lang: str = "en") -> list[CheckpointResult]:
    """One result per checkpoint of ``registry``, in registry order; a checkpoint with no cell is ``crashed``."""
    by_checkpoint: dict[str, tuple[NotebookNode, CellRun]] = {}
    run_of = {run.index: run for run in runs}
    for index, cell in enumerate(nb.cells):
        if is_test_cell(cell) and cell_grade_id(cell) and index in run_of:
            by_checkpoint.setdefault(checkpoint_id(cell_grade_id(cell)), (cell, run_of[index]))
    results = []
    for spec in registry.checkpoints.values():
        if spec.id in by_checkpoint:
            cell, run = by_checkpoint[spec.id]
            status, fraction, detail = _verdict(cell, run)
        else:
            status, fraction, detail = "crashed", 0.0, "This checkpoint's test cell never ran."
        results.append(
            CheckpointResult(
                id=spec.id,
                kind=spec.kind,
                status=status,
                points=round(spec.points * fraction, 2),
                max_points=spec.points,
                hidden=spec.hidden,
                title=spec.text("title", lang),
                expected=spec.text("expected", lang),
                hint=spec.text("hint", lang),
                detail=detail,
            )
        )
    return results


def _verdict(cell: NotebookNode, run: CellRun) -> tuple[str, float, str]:
    """(status, fraction of the points, learner-safe detail) of one test cell's run."""
    if run.status == "timeout":
        return "timeout", 0.0, "Your code ran out of time during this checkpoint: look for a loop that never ends."
    if run.status == "crashed":
        return "crashed", 0.0, "The kernel died before this checkpoint finished (the code exited or used too much memory)."
    if run.status == "error":
        if run.ename == "NotImplementedError":
            return "not_attempted", 0.0, "Not attempted yet: a function or answer still raises NotImplementedError."
        if run.ename in _FAILED:
            notes = _VOCABULARY_NOTE.findall(run.evalue)
            if notes:
                return "failed", 0.0, " ".join(notes)
            what = _described_check(cell.source, run.evalue)
            return "failed", 0.0, f"This check did not hold: {what}." if what else "A check of this checkpoint did not hold."
        kind = run.ename if run.ename in _BUILTIN_ERRORS else "an exception of its own"
        return "error", 0.0, f"Your code raised {kind} while this checkpoint was checked."
    fraction, notes = _partial_score(run.outputs)
    if fraction < 1.0:
        return "failed", fraction, " ".join([f"Partly right: {fraction:.0%} of the expected answer."] + notes)
    return "passed", 1.0, ""


def _described_check(source: str, message: str) -> str:
    """The course's own description of the check named in ``message``, if the cell has one."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    descriptions = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and len(n.value) > 12]
    named = [d for d in descriptions if d in message]
    return max(named, key=len) if named else ""


def _partial_score(outputs: list) -> tuple[float, list[str]]:
    """The lowest partial-credit score the checks reported in a cell's outputs (1.0 when none),
    with their notes on unknown names."""
    scores, notes = [1.0], []
    for output in outputs:
        payload = output.get("data", {}).get(SCORE_MIME) if output.get("output_type") == "display_data" else None
        if isinstance(payload, dict) and isinstance(payload.get("score"), (int, float)):
            scores.append(min(1.0, max(0.0, float(payload["score"]))))
            notes += [n for n in payload.get("notes", []) if isinstance(n, str) and _VOCABULARY_NOTE.fullmatch(n)]
    return min(scores), notes


