"""The grader's fixed costs, each measured as a user meets it (a fresh process, wall time).

    .venv/bin/python benchmarks/fixed_costs.py [--repeat 5]

1. ``autograder --help``: starting the command line (aim: under 1 s).
2. ``autograder grade`` of one solution notebook whose reference is cached: wall time minus the
   time its cells ran (aim: at most 1.5 s), with fresh kernels (the default for one notebook) and
   with ``--kernels fork``.
3. ``autograder cohort`` run again on a cohort that has not changed (aim: under 2 s).

Medians of ``--repeat`` runs. Run it on a quiet machine; timing stays out of the pass/fail tests.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUTOGRADER = [sys.executable, "-m", "autograder"]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from autograder.corpus import filled_notebook  # noqa: E402
from autograder.course import Course  # noqa: E402


def _timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def help_seconds(repeat: int) -> float:
    return statistics.median(_timed([*AUTOGRADER, "--help"])[0] for _ in range(repeat))


def grade_overhead(notebook: Path, repeat: int, *flags: str) -> tuple[float, float]:
    """Median (wall seconds, wall seconds minus the cells' own seconds) of grading ``notebook``."""
    _timed([*AUTOGRADER, "grade", str(notebook), "--format", "json", *flags])  # the reference is cached now
    walls, overheads = [], []
    for _ in range(repeat):
        wall, out = _timed([*AUTOGRADER, "grade", str(notebook), "--format", "json", *flags])
        walls.append(wall)
        overheads.append(wall - json.loads(out)["timing"]["cells"])
    return statistics.median(walls), statistics.median(overheads)


def unchanged_cohort_seconds(repeat: int, learners: int = 3) -> float:
    course = Course.locate(ROOT)
    with tempfile.TemporaryDirectory() as work:
        submitted, out = Path(work) / "submitted", Path(work) / "out"
        for index in range(learners):
            for assignment in course.assignments():
                folder = submitted / f"learner{index}" / assignment.name
                folder.mkdir(parents=True)
                nbformat.write(filled_notebook(course, assignment.name), folder / f"{assignment.name}.ipynb")
        _timed([*AUTOGRADER, "cohort", str(submitted), "--out", str(out)])
        return statistics.median(_timed([*AUTOGRADER, "cohort", str(submitted), "--out", str(out)])[0] for _ in range(repeat))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--notebook", type=Path, default=ROOT / "solutions" / "02_analyze" / "02_analyze.ipynb")
    args = parser.parse_args()
    print(f"autograder --help: {help_seconds(args.repeat):.2f} s")
    for label, flags in (("fresh kernel, the default", ()), ("forked kernel", ("--kernels", "fork"))):
        wall, overhead = grade_overhead(args.notebook, args.repeat, *flags)
        print(f"autograder grade {args.notebook.name} ({label}): {wall:.2f} s, of which {overhead:.2f} s beyond its cells")
    print(f"autograder cohort, nothing changed: {unchanged_cohort_seconds(args.repeat):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
