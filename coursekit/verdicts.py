"""The verdict vocabulary: how a check and a checkpoint can end, and the one rule that turns the
checks of a test cell into its checkpoint's outcome.

Every front door decides through :func:`checkpoint_outcome`: the grader (checks judged in its own
process from recorded values), the learner's ``pytest`` self-check (the same) and the in-notebook
``check_checkpoint`` / ``check_all`` (checks judged in the kernel). A verdict carries a
:class:`Reason` — a key of the label table (:mod:`coursekit.labels`) and its parameters — never
prose, so no code ever parses a message and every language renders the same reason.

The rule fails closed: a checkpoint passes only when at least one of its checks was judged and
every judged check held, and the cell ended normally.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """What happened to one checkpoint (the ``status`` of a report, GRADING.md)."""

    PASSED = "passed"
    FAILED = "failed"  # a check did not hold
    ERROR = "error"  # the learner's code raised, or the cell recorded nothing
    NOT_ATTEMPTED = "not_attempted"  # the stub still raises NotImplementedError, or the answer is empty
    TIMEOUT = "timeout"
    CRASHED = "crashed"  # the kernel died, the cell never ran, or the kit itself failed
    MANUAL = "manual"  # a written answer waiting for the instructor's grade


@dataclass(frozen=True)
class Reason:
    """Why something did not pass: a label-table key (``reason.positions``) and its parameters.

    Parameters are numbers, course-written descriptions (``where``) and short vocabulary names;
    never learner-controlled free text and never an expected value.
    """

    key: str
    params: Mapping[str, str | int | float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"key": self.key, "params": dict(self.params)}


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: ``score`` 1.0 for a match, a fraction for partial credit.

    ``attempted`` is False when the learner's value says the exercise was not attempted yet;
    ``partial`` marks a partial-credit check (a communication answer), whose low score lowers the
    checkpoint's points instead of failing it outright.
    """

    score: float
    reason: Reason | None = None
    notes: tuple[Reason, ...] = ()
    attempted: bool = True
    partial: bool = False

    @property
    def ok(self) -> bool:
        return self.score >= 1.0


MATCH = Verdict(1.0)


def miss(key: str, **params: str | int | float) -> Verdict:
    """A check that did not hold, for the reason ``key``."""
    return Verdict(0.0, Reason(key, params))


@dataclass(frozen=True)
class CellEnd:
    """How a test cell's run ended: ``ok``, ``error`` (with the exception's type name),
    ``timeout``, ``crashed`` (the kernel died), or ``not_run``."""

    state: str
    error_type: str = ""


@dataclass(frozen=True)
class Outcome:
    """A checkpoint's status, the share of its points earned, and why (``None`` when it passed)."""

    status: Status
    fraction: float = 0.0
    reason: Reason | None = None
    notes: tuple[Reason, ...] = ()
    error_type: str = ""


PASSED = Outcome(Status.PASSED, 1.0)
NEVER_RAN = Outcome(Status.CRASHED, reason=Reason("reason.never_ran"))


def stopped(end: CellEnd) -> Outcome:
    """The outcome of a test cell that stopped before its checks were all made."""
    if end.state == "not_run":
        return NEVER_RAN
    if end.state == "timeout":
        return Outcome(Status.TIMEOUT, reason=Reason("reason.timeout"))
    if end.state == "crashed":
        return Outcome(Status.CRASHED, reason=Reason("reason.kernel_died"))
    if end.error_type == "NotImplementedError":
        return Outcome(Status.NOT_ATTEMPTED, reason=Reason("reason.not_implemented"), error_type=end.error_type)
    if end.error_type == "MemoryError":
        return Outcome(Status.ERROR, reason=Reason("reason.out_of_memory"), error_type=end.error_type)
    if end.state == "error":
        return Outcome(Status.ERROR, reason=Reason("reason.raised", {"error": end.error_type}), error_type=end.error_type)
    return Outcome(Status.ERROR, reason=Reason("reason.checks_missing"))


def checkpoint_outcome(verdicts: Iterable[Verdict | None], end: CellEnd) -> Outcome:
    """The outcome of one checkpoint from its checks, in the order its test cell makes them.

    ``None`` stands for a check the cell had to make but did not (the grader knows how many the
    reference solution made). The first check that did not hold decides; then a cell that did not
    end normally decides; then a cell that judged nothing is an error; then partial credit.
    """
    if end.state == "not_run":
        return NEVER_RAN
    score, notes, judged = 1.0, [], 0
    for verdict in verdicts:
        if verdict is None:
            return stopped(end)
        judged += 1
        if not verdict.attempted:
            return Outcome(Status.NOT_ATTEMPTED, reason=verdict.reason or Reason("reason.not_implemented"))
        if verdict.partial:
            score, notes = min(score, verdict.score), notes + list(verdict.notes)
        elif not verdict.ok:
            return Outcome(Status.FAILED, reason=verdict.reason, notes=verdict.notes)
    if end.state != "ok":
        return stopped(end)
    if judged == 0:
        return Outcome(Status.ERROR, reason=Reason("reason.nothing_recorded"))
    if score < 1.0:
        return Outcome(Status.FAILED, max(0.0, score), Reason("reason.partly", {"share": round(100 * score)}), tuple(notes[:3]))
    return PASSED
