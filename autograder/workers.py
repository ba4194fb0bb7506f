"""What runs on a grading worker: a process of this machine's pool or a Dask worker elsewhere.

A :class:`Job` carries everything a worker needs and nothing of the instructor's file system:
the notebook's bytes, the learner, the assignment, the options, and the identity of the kit and
of the assignment's reference that the instructor grades against. A worker grades only against
the same: it checks that identity against its own installed course first and refuses the job
otherwise (:class:`WorkerRefused`), rather than grade against another reference.

Whatever goes wrong on the worker, :func:`grade_job` returns a report: the grader's own failure
becomes a report whose checkpoints are ``crashed``, with a message that names the kit's failure
(never the exception's text, which may quote a learner's data) and the traceback kept apart for
the instructor's log.
"""
from __future__ import annotations

import hashlib
import logging
import re
import socket
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from autograder.course import Course, CourseError
from autograder.grade import grade_notebook, ungradable_report
from autograder.options import Limits
from autograder.reference import fingerprint, reference_seconds, reference_values
from autograder.report import Report
from autograder.sandbox import Sandbox
from autograder.submission import SubmissionError
from coursekit.labels import reason_text
from coursekit.verdicts import Reason, Status

_PACKAGE = Path(__file__).parent
_TYPE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,79}")
#: The reason every checkpoint of a submission the grader failed on carries (a label-table key).
CRASHED = Reason("submission.crashed")


