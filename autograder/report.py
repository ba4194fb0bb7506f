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


@dataclass
class Report:
    """The grade of one submission of one assignment."""

    assignment: str
    assignment_title: str
    learner: str
    checkpoints: list[CheckpointResult]
    lang: str = "en"
    notes: list[str] = field(default_factory=list)

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

    def to_dict(self) -> dict:
        return {
            "assignment": self.assignment,
            "assignment_title": self.assignment_title,
            "learner": self.learner,
            "score": self.score,
            "max_score": self.max_score,
            "lang": self.lang,
            "notes": list(self.notes),
            "checkpoints": [c.to_dict() for c in self.checkpoints],
        }
