"""The report model every front door shares: one result per checkpoint, one report per submission.

Its JSON keys are the contract of ``../shared/GRADING.md``; more keys may be added, none renamed.
Every text a learner reads in a report is made here, from the registry and the label table, in
the report's language; nothing learner-controlled reaches it but what :func:`safe_text` lets by.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from coursekit.labels import reason_text
from coursekit.registry import CheckpointSpec
from coursekit.verdicts import Outcome, Status

#: The statuses a checkpoint can have, as GRADING.md names them.
STATUSES = tuple(status.value for status in Status)
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def safe_text(text: str, limit: int = 2000) -> str:
    """``text`` without control characters, escape sequences or lone surrogates, at most ``limit`` long."""
    return _UNSAFE.sub("", str(text))[:limit]


@dataclass
class CheckpointResult:
    """The verdict on one checkpoint, with the texts a learner reads about it."""

    id: str
    kind: str
    status: str
    points: float
    max_points: float
    hidden: bool
    title: str
    expected: str
    hint: str
    detail: str = ""
    #: The label key of why it did not pass ("" when it passed), for statistics.
    reason: str = ""
    #: The builtin exception type the learner's code raised, if that is why.
    error_type: str = ""
    #: The worked answer (communication checkpoints, only when the instructor shows answers).
    answers: list[dict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.status == Status.PASSED

    @classmethod
    def of(cls, spec: CheckpointSpec, outcome: Outcome, lang: str, translate: Callable[[str], str] | None = None) -> "CheckpointResult":
        """The result of checkpoint ``spec`` with ``outcome``, its texts in ``lang``."""
        reasons = [reason for reason in (outcome.reason, *outcome.notes) if reason is not None]
        return cls(
            id=spec.id, kind=spec.kind, status=outcome.status.value, points=round(spec.points * outcome.fraction, 2),
            max_points=spec.points, hidden=spec.hidden, title=spec.text("title", lang), expected=spec.text("expected", lang),
            hint=spec.text("hint", lang), detail=safe_text(" ".join(reason_text(r, lang, translate) for r in reasons)),
            reason=outcome.reason.key if outcome.reason else "", error_type=outcome.error_type,
        )

    def to_dict(self) -> dict:
        return {"passed": self.passed, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict) -> "CheckpointResult":
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})


@dataclass
class Report:
    """The grade of one submission of one assignment."""

    assignment: str
    assignment_title: str
    learner: str
    checkpoints: list[CheckpointResult]
    lang: str = "en"
    notes: list[str] = field(default_factory=list)
    #: Why the submission could not be graded at all ("" when it was graded).
    error: str = ""
    #: Where learner code ran: "bubblewrap" (isolated), "rlimits" (resource limits only).
    sandbox: str = ""
    #: Seconds spent: "cells" running the notebook's cells, "total" grading it end to end.
    timing: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checkpoints), 2)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checkpoints), 2)

    @property
    def pending(self) -> float:
        """Points of written answers still waiting for the instructor's grade."""
        return round(sum(c.max_points for c in self.checkpoints if c.status == Status.MANUAL), 2)

    def missed(self, kind: str | None = None) -> list[CheckpointResult]:
        """Checkpoints neither passed nor waiting for the instructor, business before technical."""
        misses = [c for c in self.checkpoints if c.status not in (Status.PASSED, Status.MANUAL) and kind in (None, c.kind)]
        return sorted(misses, key=lambda c: c.kind != "business")

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        """The report a ``to_dict()`` (or a JSON report file) describes."""
        return cls(
            assignment=data["assignment"],
            assignment_title=data.get("assignment_title", data["assignment"]),
            learner=data["learner"],
            checkpoints=[CheckpointResult.from_dict(c) for c in data["checkpoints"]],
            lang=data.get("lang", "en"),
            notes=list(data.get("notes", [])),
            error=data.get("error", ""),
            sandbox=data.get("sandbox", ""),
            timing=dict(data.get("timing", {})),
        )

    def to_dict(self) -> dict:
        return {
            "assignment": self.assignment,
            "assignment_title": self.assignment_title,
            "learner": self.learner,
            "score": self.score,
            "max_score": self.max_score,
            "pending": self.pending,
            "lang": self.lang,
            "notes": list(self.notes),
            "error": self.error,
            "sandbox": self.sandbox,
            "timing": dict(self.timing),
            "checkpoints": [c.to_dict() for c in self.checkpoints],
        }
