"""The checks a graded test cell runs: ``check = Checkpoint("bu.daily_value")``, then
``check.close(daily_value(...), 162_000.0, "the daily value of scenario A")``.

Every check turns both sides into plain data (:mod:`coursekit.plain`) and compares them with
:mod:`coursekit.compare`, so a test cell means the same thing under plain nbgrader, in the
learner's self-check and in the grader. A failed check raises :class:`CheckpointFailed` whose
message says what was checked and how it differs, never the expected value.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coursekit import compare
from coursekit.plain import NotPlainError, to_plain
from coursekit.registry import load_registry

#: MIME type of the note a partial-credit check leaves in the cell's output for the grader.
SCORE_MIME = "application/vnd.coursekit.score+json"


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

    def _require(self, verdict: compare.Verdict) -> None:
        if not verdict.ok:
            raise CheckpointFailed(f"[{self.id}] {verdict.reason}.")

    def close(self, actual: Any, expected: Any, what: str, *, rtol: float = 1e-6, atol: float = 1e-9) -> None:
        """Numbers (alone or inside lists, dicts, Series, DataFrames) within a tolerance."""
        self._require(compare.close(self._plain(actual, what), self._plain(expected, what), rtol=rtol, atol=atol, where=what))

    def equal(self, actual: Any, expected: Any, what: str) -> None:
        """Exactly the expected plain value."""
        self._require(compare.equal(self._plain(actual, what), self._plain(expected, what), where=what))

    def true(self, condition: Any, what: str) -> None:
        """``condition`` must be the plain value ``True`` (not merely truthy)."""
        self.equal(condition, True, what)

    def answered(self, answer: Any, what: str) -> None:
        """An empty answer (``{}``, ``[]``, ``None``) means the exercise is not attempted yet."""
        if answer is None or (hasattr(answer, "__len__") and len(answer) == 0):
            raise NotImplementedError(f"{what} is still empty: fill it in.")

    def known_roles(self, answer: Any, what: str) -> None:
        """Every role and request type in a communication answer comes from the course vocabulary."""
        notes = compare.vocabulary_notes(self._plain(answer, what), where=what)
        if notes:
            raise CheckpointFailed(f"[{self.id}] " + " ".join(notes))

    def overlap(self, answer: Any, key: Any, what: str, *, either: Any = ()) -> None:
        """Partial credit: how well a communication answer overlaps the key (see :func:`compare.overlap`).

        ``either`` lists groups of interchangeable roles. An empty answer counts as not attempted yet.
        """
        self.answered(answer, what)
        groups = [[str(role) for role in group] for group in either]
        verdict = compare.overlap(self._plain(answer, what), self._plain(key, "the key"), either=groups, where=what)
        self.score = min(self.score, verdict.score)
        _show_score(self.id, verdict)

    def earned(self) -> float:
        """Points earned by this cell so far, for nbgrader's partial credit (the cell's last line)."""
        points = load_registry(Path.cwd()).checkpoints[self.id].points
        return round(points * self.score, 2)


def _show_score(checkpoint_id: str, verdict: compare.Verdict) -> None:
    lines = [f"{checkpoint_id}: {verdict.score:.0%} of the expected answer."] + verdict.notes
    payload = {"id": checkpoint_id, "score": verdict.score, "notes": verdict.notes}
    try:
        from IPython.display import display
    except ImportError:  # outside a kernel: plain text is all a reader gets
        print("\n".join(lines))
        return
    display({"text/plain": "\n".join(lines), SCORE_MIME: json.loads(json.dumps(payload))}, raw=True)
