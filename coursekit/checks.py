"""The checks a graded test cell runs: ``check = Checkpoint("bu.daily_value")``, then
``check.close(daily_value(...), 162_000.0, "the daily value of scenario A")``.

Every check turns both sides into plain data (:mod:`coursekit.plain`) and judges them with the
same table the grader uses (:data:`coursekit.compare.CHECKS`). In the learner's kernel (the
self-check, plain nbgrader) a failed check raises :class:`CheckpointFailed`, whose message says
what was checked and how it differs, never the expected value.

When the grader runs a notebook, it rewrites each check into :func:`record`: the learner's
kernel then only records the learner's side as plain data, and the verdict is reached in the
grader's own process against the reference solution's side.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coursekit import compare
from coursekit.plain import NotPlainError, to_plain
from coursekit.registry import load_registry

#: MIME type of the note a partial-credit check leaves in the cell's output.
SCORE_MIME = "application/vnd.coursekit.score+json"
#: MIME type of a value recorded for the grader.
RECORD_MIME = "application/vnd.coursekit.record+json"


class CheckpointFailed(AssertionError):
    """A check of a graded cell did not hold: the learner's value is not the expected one."""


class Checkpoint:
    """The checks of one graded test cell; the cell's nbgrader ``grade_id`` is ``checkpoint_id``."""

    def __init__(self, checkpoint_id: str) -> None:
        self.id = checkpoint_id
        self.score = 1.0

    def _plain(self, value: Any, what: str) -> Any:
        try:
            return to_plain(value)
        except NotPlainError as error:
            raise CheckpointFailed(f"[{self.id}] {what}: a {error} cannot be checked; return plain values, lists, dicts or pandas objects.") from None

    def _check(self, kind: str, actual: Any, expected: Any, what: str, **options: Any) -> None:
        check = compare.CHECKS[kind]
        plain_expected = self._plain(expected, "the expected value") if check.takes_expected else None
        verdict = check.verdict(self._plain(actual, what), plain_expected, what, {k: to_plain(v) for k, v in options.items()})
        if not verdict.attempted:
            raise NotImplementedError(f"{verdict.reason}: fill it in.")
        if verdict.score < 1.0 and kind == "overlap":
            self.score = min(self.score, verdict.score)
            _show_score(self.id, verdict)
        elif not verdict.ok:
            raise CheckpointFailed(f"[{self.id}] {verdict.reason}.")

    def close(self, actual: Any, expected: Any, what: str, *, rtol: float = 1e-6, atol: float = 1e-9) -> None:
        """Numbers (alone or inside lists, dicts, Series, DataFrames) within a tolerance."""
        self._check("close", actual, expected, what, rtol=rtol, atol=atol)

    def equal(self, actual: Any, expected: Any, what: str) -> None:
        """Exactly the expected plain value."""
        self._check("equal", actual, expected, what)

    def one_of(self, actual: Any, allowed: Any, what: str) -> None:
        """``actual`` is in the set ``allowed``; or each value of a dict is in the set under its key."""
        self._check("one_of", actual, allowed, what)

    def at_least(self, actual: Any, bound: float, what: str) -> None:
        """A number no lower than ``bound`` (a score floor, judged in the grader)."""
        self._check("at_least", actual, bound, what)

    def at_most(self, actual: Any, bound: float, what: str) -> None:
        """A number no higher than ``bound`` (an error or latency ceiling, judged in the grader)."""
        self._check("at_most", actual, bound, what)

    def true(self, condition: Any, what: str) -> None:
        """``condition`` must be the plain value ``True``. Weakest check: the learner's kernel computes it."""
        self._check("true", condition, None, what)

    def answered(self, answer: Any, what: str) -> None:
        """An empty answer (``{}``, ``[]``, ``None``) means the exercise is not attempted yet."""
        self._check("answered", answer, None, what)

    def known_roles(self, answer: Any, what: str) -> None:
        """Every role and request type in a communication answer comes from the course vocabulary."""
        self._check("known_roles", answer, None, what)

    def overlap(self, answer: Any, key: Any, what: str, *, either: Any = ()) -> None:
        """Partial credit: how well a communication answer overlaps the key (see :func:`compare.overlap`).

        ``either`` lists groups of interchangeable roles. An empty answer counts as not attempted yet.
        """
        self._check("overlap", answer, key, what, either=[list(group) for group in either])

    def draws(self, axes: Any, values: Any, what: str, *, rtol: float = 1e-6, atol: float = 1e-9) -> None:
        """Some line drawn on the matplotlib ``axes`` has the y values ``values``."""
        self._check("draws", axes, values, what, rtol=rtol, atol=atol)

    def draws_level(self, axes: Any, level: float, what: str) -> None:
        """The matplotlib ``axes`` has a horizontal line at ``level``."""
        self._check("draws_level", axes, level, what)

    def labelled(self, axes: Any, what: str) -> None:
        """Both axes of the matplotlib ``axes`` have a label."""
        self._check("labelled", axes, None, what)

    def earned(self) -> float:
        """Points earned by this cell so far, for nbgrader's partial credit (the cell's last line)."""
        points = load_registry(Path.cwd()).checkpoints[self.id].points
        return round(points * self.score, 2)


def _display(text: str, mime: str, payload: dict) -> None:
    try:
        from IPython.display import display
    except ImportError:  # outside a kernel: plain text is all a reader gets
        print(text)
        return
    display({"text/plain": text, mime: json.loads(json.dumps(payload))}, raw=True)


def _show_score(checkpoint_id: str, verdict: compare.Verdict) -> None:
    lines = [f"{checkpoint_id}: {verdict.score:.0%} of the expected answer."] + verdict.notes
    _display("\n".join(lines), SCORE_MIME, {"id": checkpoint_id, "score": verdict.score, "notes": verdict.notes})


def record(checkpoint_id: str, site: int, *values: Any) -> None:
    """Record plain values of check number ``site`` of a checkpoint for the grader to judge.

    A value that has no plain form is recorded as such (and judged a miss), not raised.
    """
    plain = []
    for value in values:
        try:
            plain.append(to_plain(value))
        except NotPlainError as error:
            plain.append({"__unplain__": str(error)})
    _display(f"{checkpoint_id}: check {site} recorded", RECORD_MIME, {"checkpoint": checkpoint_id, "site": site, "values": plain})
