"""Turn a run of a notebook's test cells into checkpoint verdicts.

Two ways, one result model:

- :func:`judge_recorded` (the grader): the learner's kernel only recorded plain values; each is
  judged here, in the grader's process, against the reference solution's value.
- :func:`judge_in_kernel` (the learner's self-check, on their own notebook): the checks ran in
  the kernel; their errors and partial scores are read from the cell's outputs.

Feedback never quotes learner-controlled text that could carry a hidden input: an error is named
by its builtin exception type only, a failed check by the description the course wrote for it.
"""
from __future__ import annotations

import ast
import builtins
import re

from nbformat import NotebookNode

from autograder.cells import cell_grade_id, is_test_cell
from autograder.recording import CallSite
from autograder.records import Records
from autograder.report import CheckpointResult
from autograder.runner import CellRun
from coursekit.checks import SCORE_MIME
from coursekit.compare import CHECKS
from coursekit.registry import CheckpointSpec, Registry, checkpoint_id

_BUILTIN_ERRORS = {name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)}
_FAILED = {"CheckpointFailed", "AssertionError"}
#: Notes on a communication answer that may quote the learner's own (short, name-like) words.
_VOCABULARY_NOTE = re.compile(r"Unknown (?:role|request type) '[A-Za-z][A-Za-z/ ]{0,39}'(?: for '[A-Za-z][A-Za-z/ ]{0,39}')?: use (?:a name from ROLES|one of \[[a-z', ]+\])\.")

Verdict = tuple[str, float, str]  # (status, fraction of the points, learner-safe detail)


def result_for(spec: CheckpointSpec, verdict: Verdict, lang: str) -> CheckpointResult:
    """The result of checkpoint ``spec`` given its (status, fraction, detail), with the registry's texts."""
    status, fraction, detail = verdict
    return CheckpointResult(
        id=spec.id, kind=spec.kind, status=status, points=round(spec.points * fraction, 2), max_points=spec.points,
        hidden=spec.hidden, title=spec.text("title", lang), expected=spec.text("expected", lang),
        hint=spec.text("hint", lang), detail=detail,
    )


def _cells_by_checkpoint(nb: NotebookNode, runs: list[CellRun]) -> dict[str, tuple[NotebookNode, CellRun]]:
    run_of = {run.index: run for run in runs}
    found: dict[str, tuple[NotebookNode, CellRun]] = {}
    for index, cell in enumerate(nb.cells):
        if is_test_cell(cell) and cell_grade_id(cell) and index in run_of:
            found.setdefault(checkpoint_id(cell_grade_id(cell)), (cell, run_of[index]))
    return found


_NEVER_RAN: Verdict = ("crashed", 0.0, "This checkpoint's test cell never ran.")


def _stopped(run: CellRun) -> Verdict:
    """The verdict on a test cell that stopped before its checks were all made."""
    if run.status == "timeout":
        return "timeout", 0.0, "Your code ran out of time during this checkpoint: look for a loop that never ends."
    if run.status == "crashed":
        return "crashed", 0.0, "The kernel died before this checkpoint finished (the code exited or used too much memory)."
    if run.ename == "NotImplementedError":
        return "not_attempted", 0.0, "Not attempted yet: a function or answer still raises NotImplementedError."
    if run.ename == "MemoryError":
        return "error", 0.0, "Your code ran out of memory during this checkpoint."
    if run.status == "error":
        kind = run.ename if run.ename in _BUILTIN_ERRORS else "an exception of its own"
        return "error", 0.0, f"Your code raised {kind} while this checkpoint was checked."
    return "error", 0.0, "The checks of this checkpoint did not all run."


def _safe_notes(notes: list[str]) -> list[str]:
    return [note for note in notes if _VOCABULARY_NOTE.fullmatch(note)][:3]


def _judge_sites(sites: list[CallSite], expected: dict[str, list], actual: dict[int, list[list]], run: CellRun) -> Verdict:
    score, notes = 1.0, []
    for site in sites:
        kind = CHECKS[site.kind]
        got = actual.get(site.site, [])
        for occurrence, wanted in enumerate(expected.get(str(site.site), [])):
            if occurrence >= len(got) or not got[occurrence]:
                return _stopped(run)
            value = got[occurrence][0]
            if isinstance(value, dict) and "__unplain__" in value:
                return "failed", 0.0, f"This check did not hold: {site.what} (a value that cannot be checked was returned)."
            verdict = kind.verdict(value, wanted, site.what, site.options)
            if not verdict.attempted:
                return "not_attempted", 0.0, f"Not attempted yet: {verdict.reason}."
            if site.kind == "overlap":
                score, notes = min(score, verdict.score), notes + _safe_notes(verdict.notes)
            elif not verdict.ok:
                safe = _safe_notes(verdict.notes)
                return "failed", 0.0, " ".join(safe) if safe else f"This check did not hold: {verdict.reason}."
    if score < 1.0:
        return "failed", score, " ".join([f"Partly right: {score:.0%} of the expected answer."] + notes)
    return "passed", 1.0, ""


def judge_recorded(
    nb: NotebookNode, runs: list[CellRun], registry: Registry, sites: dict[str, list[CallSite]],
    expected: dict[str, dict[str, list]], records: Records, lang: str = "en",
) -> list[CheckpointResult]:
    """One result per checkpoint: the learner's recorded values judged against the reference's."""
    cells = _cells_by_checkpoint(nb, runs)
    results = []
    for spec in registry.checkpoints.values():
        if spec.id in cells:
            verdict = _judge_sites(sites.get(spec.id, []), expected.get(spec.id, {}), records.get(spec.id, {}), cells[spec.id][1])
        else:
            verdict = _NEVER_RAN
        results.append(result_for(spec, verdict, lang))
    return results


def judge_in_kernel(nb: NotebookNode, runs: list[CellRun], registry: Registry, lang: str = "en") -> list[CheckpointResult]:
    """One result per checkpoint, from checks that ran in the kernel (the learner's self-check)."""
    cells = _cells_by_checkpoint(nb, runs)
    return [result_for(spec, _in_kernel(*cells[spec.id]) if spec.id in cells else _NEVER_RAN, lang) for spec in registry.checkpoints.values()]


def _in_kernel(cell: NotebookNode, run: CellRun) -> Verdict:
    if run.status == "error" and run.ename in _FAILED:
        notes = _VOCABULARY_NOTE.findall(run.evalue)
        if notes:
            return "failed", 0.0, " ".join(notes)
        what = _described_check(cell.source, run.evalue)
        return "failed", 0.0, f"This check did not hold: {what}." if what else "A check of this checkpoint did not hold."
    if run.status != "ok":
        return _stopped(run)
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
            notes += _safe_notes([n for n in payload.get("notes", []) if isinstance(n, str)])
    return min(scores), notes
