"""Grade one cohort with the local process pool and with a Dask cluster on the same cores.

    .venv/bin/python benchmarks/dask_vs_pool.py --learners 3 [--workers 2] [--rounds 2]

The cohort is made as in ``cohort_vs_nbgrader.py`` (reference answers and corpus mistakes). The
cluster is real ``dask scheduler`` and ``dask worker`` processes (``--workers`` processes of one
thread each, as many as the pool's processes); run as root with ``unshare``, the workers cannot
see the cohort's folders, as on a real cluster. Each round grades the cohort with a fresh pool
and with a freshly started cluster (its start-up is not timed: a cluster outlives a run), then
once more on the same, warm cluster; rounds alternate so that a busy machine costs both alike.
Prints each time, the ratios Dask / pool, and whether every checkpoint's points agree.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(Path(__file__).resolve().parent)]

from cohort_vs_nbgrader import build_cohort  # noqa: E402
from dask_processes import DaskProcesses, can_hide_folders  # noqa: E402

from autograder.cohort import grade_cohort  # noqa: E402
from autograder.course import Course  # noqa: E402
from autograder.reference import reference_values  # noqa: E402


def points(run) -> dict:
    return {(r["learner"], r["assignment"], c["id"]): c["points"] for r in run.reports for c in r["checkpoints"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="pool processes = Dask worker processes")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--assignments", nargs="*", help="default: every assignment of the course")
    args = parser.parse_args()

    course = Course.locate(ROOT)
    work = Path(tempfile.mkdtemp(prefix="benchmark-dask-"))
    cohort = work / "cohort"
    assignments = build_cohort(course, cohort / "submitted", args.learners,
                               args.assignments or [a.name for a in course.assignments()])
    notebooks = args.learners * len(assignments)
    hide = (cohort,) if can_hide_folders() else ()
    print(f"Cohort: {args.learners} learners × {len(assignments)} assignments = {notebooks} notebooks; "
          f"{args.workers} pool processes / Dask workers; workers {'cannot' if hide else 'CAN'} see the cohort")
    for assignment in assignments:
        reference_values(course.assignment(assignment))  # cached: neither side pays for it

    times: dict[str, list[float]] = {"pool": [], "dask": [], "dask, warm": []}
    agree = True

    def timed(kind: str, **where) -> None:
        nonlocal agree
        out = cohort / f"out-{kind.replace(', ', '-')}-{len(times[kind])}"
        started = time.perf_counter()
        run = grade_cohort(cohort / "submitted", out, course=course, progress=False, force=True, **where)
        times[kind].append(time.perf_counter() - started)
        agree &= points(run) == reference_points.setdefault("points", points(run))
        print(f"  {kind:<11} {times[kind][-1]:7.1f} s  ({times[kind][-1] / notebooks:.2f} s per notebook)", flush=True)
        shutil.rmtree(out, ignore_errors=True)

    reference_points: dict = {}
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}:")
        timed("pool", jobs=args.workers)
        with DaskProcesses(workers=args.workers, hide=hide) as cluster:
            timed("dask", scheduler=cluster.address)
            timed("dask, warm", scheduler=cluster.address)

    pool = statistics.median(times["pool"])
    for kind in ("dask", "dask, warm"):
        ratios = [d / p for d, p in zip(times[kind], times["pool"])]
        print(f"{kind} / pool: {statistics.median(times[kind]) / pool:.2f}× (per round: {', '.join(f'{r:.2f}' for r in ratios)})")
    print("scores agree on every checkpoint" if agree else "DISAGREEMENTS between the pool and Dask")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
