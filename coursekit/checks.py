"""The checks a graded test cell makes: ``check = Checkpoint("bu.daily_value")``, then
``check.close(daily_value(...), 162_000.0, "the daily value of scenario A")``.

This is the in-kernel form, used where the checks run in the learner's own kernel: plain
``nbgrader autograde`` and ``check_checkpoint()`` / ``check_all()`` in a notebook. Every check
turns its values into plain data (:mod:`coursekit.plain`) and judges them with the same table the
grader uses (:data:`coursekit.compare.CHECKS`); a check that does not hold raises
:class:`CheckpointFailed`, whose message says what was checked and how it differs, never the
expected value.

When the grader runs a notebook it rewrites every check into :func:`coursekit.record.record`:
the kernel then only records values, and the verdict is reached in the grader's own process.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from coursekit import compare
from coursekit.labels import reason_text
from coursekit.localized import describer, metadata_beside, notebook_language
from coursekit.plain import NotPlainError, to_plain
from coursekit.registry import load_registry
from coursekit.verdicts import Reason, Verdict


class CheckpointFailed(AssertionError):
    """A check of a graded cell did not hold: the learner's value is not the expected one."""


class Checkpoint:
    """The checks of one graded test cell; the cell's nbgrader ``grade_id`` is ``checkpoint_id``.

    ``strict`` (the default) raises on the first check that does not hold, as nbgrader needs;
    ``check_checkpoint()`` collects every verdict instead. ``verdicts`` keeps them in order.
    """

    #: Language of the messages of failed checks (``coursekit.set_language`` sets it); ``None``: the
    #: language of the assignment notebook in the kernel's folder (English, or its release's).
    language: str | None = None

    def __init__(self, checkpoint_id: str, *, strict: bool = True) -> None:
        self.id = checkpoint_id
        self.strict = strict
        self.verdicts: list[Verdict] = []
        self._started = time.perf_counter()

    def _check(self, kind: str, values: list, expected: Any, what: str, **options: Any) -> None:
        check = compare.CHECKS[kind]
        actual = [_plain_or_marker(value) for value in values]
        if any(value is _Unplain for value in actual):
            verdict = Verdict(0.0, Reason("reason.unplain", {"where": what}))
        else:
            plain_expected = to_plain(expected) if check.takes_expected else None
            seconds = time.perf_counter() - self._started if check.measured else None
            verdict = check.verdict(actual, plain_expected, what, {k: to_plain(v) for k, v in options.items()}, seconds)
        self.verdicts.append(verdict)
        if not self.strict:
            return
        if not verdict.attempted:
            raise NotImplementedError(self._message(verdict.reason))
        if verdict.partial and verdict.score < 1.0:
            print(f"{self.id}: {self._message(verdict.reason)}", *(self._message(n) for n in verdict.notes), sep="\n")
        elif not verdict.ok:
            raise CheckpointFailed(f"[{self.id}] {self._message(verdict.reason)}")

    def _message(self, reason: Reason) -> str:
        """``reason`` in the set language, else in the notebook's, with its own check descriptions."""
        metadata = metadata_beside(Path.cwd())
        lang = self.language or notebook_language(metadata)
        return reason_text(reason, lang, describer(metadata, self.id) if notebook_language(metadata) == lang else None)

    def close(self, actual: Any, expected: Any, what: str, *, rtol: float = 1e-6, atol: float = 1e-9) -> None:
        """Numbers (alone or inside lists, dicts, Series, DataFrames) within a tolerance."""
        self._check("close", [actual], expected, what, rtol=rtol, atol=atol)

    def equal(self, actual: Any, expected: Any, what: str) -> None:
        """Exactly the expected plain value."""
        self._check("equal", [actual], expected, what)

    def one_of(self, actual: Any, allowed: Any, what: str) -> None:
        """``actual`` is in the set ``allowed``; or each value of a dict is in the set under its key."""
        self._check("one_of", [actual], allowed, what)

    def at_least(self, actual: Any, bound: float, what: str) -> None:
        """A number no lower than ``bound`` (a floor, judged in the grader)."""
        self._check("at_least", [actual], bound, what)

    def words_at_least(self, texts: Any, bound: int, what: str) -> None:
        """Each text (one, or a list) has at least ``bound`` words, English or Japanese, counted by the
        checker (:func:`coursekit.compare.count_words`)."""
        self._check("words_at_least", [texts], bound, what)

    def at_most(self, actual: Any, bound: float, what: str) -> None:
        """A number no higher than ``bound`` (a ceiling, judged in the grader)."""
        self._check("at_most", [actual], bound, what)

    def true(self, condition: Any, what: str) -> None:
        """``condition`` must be the plain value ``True``. Weakest check: the learner's kernel computes it."""
        self._check("true", [condition], None, what)

    def answered(self, answer: Any, what: str) -> None:
        """An empty answer (``{}``, ``[]``, ``None``) means the exercise is not attempted yet."""
        self._check("answered", [answer], None, what)

    def known_roles(self, answer: Any, what: str) -> None:
        """Every role and request type in a communication answer comes from the course vocabulary."""
        self._check("known_roles", [answer], None, what)

    def overlap(self, answer: Any, key: Any, what: str, *, either: Any = ()) -> None:
        """Partial credit: how well a communication answer overlaps the key (see :func:`compare.overlap`).

        ``either`` lists groups of interchangeable roles. An empty answer counts as not attempted yet.
        """
        self._check("overlap", [answer], key, what, either=[list(group) for group in either])

    def routing(self, routing: Any, key: Any, what: str) -> None:
        """Partial credit per ask: ``routing`` (ask id -> role or None) against ``key`` (see :func:`compare.routing`)."""
        self._check("routing", [routing], key, what)

    def draws(self, axes: Any, values: Any, what: str, *, rtol: float = 1e-6, atol: float = 1e-9) -> None:
        """Some line drawn on the matplotlib ``axes`` has the y values ``values``."""
        self._check("draws", [axes], values, what, rtol=rtol, atol=atol)

    def draws_level(self, axes: Any, level: float, what: str) -> None:
        """The matplotlib ``axes`` has a horizontal line at ``level``."""
        self._check("draws_level", [axes], level, what)

    def labelled(self, axes: Any, what: str) -> None:
        """Both axes of the matplotlib ``axes`` have a label."""
        self._check("labelled", [axes], None, what)

    def same(self, value: Any, other: Any, what: str, *, rtol: float = 1e-6, atol: float = 1e-9) -> None:
        """A property of the learner's own output: ``value`` matches ``other`` (both the learner's)."""
        self._check("same", [value, other], None, what, rtol=rtol, atol=atol)

    def metric(self, predictions: Any, truth: Any, what: str, *, metric: str, at_least: float | None = None,
               at_most: float | None = None) -> None:
        """The ``metric`` of ``predictions`` against ``truth`` within the bound(s), computed by the checker
        (in the grader, from the recorded predictions), never by the learner's code."""
        self._check("metric", [predictions], truth, what, metric=metric, at_least=at_least, at_most=at_most)

    def cell_seconds_at_most(self, bound: float, what: str) -> None:
        """This test cell has run at most ``bound`` seconds so far (the grader measures the whole cell)."""
        self._check("cell_seconds_at_most", [], bound, what)

    def earned(self) -> float:
        """Points earned by this cell, for nbgrader's partial credit (the cell's last line)."""
        points = load_registry(Path.cwd()).checkpoints[self.id].points
        score = min([v.score for v in self.verdicts if v.partial] or [1.0])
        return round(points * score, 2)


_Unplain = object()  # stands for a learner value that has no plain form


def _plain_or_marker(value: Any) -> Any:
    try:
        return to_plain(value)
    except NotPlainError:
        return _Unplain


def set_message_language(lang: str) -> None:
    """Write the messages of failed checks in ``lang`` (checked by the caller)."""
    Checkpoint.language = lang
