"""Grade one cohort with ``autograder cohort`` and with ``nbgrader autograde``, same machine, same run.

    .venv/bin/python benchmarks/cohort_vs_nbgrader.py --learners 8 [--jobs 2]

The cohort is made from the course itself: per learner and assignment, the reference answers or
one typical mistake from the corpus. Prints the wall time of each grader, their ratio, the
autograder's own overhead per notebook (its time beyond running the notebook's cells, from a
serial pass), and whether every checkpoint's points agree.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.cohort import grade_cohort  # noqa: E402
from autograder.corpus import filled_notebook, load_mistakes, mistake_notebook  # noqa: E402
from autograder.course import Course  # noqa: E402
from autograder.grade import grade_notebook  # noqa: E402
from autograder.reference import reference_values  # noqa: E402
from autograder.sandbox import Sandbox  # noqa: E402
from autograder.zygote import kernel_zygote  # noqa: E402
from coursekit.registry import grade_id  # noqa: E402


def build_cohort(course: Course, submitted: Path, learners: int, assignments: list[str]) -> list[str]:
    mistakes = load_mistakes(ROOT / "tests" / "corpus" / "mistakes")
    for index in range(learners):
        for assignment in assignments:
            own = [m for m in mistakes if m.assignment == assignment]
            nb = filled_notebook(course, assignment) if index % 3 == 0 or not own else mistake_notebook(course, own[index % len(own)])
            folder = submitted / f"learner{index:02d}" / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
    return assignments


def nbgrader_autograde(course_dir: Path, assignments: list[str]) -> float:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for assignment in assignments:  # setting up the gradebook is not part of grading
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force", "--log-level=ERROR"],
                       cwd=course_dir, check=True, env=env, capture_output=True)
    started = time.perf_counter()
    for assignment in assignments:
        subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force", "--log-level=ERROR"],
                       cwd=course_dir, check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--assignments", nargs="*", help="default: every assignment of the course")
    parser.add_argument("--overhead-sample", type=int, default=6, help="notebooks graded serially to measure overhead")
    args = parser.parse_args()

    course = Course.locate(ROOT)
    work = Path(tempfile.mkdtemp(prefix="benchmark-"))
    course_dir = work / "course"
    shutil.copytree(ROOT / "source", course_dir / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course_dir)
    assignments = build_cohort(course, course_dir / "submitted", args.learners,
                               args.assignments or [a.name for a in course.assignments()])
    notebooks = args.learners * len(assignments)
    print(f"Cohort: {args.learners} learners × {len(assignments)} assignments = {notebooks} notebooks; {args.jobs} jobs")

    started = time.perf_counter()
    for assignment in assignments:
        reference_values(course.assignment(assignment))  # once per assignment, cached for every later run
    reference_seconds = time.perf_counter() - started
    started = time.perf_counter()
    run = grade_cohort(course_dir / "submitted", work / "out", course=course, jobs=args.jobs, progress=False)
    ours = time.perf_counter() - started
    theirs = nbgrader_autograde(course_dir, assignments)

    disagreements = []
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for report in run.reports:
            for c in report["checkpoints"]:
                score = gradebook.find_grade(grade_id(c["id"]), report["assignment"], report["assignment"], report["learner"]).score
                if abs(score - c["points"]) > 1e-9:
                    disagreements.append((report["learner"], c["id"], c["points"], score))

    sandbox = Sandbox.best_available()
    started = time.perf_counter()
    if sandbox.forks_kernels:  # once per grading process, paid by each of the cohort's workers too
        kernel_zygote(sandbox, course)
    zygote_seconds = time.perf_counter() - started
    sample = [p for p in sorted((course_dir / "submitted").glob("*/*/*.ipynb"))][: args.overhead_sample]
    overheads = []
    for path in sample:
        report = grade_notebook(path, course=course, learner=path.parent.parent.name)
        overheads.append(report.timing["total"] - report.timing["cells"])

    print(f"reference runs (once per assignment, then cached): {reference_seconds:.1f} s")
    print(f"autograder cohort : {ours:7.1f} s  ({ours / notebooks:.2f} s per notebook)")
    print(f"nbgrader autograde: {theirs:7.1f} s  ({theirs / notebooks:.2f} s per notebook)")
    print(f"ratio nbgrader / autograder: {theirs / ours:.2f}×")
    print(f"autograder overhead per notebook beyond its cells (serial, median of {len(overheads)}): "
          f"{statistics.median(overheads):.2f} s")
    if sandbox.forks_kernels:
        print(f"kernel zygote start-up, once per grading process: {zygote_seconds:.1f} s")
    print("scores agree on every checkpoint" if not disagreements else f"DISAGREEMENTS: {json.dumps(disagreements[:10])}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if not disagreements else 1


if __name__ == "__main__":
    raise SystemExit(main())
