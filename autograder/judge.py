"""Turn the run of a notebook's test cells into one outcome per checkpoint.

:func:`judge_recorded` is the grader's judge (and the self-check's): the kernel only recorded
plain values; each check is judged here, in this process, against the expected side of the
reference solution's run (or, in a learner's self-check, of the same run). The outcome of each
checkpoint comes from the one rule of :func:`coursekit.verdicts.checkpoint_outcome`.
:func:`judge_nbgrader_outputs` reads the statuses of a notebook plain nbgrader already ran.
"""
from __future__ import annotations

from nbformat import NotebookNode

from autograder.cells import cell_grade_id, is_manual_cell, is_test_cell, written_answer
from autograder.recording import CallSite
from autograder.records import CellRecords, Expected
from autograder.runner import CellRun
from coursekit.compare import worked_answers
from coursekit.registry import Registry, checkpoint_id
from coursekit.verdicts import MATCH, CellEnd, Outcome, Reason, Status, Verdict, checkpoint_outcome

#: The exceptions a check that did not hold raises in the kernel (plain nbgrader).
FAILED_CHECK = {"CheckpointFailed", "AssertionError"}
TAMPERED = Outcome(Status.ERROR, reason=Reason("reason.tampered"))
MANUAL = Outcome(Status.MANUAL, reason=Reason("reason.manual"))
MANUAL_EMPTY = Outcome(Status.NOT_ATTEMPTED, reason=Reason("reason.manual_empty"))


def cell_end(run: CellRun | None) -> CellEnd:
    """How a code cell's run ended, in the verdict vocabulary."""
    if run is None:
        return CellEnd("not_run")
    if run.status == "error":
        return CellEnd("error", run.ename)
    return CellEnd(run.status)


def _cells_by_checkpoint(nb: NotebookNode, runs: list[CellRun]) -> dict[str, CellRun | None]:
    """Each checkpoint's test cell run (the first cell carrying its id), ``None`` if it never ran."""
    run_of = {run.index: run for run in runs}
    found: dict[str, CellRun | None] = {}
    for index, cell in enumerate(nb.cells):
        if is_test_cell(cell) and cell_grade_id(cell):
            found.setdefault(checkpoint_id(cell_grade_id(cell)), run_of.get(index))
    return found


def _manual_outcomes(nb: NotebookNode) -> dict[str, Outcome]:
    """A written answer waits for the instructor; one left as released is not attempted."""
    return {
        checkpoint_id(cell_grade_id(cell)): MANUAL if written_answer(cell) else MANUAL_EMPTY
        for cell in nb.cells if is_manual_cell(cell) and cell_grade_id(cell)
    }


def judge_checks(sites: list[CallSite], expected: list[list], cell: CellRecords, run: CellRun | None) -> Outcome:
    """One checkpoint: the learner's records, in order, against the expected side of each check.

    The learner's records must be the reference's sequence of checks, or a prefix of it where the
    cell stopped early; anything else was not sent by the course's checks (``tampered``).
    """
    if cell.tampered:
        return TAMPERED
    by_site = {site.site: site for site in sites}
    mine = cell.records
    if len(mine) > len(expected) or any(r.site != site for r, (site, _) in zip(mine, expected)):
        return TAMPERED
    verdicts: list[Verdict | None] = []
    for position, (site, wanted) in enumerate(expected):
        if position >= len(mine) or site not in by_site:
            verdicts.append(None)
            continue
        check, record = by_site[site], mine[position]
        if record.unplain:
            verdicts.append(Verdict(0.0, Reason("reason.unplain", {"where": check.what})))
            continue
        seconds = run.seconds if run is not None else None
        verdicts.append(check.check.verdict(list(record.actual), wanted, check.what, check.options, seconds))
    return checkpoint_outcome(verdicts, cell_end(run))


def judge_recorded(
    nb: NotebookNode, runs: list[CellRun], registry: Registry, sites: dict[str, list[CallSite]],
    expected: Expected, records: dict[str, CellRecords],
) -> dict[str, Outcome]:
    """The outcome of every checkpoint of ``registry``: recorded values judged against ``expected``."""
    cells, manual = _cells_by_checkpoint(nb, runs), _manual_outcomes(nb)
    outcomes = {}
    for spec in registry.checkpoints.values():
        if spec.manual:
            outcomes[spec.id] = manual.get(spec.id, MANUAL_EMPTY)
        elif spec.id in cells:
            outcomes[spec.id] = judge_checks(sites.get(spec.id, []), expected.get(spec.id, []),
                                             records.get(spec.id, CellRecords()), cells[spec.id])
        else:
            outcomes[spec.id] = checkpoint_outcome([], CellEnd("not_run"))
    return outcomes


def judge_nbgrader_outputs(nb: NotebookNode, runs: list[CellRun], registry: Registry) -> dict[str, Outcome]:
    """The outcome of every checkpoint of a notebook plain nbgrader ran, read from its outputs.

    nbgrader ran the checks in the learner's kernel: a cell that raised a failed check missed, a
    cell that ended normally held (nbgrader's own points then say how much of it).
    """
    cells, manual = _cells_by_checkpoint(nb, runs), _manual_outcomes(nb)
    outcomes = {}
    for spec in registry.checkpoints.values():
        run = cells.get(spec.id)
        if spec.manual:
            outcomes[spec.id] = manual.get(spec.id, MANUAL_EMPTY)
        elif run is not None and run.status == "error" and run.ename in FAILED_CHECK:
            outcomes[spec.id] = checkpoint_outcome([Verdict(0.0, Reason("reason.failed_in_kernel"))], CellEnd("ok"))
        else:
            end = cell_end(run)
            outcomes[spec.id] = checkpoint_outcome([MATCH] if end.state == "ok" else [], end)
    return outcomes


def worked_answers_of(registry: Registry, sites: dict[str, list[CallSite]], expected: Expected,
                      asks: dict[str, str]) -> dict[str, list[dict]]:
    """The worked answer of every routing checkpoint: each ask's text, accepted roles and why."""
    answers = {}
    for spec in registry.checkpoints.values():
        routing_sites = {site.site for site in sites.get(spec.id, []) if site.kind == "routing"}
        keys = [value for site, value in expected.get(spec.id, []) if site in routing_sites]
        if keys:
            answers[spec.id] = [answer | {"text": asks.get(answer["ask"], "")} for answer in worked_answers(keys[0])]
    return answers

