"""``autograder``: grade one notebook or a cohort, import an nbgrader run, or grade the demo cohort."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.cohort import grade_cohort, write_report
from autograder.course import Course, CourseError
from autograder.from_nbgrader import import_autograded
from autograder.grade import grade_notebook
from autograder.recording import RecordingError
from autograder.reference import ReferenceSolutionError, cache_folder, cache_table, clear_cache
from autograder.render import RENDERERS
from autograder.runner import Limits
from autograder.sandbox import Sandbox
from autograder.submission import SubmissionError
from autograder.summary import summary_text, write_summary
from autograder.zygote import ZygoteError
from coursekit.registry import RegistryError

#: Errors whose message tells the user what to do: printed without a traceback.
USER_ERRORS = (SubmissionError, CourseError, RegistryError, RecordingError, ReferenceSolutionError, ZygoteError)
FRESH_KERNELS_HELP = ("start each kernel from scratch instead of forking it from one that has imported the course's "
                      "libraries (slower; forking is used only as root with bubblewrap)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description="Grade the course's notebooks by checkpoint.")
    parser.add_argument("--course", help="the course folder (default: the one this kit sits in, or $COURSE_ROOT)")
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade one submitted notebook")
    grade.add_argument("notebook", type=Path)
    grade.add_argument("--assignment", help="the assignment (default: recognised from the notebook)")
    grade.add_argument("--learner", help="the learner's id (default: the notebook's file name)")
    grade.add_argument("--format", choices=sorted(RENDERERS), default="text")
    grade.add_argument("--lang", choices=("en", "ja"), default="en")
    grade.add_argument("--cell-timeout", type=float, default=Limits.cell_seconds, help="seconds per cell (default %(default)s)")
    grade.add_argument("--timeout", type=float, default=Limits.notebook_seconds, help="seconds per notebook (default %(default)s)")
    grade.add_argument("--fresh-kernels", action="store_true", help=FRESH_KERNELS_HELP)

    cohort = commands.add_parser("cohort", help="grade nbgrader's submitted/<learner>/<assignment>/*.ipynb")
    cohort.add_argument("submitted", type=Path)
    cohort.add_argument("--out", type=Path, required=True, help="folder for the reports, the gradebook CSV and the summary")
    cohort.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks graded at once (default: the cores)")
    cohort.add_argument("--scheduler", help="a Dask scheduler address (tcp://host:8786) to grade on a cluster instead")
    cohort.add_argument("--force", action="store_true", help="regrade submissions that have not changed")
    cohort.add_argument("--lang", choices=("en", "ja"), default="en")
    cohort.add_argument("--cell-timeout", type=float, default=Limits.cell_seconds)
    cohort.add_argument("--timeout", type=float, default=Limits.notebook_seconds)
    cohort.add_argument("--fresh-kernels", action="store_true", help=FRESH_KERNELS_HELP)

    report = commands.add_parser("report", help="turn an 'nbgrader autograde' run into the same checkpoint reports")
    report.add_argument("--gradebook", type=Path, default=Path("gradebook.db"), help="nbgrader's gradebook (default: %(default)s)")
    report.add_argument("--autograded", type=Path, default=Path("autograded"), help="nbgrader's autograded/ folder")
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--lang", choices=("en", "ja"), default="en")

    cache = commands.add_parser("cache", help="list or clear the cached reference runs (the expected side of every check)",
                                description="The reference runs live in $AUTOGRADER_CACHE_DIR, else $XDG_CACHE_HOME/ml-course-autograder, "
                                            "else ~/.cache/ml-course-autograder.")
    action = cache.add_mutually_exclusive_group(required=True)
    action.add_argument("--list", action="store_true", help="each cached file: assignment, fingerprint, Python, size, age")
    action.add_argument("--clear", nargs="?", const="", metavar="ASSIGNMENT", help="remove every cached run, or one assignment's")

    demo = commands.add_parser("demo", help="grade the bundled demo cohort and print what each learner missed")
    demo.add_argument("--out", type=Path, default=Path("demo-out"))
    return parser


def _grade(args: argparse.Namespace, course: Course) -> int:
    limits = Limits(cell_seconds=args.cell_timeout, notebook_seconds=args.timeout)
    report = grade_notebook(args.notebook, course=course, assignment=args.assignment, learner=args.learner,
                            lang=args.lang, limits=limits, sandbox=Sandbox.best_available(fork_kernels=not args.fresh_kernels))
    print(RENDERERS[args.format](report))
    return 0


def _cohort(args: argparse.Namespace, course: Course) -> int:
    limits = Limits(cell_seconds=args.cell_timeout, notebook_seconds=args.timeout)
    run = grade_cohort(args.submitted, args.out, course=course, jobs=args.jobs, scheduler=args.scheduler,
                       force=args.force, lang=args.lang, limits=limits, fork_kernels=not args.fresh_kernels)
    write_summary(run, args.out)
    print(summary_text(run, args.out))
    return 0


def _report(args: argparse.Namespace, course: Course) -> int:
    if not args.gradebook.is_file() or not args.autograded.is_dir():
        raise SubmissionError(f"Need nbgrader's gradebook ({args.gradebook}) and autograded folder ({args.autograded}): "
                              "run 'nbgrader autograde' first, or pass --gradebook and --autograded.")
    run = import_autograded(args.gradebook, args.autograded, course, args.lang)
    for report in run.reports:
        write_report(args.out, report)
    write_summary(run, args.out)
    print(summary_text(run, args.out))
    return 0


def _cache(args: argparse.Namespace, course: Course) -> int:
    if args.list:
        print(cache_table(course))
        return 0
    removed = clear_cache(course.assignment(args.clear).name if args.clear else None)
    print(f"Removed {len(removed)} cached reference run(s) from {cache_folder()}: the next grading run recomputes what it needs.")
    return 0


def _demo(args: argparse.Namespace, course: Course) -> int:
    from autograder.demo import run_demo

    return run_demo(course, args.out)


COMMANDS = {"grade": _grade, "cohort": _cohort, "report": _report, "cache": _cache, "demo": _demo}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, Course.locate(args.course))
    except USER_ERRORS as error:
        print(f"autograder: {error}", file=sys.stderr)
        return 2
