"""``autograder``: grade one notebook or a cohort, import an nbgrader run, or grade the demo cohort.

Each subcommand imports what it uses when it runs, so ``autograder --help`` starts at once.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.options import GradingOptions
from autograder.render import RENDERERS


def _parser() -> argparse.ArgumentParser:
    from coursekit.labels import languages

    parser = argparse.ArgumentParser(prog="autograder", description="Grade the course's notebooks by checkpoint.")
    parser.add_argument("--course", help="the course folder (default: the one this kit sits in, or $COURSE_ROOT)")
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade one submitted notebook")
    grade.add_argument("notebook", type=Path)
    grade.add_argument("--assignment", help="the assignment (default: recognised from the notebook)")
    grade.add_argument("--learner", help="the learner's id (default: the notebook's file name)")
    grade.add_argument("--format", choices=RENDERERS, default="text")
    GradingOptions.add_arguments(grade)

    cohort = commands.add_parser("cohort", help="grade nbgrader's submitted/<learner>/<assignment>/*.ipynb")
    cohort.add_argument("submitted", type=Path)
    cohort.add_argument("--out", type=Path, required=True, help="folder for the reports, the gradebook CSV and the summary")
    cohort.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks graded at once (default: the cores)")
    cohort.add_argument("--scheduler", help="a Dask scheduler address (tcp://host:8786) to grade on a cluster instead")
    cohort.add_argument("--feedback", type=Path, help="nbgrader's feedback folder, where 'nbgrader release_feedback' "
                        "finds each page (default: feedback/ beside SUBMITTED; only for submissions nbgrader collected)")
    cohort.add_argument("--force", action="store_true", help="regrade submissions that have not changed")
    GradingOptions.add_arguments(cohort)

    report = commands.add_parser("report", help="turn an 'nbgrader autograde' run into the same checkpoint reports")
    report.add_argument("--gradebook", type=Path, default=Path("gradebook.db"), help="nbgrader's gradebook (default: %(default)s)")
    report.add_argument("--autograded", type=Path, default=Path("autograded"), help="nbgrader's autograded/ folder")
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--lang", choices=languages(), help="the reports' language (default: the language of the release "
                                                           "each learner submitted); the summary's (default: en)")

    cache = commands.add_parser("cache", help="list or clear the cached reference runs (the expected side of every check)",
                                description="The reference runs live in $AUTOGRADER_CACHE_DIR, else $XDG_CACHE_HOME/ml-course-autograder, "
                                            "else ~/.cache/ml-course-autograder.")
    action = cache.add_mutually_exclusive_group(required=True)
    action.add_argument("--list", action="store_true", help="each cached file: assignment, fingerprint, Python, size, age")
    action.add_argument("--clear", nargs="?", const="", metavar="ASSIGNMENT", help="remove every cached run, or one assignment's")

    demo = commands.add_parser("demo", help="grade the bundled demo cohort and print what each learner missed")
    demo.add_argument("--out", type=Path, default=Path("demo-out"))
    return parser


def _grade(args: argparse.Namespace, course) -> int:
    from autograder.grade import grade_notebook
    from autograder.sandbox import Sandbox

    from autograder.grade import ungradable_report
    from autograder.submission import SubmissionError, learner_of_file

    options = GradingOptions.from_arguments(args)
    try:
        report = grade_notebook(args.notebook, course=course, assignment=args.assignment, learner=args.learner,
                                lang=options.lang, limits=options.limits, show_answers=options.show_answers,
                                sandbox=Sandbox.best_available(fork_kernels=options.fork_kernels(cohort=False)))
    except SubmissionError as error:
        if not args.assignment or error.reason.key == "submission.learner_id":
            raise
        # The assignment is known (Gradescope's line names it): the learner gets a report saying why.
        learner = args.learner or learner_of_file(args.notebook)
        print(RENDERERS[args.format](ungradable_report(course.assignment(args.assignment), learner, options.lang, error.reason)))
        print(f"autograder: {error}", file=sys.stderr)
        return 2
    print(RENDERERS[args.format](report))
    return 0


def _cohort(args: argparse.Namespace, course) -> int:
    from autograder.cohort import ERRORS_LOG, grade_cohort
    from autograder.summary import summary_text, write_summary

    options = GradingOptions.from_arguments(args)
    run = grade_cohort(args.submitted, args.out, course=course, jobs=args.jobs, scheduler=args.scheduler,
                       force=args.force, lang=options.lang, limits=options.limits, fork_kernels=options.fork_kernels(cohort=True),
                       show_answers=options.show_answers, feedback=args.feedback)
    write_summary(run, args.out, options.lang or "en")
    print(summary_text(run, args.out, lang=options.lang or "en"))
    if run.crashed:
        print(f"The grader itself failed on {len(run.crashed)} submission(s): {', '.join(run.crashed)}. Their reports say "
              f"'crashed'; tracebacks are in {args.out / ERRORS_LOG}. They are graded again on the next run.")
    return 0


def _report(args: argparse.Namespace, course) -> int:
    from autograder.cohort import write_report
    from autograder.course import CourseError
    from autograder.from_nbgrader import import_autograded
    from autograder.summary import summary_text, write_summary

    if not args.gradebook.is_file() or not args.autograded.is_dir():
        raise CourseError(f"Need nbgrader's gradebook ({args.gradebook}) and autograded folder ({args.autograded}): "
                          "run 'nbgrader autograde' first, or pass --gradebook and --autograded.")
    run = import_autograded(args.gradebook, args.autograded, course, args.lang)
    for report in run.reports:
        write_report(args.out, report)
    write_summary(run, args.out, args.lang or "en")
    print(summary_text(run, args.out, lang=args.lang or "en"))
    return 0


def _cache(args: argparse.Namespace, course) -> int:
    from autograder.reference import cache_folder, cache_table, clear_cache

    if args.list:
        print(cache_table(course))
        return 0
    removed = clear_cache(course.assignment(args.clear).name if args.clear else None)
    print(f"Removed {len(removed)} cached reference run(s) from {cache_folder()}: the next grading run recomputes what it needs.")
    return 0


def _demo(args: argparse.Namespace, course) -> int:
    from autograder.demo import run_demo

    return run_demo(course, args.out)


COMMANDS = {"grade": _grade, "cohort": _cohort, "report": _report, "cache": _cache, "demo": _demo}


def _user_errors() -> tuple[type[Exception], ...]:
    """Errors whose message tells the user what to do: printed without a traceback."""
    from autograder.course import CourseError
    from autograder.pools import ClusterError
    from autograder.recording import RecordingError
    from autograder.reference import ReferenceSolutionError
    from autograder.submission import SubmissionError
    from autograder.zygote import ZygoteError
    from coursekit.registry import RegistryError

    return SubmissionError, CourseError, RegistryError, RecordingError, ReferenceSolutionError, ZygoteError, ClusterError


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from autograder.course import Course

    try:
        return COMMANDS[args.command](args, Course.locate(args.course))
    except _user_errors() as error:
        print(f"autograder: {error}", file=sys.stderr)
        return 2
