"""Item statistics of a cohort, computed from its reports: which checkpoints are hard, which
separate learners who understood from those who did not, which look broken.

The two indices are those of classical test theory as Moodle's quiz statistics compute them
(see the README): a checkpoint's **facility** is the mean share of its points the learners
earned; its **discrimination** is the Pearson correlation, over the learners, between their share
of this checkpoint and their share of the rest of the assignment's points.

Only what a report says is used (the dicts written to ``<out>/<learner>/<assignment>.json``).
A submission that could not be graded at all (its report has an ``error``) says nothing about any
checkpoint and is left out; a ``manual`` result is waiting for the instructor's grade and counts
in its status column only.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from autograder.report import STATUSES
from coursekit.verdicts import BUILTIN_ERRORS

#: The status columns of ``checkpoints.csv``: the report's statuses, and ``manual`` for a written
#: answer waiting for the instructor's grade.
STATUS_COLUMNS = (*STATUSES, *(s for s in ("manual",) if s not in STATUSES))
#: A result with this status has no grade yet: it takes no part in facility or discrimination.
PENDING = "manual"
#: Misses whose cause can be a bug or an unclear instruction rather than a wrong answer.
_BROKEN = ("error", "timeout", "crashed")

#: Flags, and how much evidence each needs before it is raised. A negative discrimination is
#: flagged over at least this many learners, and only when it is beyond what chance gives a
#: checkpoint unrelated to the rest: Fisher's z of r, atanh(r)·√(n−3), below −2 (about one cohort in
#: 44 when there is no relation; r < −0.58 for 12 learners, −0.28 for 50, −0.09 for 500).
NEGATIVE_DISCRIMINATION_MIN_LEARNERS = 10
NEGATIVE_DISCRIMINATION_Z = 2.0
SAME_CAUSE_MIN_MISSES = 3
NOBODY_EARNED_MIN_ATTEMPTS = 5


@dataclass(frozen=True)
class Flag:
    """Why a checkpoint looks dubious: a ``code`` the label table words, and the numbers it quotes."""

    code: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckpointStats:
    """What a cohort's reports say about one checkpoint."""

    assignment: str
    id: str
    kind: str
    title: str
    #: Learners with a graded report of the assignment that has this checkpoint.
    learners: int
    #: Mean share of the checkpoint's points over the learners who have a grade for it; None if none has.
    facility: float | None
    #: Pearson r of this checkpoint's share against the rest of the assignment's; None where undefined.
    discrimination: float | None
    #: How many learners' results had each status of :data:`STATUS_COLUMNS`.
    statuses: dict[str, int]
    #: The builtin exception raised most often in this checkpoint's ``error`` results ("" if none was).
    common_error: str
    common_error_count: int
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class Area:
    """One learner's points in one area: the business or the technical checkpoints of one assignment."""

    assignment: str
    kind: str
    points: float
    max_points: float

    @property
    def share(self) -> float:
        return self.points / self.max_points


@dataclass(frozen=True)
class AreaSummary:
    """One area over the cohort: its mean share, and for how many learners it is the weakest."""

    assignment: str
    kind: str
    learners: int
    mean_share: float
    weakest_for: int


def graded(reports: Iterable[dict]) -> list[dict]:
    """The reports of submissions that were graded (not those that could not be read or run at all)."""
    return [r for r in reports if not r.get("error")]


def share(result: dict) -> float:
    """The share of its points a checkpoint result earned (1.0 for a checkpoint worth nothing)."""
    return result["points"] / result["max_points"] if result["max_points"] else 1.0


def _scored(report: dict) -> list[dict]:
    return [c for c in report["checkpoints"] if c["status"] != PENDING]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r of two equally long samples; None when it is undefined (fewer than two pairs, or
    one sample has no spread at all)."""
    if len(xs) != len(ys):
        raise ValueError(f"pearson needs samples of one length, got {len(xs)} and {len(ys)}")
    if len(xs) < 2 or max(xs) - min(xs) < 1e-12 or max(ys) - min(ys) < 1e-12:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def error_name(result: dict) -> str:
    """The builtin exception (``KeyError``) a result's ``error_type`` names; "" for none, and for an
    exception class of the learner's own, whose name is learner-controlled text."""
    name = result.get("error_type", "")
    return name if name in BUILTIN_ERRORS else ""


def _broken_cause(result: dict) -> str:
    """What broke a result of :data:`_BROKEN`: the builtin exception of an error (``error`` if none is
    named), ``timeout`` or ``crashed``."""
    if result["status"] == "error":
        return error_name(result) or "error"
    return result["status"]


def clearly_negative(r: float | None, n: int) -> bool:
    """Whether a discrimination ``r`` over ``n`` learners is negative beyond chance (see the thresholds above)."""
    if r is None or r >= 0 or n < NEGATIVE_DISCRIMINATION_MIN_LEARNERS:
        return False
    return r <= -1.0 or math.atanh(r) * math.sqrt(n - 3) < -NEGATIVE_DISCRIMINATION_Z


