"""The record format: what a graded kernel sends the grader for one check, and nothing else.

When the grader runs a notebook it rewrites each check of a test cell into a call of
:func:`record` (see ``autograder/recording.py``): the kernel sends the learner's side of the
check as plain data, and the verdict is reached in the grader's own process. In the reference
run the expected side is recorded too. Both sides build and read records only through this
module: :meth:`Record.payload` in the kernel, :meth:`Record.parse` in the grader, which treats
every payload as untrusted input (the learner's code can display anything under this MIME type).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from coursekit.plain import NotPlainError, PlainData, PlainLimits, check_plain, to_plain

#: MIME type of a record in a kernel's ``display_data`` output.
RECORD_MIME = "application/vnd.coursekit.record+json"
#: The fields of a record's payload; ``expected`` only in the reference run.
_FIELDS = {"checkpoint", "site", "actual"}
_UNPLAIN = "__unplain__"


class RecordError(ValueError):
    """A payload that is not a well-formed record (forged, damaged, or too large)."""


@dataclass(frozen=True)
class Record:
    """One check's values: check number ``site`` of checkpoint ``checkpoint``.

    ``actual`` holds the learner-side arguments of the check (one for most kinds, two for
    ``check.same``, none for a measured check); ``expected`` the expected side, present only when
    the reference solution ran (``has_expected``).
    """

    checkpoint: str
    site: int
    actual: tuple[PlainData, ...]
    expected: PlainData = None
    has_expected: bool = field(default=False)

    def payload(self) -> dict:
        """The JSON payload the kernel displays."""
        payload = {"checkpoint": self.checkpoint, "site": self.site, "actual": list(self.actual)}
        if self.has_expected:
            payload["expected"] = self.expected
        return payload

    @classmethod
    def parse(cls, payload: Any, limits: PlainLimits = PlainLimits()) -> "Record":
        """The record a payload describes, or :class:`RecordError` for anything else."""
        if not isinstance(payload, dict) or not (_FIELDS <= set(payload) <= _FIELDS | {"expected"}):
            raise RecordError("not a record")
        checkpoint, site, actual = payload["checkpoint"], payload["site"], payload["actual"]
        if not isinstance(checkpoint, str) or len(checkpoint) > 64 or type(site) is not int or not 0 <= site < 10_000:
            raise RecordError("a record names its checkpoint and check site")
        if not isinstance(actual, list) or len(actual) > 2:
            raise RecordError("a record holds at most two learner-side values")
        try:
            values = [check_plain(value, limits) for value in actual]
            expected = check_plain(payload.get("expected"), limits)
        except NotPlainError as error:
            raise RecordError(f"a recorded value is not plain data ({error})") from None
        return cls(checkpoint, site, tuple(values), expected, "expected" in payload)

    @property
    def unplain(self) -> bool:
        """Whether a learner-side value had no plain form (a custom object, a function, ...)."""
        return any(isinstance(value, dict) and _UNPLAIN in value for value in self.actual)


def _plain_or_marker(value: Any) -> PlainData:
    try:
        return to_plain(value)
    except NotPlainError as error:
        return {_UNPLAIN: str(error)[:100]}


def record(checkpoint_id: str, site: int, actual: list, *expected: Any) -> None:
    """Record check number ``site`` of ``checkpoint_id`` for the grader: the learner-side
    ``actual`` values and, in the reference run, the expected side.

    A value that has no plain form is recorded as such (and judged a miss), never raised.
    """
    from IPython.display import display  # only ever called in a kernel

    plain = Record(checkpoint_id, site, tuple(_plain_or_marker(v) for v in actual),
                   _plain_or_marker(expected[0]) if expected else None, bool(expected))
    text = f"{checkpoint_id}: check {site} recorded"
    display({"text/plain": text, RECORD_MIME: json.loads(json.dumps(plain.payload()))}, raw=True)
