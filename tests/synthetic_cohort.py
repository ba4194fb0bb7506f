"""Synthetic cohort reports for the summary's tests: the course's real checkpoints, made-up learners.

Each learner has an ability; a checkpoint is passed with a probability that grows with it, so
discrimination is positive on the whole. Two checkpoints are planted to look dubious: one that
the weaker learners pass (negative discrimination) and one whose misses are mostly a KeyError.
"""
from __future__ import annotations

import random

from autograder.course import Course

#: (assignment, checkpoint) planted to be passed by the weaker learners only.
INVERTED = ("02_analyze", "an.iqr_fence")
#: (assignment, checkpoint) planted to fail with a KeyError for most who miss it.
KEYERROR = ("04_preprocess", "pp.unseen_category")


def synthetic_reports(course: Course, learners: int, seed: int = 18) -> list[dict]:
    """Reports (as written to ``<out>/<learner>/<assignment>.json``) of ``learners`` made-up learners
    over every assignment of ``course``; about 3 % of the submissions are missing."""
    rng = random.Random(seed)
    registries = [assignment.registry() for assignment in course.assignments()]
    reports = []
    for index in range(learners):
        learner, ability = f"learner{index:03d}", rng.random()
        for registry in registries:
            if learners > 1 and rng.random() < 0.03:
                continue
            results = []
            for spec in registry.checkpoints.values():
                key = (registry.assignment, spec.id)
                chance = 1.0 - ability if key == INVERTED else 0.15 + 0.8 * ability
                error_type, draw = "", rng.random()
                if draw < 0.04:
                    status, fraction = "not_attempted", 0.0
                elif rng.random() < chance:
                    status, fraction = "passed", 1.0
                elif key == KEYERROR or draw < 0.12:
                    status, fraction, error_type = "error", 0.0, "KeyError" if key == KEYERROR else rng.choice(["TypeError", "ValueError"])
                else:
                    status, fraction = "failed", rng.choice([0.0, 0.0, 0.5])
                results.append({
                    "id": spec.id, "kind": spec.kind, "status": status, "passed": status == "passed",
                    "points": round(spec.points * fraction, 2), "max_points": spec.points, "hidden": spec.hidden,
                    "title": spec.text("title"), "expected": spec.text("expected"), "hint": spec.text("hint"),
                    "detail": "", "error_type": error_type,
                })
            reports.append({
                "assignment": registry.assignment, "assignment_title": registry.title(), "learner": learner,
                "score": round(sum(c["points"] for c in results), 2), "max_score": registry.max_score,
                "lang": "en", "notes": [], "error": "", "checkpoints": results,
            })
    return reports