def _grader_code() -> str:
    """A digest of the grader's own code and templates: graders that differ there grade differently."""
    digest = hashlib.sha256()
    for path in sorted([*_PACKAGE.glob("*.py"), *_PACKAGE.glob("templates/*")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


#: The kit a job must be graded by: its version and a digest of the grader's code.
KIT = f"{version('ml-project-course-kit')}+{_grader_code()}"


class WorkerRefused(CourseError):
    """A worker whose kit or course differs from the instructor's: it grades nothing."""


@dataclass(frozen=True)
class Job:
    """One learner's submission of one assignment, self-contained: it can be graded on any worker."""

    learner: str
    assignment: str
    #: The submitted notebook's content, or None when there is nothing to grade (``problem`` says why).
    notebook: bytes | None
    #: The assignment's reference fingerprint on the instructor's machine (see :func:`fingerprint`).
    reference: str
    #: The report's language; ``None``: the language of the release the learner submitted.
    lang: str | None
    limits: Limits
    fork_kernels: bool = True
    show_answers: bool = False
    #: Why the submission cannot be graded as it is (None when it can).
    problem: Reason | None = None
    kit: str = KIT


@dataclass(frozen=True)
class ReferenceTask:
    """Prepare one assignment's reference solution on a worker (run it, or find it cached)."""

    assignment: str
    reference: str
    limits: Limits
    kit: str = KIT


@dataclass(frozen=True)
class JobResult:
    """A job's report (as a dict), and the traceback of the grader's failure when it crashed."""

    report: dict
    traceback: str = ""


_course: Course | None = None


def use_course(root: Path) -> None:
    """Grade against the course at ``root`` in this process (a local pool's workers share the instructor's)."""
    global _course
    _course = Course(Path(root))


def worker_course() -> Course:
    """The course this worker grades against: the one given to :func:`use_course`, or the installed one."""
    return _course or Course.locate()


def _here() -> str:
    return f"worker {socket.gethostname()}"


def checked_course(assignment: str, reference: str, kit: str) -> Course:
    """This worker's course, after checking that it grades ``assignment`` as the instructor does."""
    if kit != KIT:
        raise WorkerRefused(
            f"The grading {_here()} runs kit {KIT}, the instructor kit {kit}: install the same version of the kit "
            "(and the same grader code) on every worker, then grade again.")
    try:
        course = worker_course()
        found = fingerprint(course.assignment(assignment))
    except CourseError as error:
        raise WorkerRefused(f"The grading {_here()} cannot grade {assignment}: {error} Install the course on every "
                            "worker (or set COURSE_ROOT there), then grade again.") from None
    if found != reference:
        raise WorkerRefused(
            f"The grading {_here()} has another course: the reference of {assignment} is {found} there and {reference} "
            "on the instructor's machine (a different source/, registry, coursekit or library version). Install the "
            "same course and libraries on every worker, then grade again.")
    return course


def prepare_reference(task: ReferenceTask) -> float:
    """Run (or find cached) one assignment's reference solution on this worker; its cells' seconds."""
    course = checked_course(task.assignment, task.reference, task.kit)
    reference_values(course.assignment(task.assignment), task.limits)
    return reference_seconds(course.assignment(task.assignment))


def prepare_references(tasks: list[ReferenceTask]) -> dict[str, float]:
    """Every task's reference on this one worker, one after another: assignment -> seconds."""
    return {task.assignment: prepare_reference(task) for task in tasks}


def failure_name(error: BaseException) -> str:
    """The kit's failure in a few safe words: the exception's type and the grader module it came from."""
    name = type(error).__qualname__
    name = name if _TYPE_NAME.fullmatch(name) else "an unexpected error"
    modules = [Path(frame.filename).stem for frame in traceback.extract_tb(error.__traceback__)
               if Path(frame.filename).parent == _PACKAGE]
    return f"{name} in autograder.{modules[-1]}" if modules else name


def crashed_result(course: Course, learner: str, assignment: str, lang: str | None, error: BaseException) -> JobResult:
    """The report of a submission the grader failed on (every checkpoint ``crashed``), and its traceback.

    The report names the failure (``grader_error``) for the instructor; the learner reads only
    that the kit failed, never the exception's text. Without ``lang`` it is in English (the
    submission could not be read for its language).
    """
    lang = lang or "en"
    try:
        report = ungradable_report(course.assignment(assignment), learner, lang, CRASHED, Status.CRASHED).to_dict()
    except Exception:  # the course itself cannot be read: a report without checkpoints still says why
        report = Report(assignment, assignment, learner, [], lang, error=reason_text(CRASHED, lang)).to_dict()
    trace = "".join(traceback.format_exception(error))
    return JobResult(report | {"grader_error": failure_name(error)}, trace)


def is_crashed(report: dict) -> bool:
    """Whether ``report`` is of a submission the grader failed on (to be graded again)."""
    return any(c.get("reason") == CRASHED.key for c in report.get("checkpoints", ())) or bool(report.get("grader_error"))


class _Failures(logging.Handler):
    """Keeps the exceptions the grading chain logs while it turns them into a crashed report."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


@contextmanager
def _caught_failures() -> Iterator[_Failures]:
    failures, logger = _Failures(), logging.getLogger("autograder")
    logger.addHandler(failures)
    try:
        yield failures
    finally:
        logger.removeHandler(failures)


def _grade_bytes(job: Job, course: Course) -> Report:
    with tempfile.TemporaryDirectory(prefix="autograder-job-") as folder:
        path = Path(folder) / f"{job.assignment}.ipynb"
        path.write_bytes(job.notebook)
        return grade_notebook(path, course=course, assignment=job.assignment, learner=job.learner, lang=job.lang,
                              limits=job.limits, sandbox=Sandbox.best_available(fork_kernels=job.fork_kernels),
                              show_answers=job.show_answers)


def grade_job(job: Job) -> JobResult:
    """Grade one job on this worker. Raises only :class:`WorkerRefused`; any other failure is a report."""
    course = checked_course(job.assignment, job.reference, job.kit)
    target = course.assignment(job.assignment)
    try:
        if job.notebook is None:
            return JobResult(ungradable_report(target, job.learner, job.lang, job.problem or CRASHED).to_dict())
        with _caught_failures() as failures:
            try:
                report = _grade_bytes(job, course).to_dict()
            except SubmissionError as error:
                report = ungradable_report(target, job.learner, job.lang, error.reason).to_dict()
        if is_crashed(report):  # the chain made a crashed report of the kit's failure: its traceback is logged
            if failures.errors:
                return crashed_result(course, job.learner, job.assignment, job.lang, failures.errors[-1])
            return JobResult(report | {"grader_error": "unknown"}, "The grading chain reported a crash but logged no traceback.")
        return JobResult(report)
    except Exception as error:  # the grader's own failure must still give this learner a report
        return crashed_result(course, job.learner, job.assignment, job.lang, error)