def _flags(pairs: int, discrimination: float | None, results: list[dict]) -> tuple[Flag, ...]:
    flags = []
    if clearly_negative(discrimination, pairs):
        flags.append(Flag("negative_discrimination", {"r": discrimination, "learners": pairs}))
    misses = [c for c in results if c["status"] in ("failed", *_BROKEN)]
    causes = Counter(_broken_cause(c) for c in misses if c["status"] in _BROKEN)
    if len(misses) >= SAME_CAUSE_MIN_MISSES and causes:
        cause, count = causes.most_common(1)[0]
        if count * 2 > len(misses):
            flags.append(Flag("same_cause", {"cause": cause, "count": count, "misses": len(misses)}))
    attempted = [c for c in results if c["status"] not in ("not_attempted", PENDING)]
    if len(attempted) >= NOBODY_EARNED_MIN_ATTEMPTS and not any(c["points"] > 0 for c in attempted):
        flags.append(Flag("nobody_earned", {"attempted": len(attempted)}))
    return tuple(flags)


def checkpoint_stats(reports: Iterable[dict]) -> list[CheckpointStats]:
    """One :class:`CheckpointStats` per checkpoint, by assignment and in the notebook's order."""
    by_assignment: dict[str, list[dict]] = defaultdict(list)
    for report in graded(reports):
        by_assignment[report["assignment"]].append(report)
    rows = []
    for assignment in sorted(by_assignment):
        reports_of = by_assignment[assignment]
        order = list(dict.fromkeys(c["id"] for r in reports_of for c in r["checkpoints"]))
        by_id = [{c["id"]: c for c in r["checkpoints"]} for r in reports_of]
        totals = [(sum(c["points"] for c in _scored(r)), sum(c["max_points"] for c in _scored(r))) for r in reports_of]
        for cid in order:
            results, pairs = [], []
            for own, (points, max_points) in zip(by_id, totals):
                result = own.get(cid)
                if result is None:
                    continue
                results.append(result)
                rest_max = max_points - result["max_points"]
                if result["status"] != PENDING and rest_max > 0:
                    pairs.append((share(result), (points - result["points"]) / rest_max))
            scored = [share(c) for c in results if c["status"] != PENDING]
            discrimination = pearson([x for x, _ in pairs], [y for _, y in pairs])
            errors = Counter(error_name(c) for c in results if c["status"] == "error")
            errors.pop("", None)
            common_error, common_count = errors.most_common(1)[0] if errors else ("", 0)
            statuses = Counter(c["status"] for c in results)
            rows.append(CheckpointStats(
                assignment=assignment, id=cid, kind=results[0]["kind"], title=results[0]["title"],
                learners=len(results), facility=sum(scored) / len(scored) if scored else None,
                discrimination=discrimination, statuses={s: statuses.get(s, 0) for s in STATUS_COLUMNS},
                common_error=common_error, common_error_count=common_count,
                flags=_flags(len(pairs), discrimination, results),
            ))
    return rows


def learner_areas(reports: Iterable[dict]) -> dict[str, list[Area]]:
    """Each learner's areas (assignment × kind, graded submissions only, manual results waiting left out)."""
    points: dict[str, dict[tuple[str, str], list[float]]] = defaultdict(dict)
    for report in graded(reports):
        for c in _scored(report):
            if c["max_points"] > 0:
                total = points[report["learner"]].setdefault((report["assignment"], c["kind"]), [0.0, 0.0])
                total[0] += c["points"]
                total[1] += c["max_points"]
    return {learner: [Area(a, kind, p, m) for (a, kind), (p, m) in sorted(areas.items())] for learner, areas in points.items()}


def weakest(areas: list[Area]) -> Area | None:
    """The area with the lowest share of its points; of equals, the one missing the most points, then the
    first in course order. None when there is no area."""
    return min(areas, key=lambda a: (a.share, -(a.max_points - a.points)), default=None)


def area_summaries(reports: Iterable[dict]) -> list[AreaSummary]:
    """Every area of the cohort, in course order, with its mean share over the learners and how many
    learners have it as their weakest (learners who earned every point have none)."""
    areas = learner_areas(reports)
    shares: dict[tuple[str, str], list[float]] = defaultdict(list)
    weakest_for: Counter = Counter()
    for own in areas.values():
        for area in own:
            shares[(area.assignment, area.kind)].append(area.share)
        low = weakest(own)
        if low is not None and low.share < 1.0:
            weakest_for[(low.assignment, low.kind)] += 1
    return [AreaSummary(a, kind, len(values), sum(values) / len(values), weakest_for[(a, kind)])
            for (a, kind), values in sorted(shares.items())]
