"""The report model every front door shares: one result per checkpoint, one report per submission.

Its JSON keys are the contract of ``../shared/GRADING.md``; more keys may be added, none renamed.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: The statuses a checkpoint can have, as GRADING.md names them.
STATUSES = ("passed", "failed", "error", "not_attempted", "timeout", "crashed")


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

    @property
    def passed(self) -> bool:
        return self.status == "passed"

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
    #: About the submission (a test cell that had to be restored, one that was not graded).
    notes: list[str] = field(default_factory=list)
    #: Why the submission could not be graded at all ("" when it was graded).
    error: str = ""
    #: Where learner code ran: "bubblewrap" (isolated), "rlimits" (resource limits only).
    sandbox: str = ""
    #: Seconds spent: "cells" running the notebook's cells, "total" grading it end to end.
    timing: dict[str, float] = field(default_factory=dict)
    #: About the grading itself, not the submission (learner code ran without bubblewrap's isolation).
    warnings: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checkpoints), 2)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checkpoints), 2)

    def missed(self, kind: str | None = None) -> list[CheckpointResult]:
        """Checkpoints not passed, business before technical, in notebook order within a kind."""
        misses = [c for c in self.checkpoints if not c.passed and kind in (None, c.kind)]
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
            warnings=list(data.get("warnings", [])),
        )

    def to_dict(self) -> dict:
        return {
            "assignment": self.assignment,
            "assignment_title": self.assignment_title,
            "learner": self.learner,
            "score": self.score,
            "max_score": self.max_score,
            "lang": self.lang,
            "notes": list(self.notes),
            "error": self.error,
            "sandbox": self.sandbox,
            "timing": dict(self.timing),
            "warnings": list(self.warnings),
            "checkpoints": [c.to_dict() for c in self.checkpoints],
        }
