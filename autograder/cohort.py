"""Grade a cohort laid out as nbgrader's ``submitted/<learner>/<assignment>/*.ipynb``.

Every submission gets a report, whatever happens. A file that is no notebook gets a report
saying so. A failure of the grader itself on one submission, in reading, running, collecting,
judging or writing it, gets a report whose checkpoints are ``crashed``; its traceback goes to
``<out>/errors.log`` for the instructor, the batch goes on, and that submission is graded again
on the next run. A learner folder whose name is not a plain id is refused by name.

Each report is written as soon as it is ready, with a hash of what was graded, so a re-run (or a
run resumed after an interruption) skips what has not changed. A submission that came through
``nbgrader collect`` also gets its feedback page where ``nbgrader release_feedback`` finds it
(:mod:`autograder.exchange`). The jobs carry the notebooks themselves (:mod:`autograder.workers`),
so the workers, here or on a Dask cluster (:mod:`autograder.pools`), never need these folders.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from autograder.course import Course, CourseError
from autograder.exchange import ExchangeKey, exchange_key, publish_feedback
from autograder.options import Limits
from autograder.pools import DaskCluster, LocalPool
from autograder.reference import fingerprint
from autograder.render import to_html
from autograder.report import Report
from autograder.submission import SubmissionError, check_learner_id
from autograder.workers import KIT, Job, JobResult, ReferenceTask, WorkerRefused, crashed_result, grade_job, is_crashed
from coursekit.verdicts import Reason

#: A notebook larger than this is not shipped to a worker (a learner's plots rarely reach a few MiB).
MAX_NOTEBOOK_BYTES = 64 * 1024**2
ERRORS_LOG = "errors.log"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class CohortRun:
    """What a cohort run did: reports of every submission, refused folders, and how many were regraded."""

    reports: list[dict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    graded: int = 0
    skipped: int = 0
    #: "<learner>/<assignment>" of each submission the grader itself failed on (see errors.log).
    crashed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Submission:
    """One learner's folder for one assignment, as found on the instructor's machine."""

    folder: Path
    job: Job
    digest: str
    #: The names (without ``.ipynb``) of the submitted notebooks the feedback page belongs to.
    notebooks: tuple[str, ...] = ()
    #: nbgrader's key of this submission, when it came through ``nbgrader collect``.
    key: ExchangeKey | None = None
    #: The grader's failure to read the folder, if it failed.
    failure: JobResult | None = None

    @property
    def name(self) -> str:
        return f"{self.job.learner}/{self.job.assignment}"


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256(KIT.encode())
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _pick_notebook(folder: Path, assignment: str) -> tuple[Path | None, Reason | None]:
    notebooks = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    named = folder / f"{assignment}.ipynb"
    if named in notebooks:
        return named, None
    if len(notebooks) == 1:
        return notebooks[0], None
    if not notebooks:
        return None, Reason("submission.no_notebook", {"assignment": assignment})
    return None, Reason("submission.several_notebooks", {"assignment": assignment})


def _read(notebook: Path, assignment: str) -> tuple[bytes | None, Reason | None]:
    if notebook.stat().st_size > MAX_NOTEBOOK_BYTES:
        return None, Reason("submission.too_large", {"assignment": assignment, "mib": MAX_NOTEBOOK_BYTES // 1024**2})
    return notebook.read_bytes(), None


def _submission(folder: Path, learner: str, assignment: str, reference: str, lang: str | None, limits: Limits,
                fork_kernels: bool, show_answers: bool) -> Submission:
    notebook, problem = _pick_notebook(folder, assignment)
    content = None
    if notebook is not None:
        content, problem = _read(notebook, assignment)
    submitted = (notebook,) if notebook else tuple(sorted(folder.glob("*.ipynb")))
    job = Job(learner, assignment, content, reference, lang, limits, fork_kernels, show_answers, problem)
    digest = _digest(content if content is not None else problem.key.encode(), reference.encode(),
                     json.dumps([lang, limits.cell_seconds, limits.notebook_seconds, show_answers]).encode())
    return Submission(folder, job, digest, tuple(p.stem for p in submitted), exchange_key(folder))


def discover(submitted: Path, course: Course, lang: str | None, limits: Limits, fork_kernels: bool = True,
             show_answers: bool = False) -> tuple[list[Submission], list[str]]:
    """The submissions of a cohort folder, and a message per folder that was refused."""
    assignments = {a.name: a for a in course.assignments()}
    references: dict[str, str] = {}
    found, refused = [], []
    for learner_dir in sorted(p for p in submitted.iterdir() if p.is_dir()):
        try:
            learner = check_learner_id(learner_dir.name)
        except SubmissionError as error:
            refused.append(str(error))
            continue
        for folder in sorted(p for p in learner_dir.iterdir() if p.is_dir()):
            if folder.name not in assignments:
                refused.append(f"{learner}/{folder.name}: the course has no assignment {folder.name!r}; known: {', '.join(assignments)}.")
                continue
            name = folder.name
            if name not in references:  # the source, the registry and what the reference depends on
                references[name] = fingerprint(assignments[name])
            try:
                found.append(_submission(folder, learner, name, references[name], lang, limits, fork_kernels, show_answers))
            except Exception as error:  # the grader failed to read it: a report all the same
                job = Job(learner, name, None, references[name], lang, limits, fork_kernels, show_answers)
                found.append(Submission(folder, job, "", failure=crashed_result(course, learner, name, lang, error)))
    return found, refused


def report_paths(out: Path, learner: str, assignment: str) -> tuple[Path, Path]:
    folder = out / learner
    return folder / f"{assignment}.json", folder / f"{assignment}.html"


def _previous(out: Path, submission: Submission) -> dict | None:
    """The report of an earlier run that graded exactly this submission (never one the grader failed on)."""
    json_path, html_path = report_paths(out, submission.job.learner, submission.job.assignment)
    try:
        previous = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(previous, dict) or is_crashed(previous) or not html_path.exists():
        return None
    return previous if previous.get("submission_hash") == submission.digest else None


def write_report(out: Path, report: dict) -> None:
    """Write one report as ``out/<learner>/<assignment>.json`` and its feedback page beside it."""
    json_path, html_path = report_paths(out, report["learner"], report["assignment"])
    json_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(to_html(Report.from_dict(report)), encoding="utf-8")
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


class _Recorder:
    """Writes each finished submission's report, logs the grader's failures, publishes feedback."""

    def __init__(self, out: Path, course: Course, feedback: Path, run: CohortRun) -> None:
        self.out, self.course, self.feedback, self.run = out, course, feedback, run

    def log(self, submission: Submission, trace: str) -> None:
        """Append a failure of the grader, with its traceback, to ``<out>/errors.log``."""
        self.out.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with (self.out / ERRORS_LOG).open("a", encoding="utf-8", errors="replace") as log:
            log.write(f"=== {stamp} {submission.name}\n{_CONTROL.sub('?', trace).rstrip()}\n\n")

    def _crashed(self, submission: Submission, error: BaseException) -> JobResult:
        job = submission.job
        return crashed_result(self.course, job.learner, job.assignment, job.lang, error)

    def finish(self, submission: Submission, outcome: JobResult | BaseException) -> dict:
        """Record a submission's outcome (its result, or the exception its worker met) and return its report."""
        result = outcome if isinstance(outcome, JobResult) else self._crashed(submission, outcome)
        report = result.report | {"submission_hash": submission.digest}
        try:
            write_report(self.out, report)
        except Exception as error:  # e.g. text that cannot be encoded: the crash report can
            result = self._crashed(submission, error)
            report = result.report | {"submission_hash": submission.digest}
            write_report(self.out, report)
        if result.traceback:
            self.log(submission, result.traceback)
            self.run.crashed.append(submission.name)
        self.publish(submission)
        self.run.reports.append(report)
        return report

    def publish(self, submission: Submission) -> None:
        """The feedback page where ``nbgrader release_feedback`` finds it, for a submission nbgrader collected."""
        if submission.key is None or not submission.notebooks:
            return
        job = submission.job
        try:
            page = report_paths(self.out, job.learner, job.assignment)[1].read_text(encoding="utf-8")
            publish_feedback(page, self.feedback, job.learner, job.assignment, submission.notebooks, submission.key)
        except OSError as error:  # the report is written; only its delivery failed
            self.log(submission, f"Could not put the feedback page into {self.feedback}: {error}")


def grade_cohort(
    submitted: Path,
    out: Path,
    *,
    course: Course,
    jobs: int = 2,
    scheduler: str | None = None,
    force: bool = False,
    lang: str | None = None,
    limits: Limits = Limits(),
    progress: bool | None = None,
    fork_kernels: bool = True,
    show_answers: bool = False,
    feedback: Path | None = None,
) -> CohortRun:
    """Grade every submission under ``submitted`` into ``out``; ``scheduler`` is a Dask address.

    ``feedback`` is nbgrader's feedback folder (default: ``feedback/`` beside ``submitted/``, as in
    an nbgrader course folder); pages go there only for submissions ``nbgrader collect`` brought.
    Each report is in ``lang``, or without it in the language of the release its learner submitted.
    """
    if not submitted.is_dir():
        raise CourseError(f"{submitted} is not a folder: pass nbgrader's submitted/ folder (<learner>/<assignment>/*.ipynb).")
    found, refused = discover(submitted, course, lang, limits, fork_kernels, show_answers)
    run = CohortRun(refused=refused)
    recorder = _Recorder(out, course, feedback or submitted.parent / "feedback", run)
    todo = []
    for submission in found:
        previous = None if force or submission.failure else _previous(out, submission)
        if submission.failure:
            recorder.finish(submission, submission.failure)
            run.graded += 1
        elif previous is None:
            todo.append(submission)
        else:
            run.reports.append(previous)
            run.skipped += 1
            recorder.publish(submission)  # keyed again: a resubmission of the same notebook has a new secret
    if todo:
        with DaskCluster(scheduler) if scheduler else LocalPool(jobs, course.root) as workers:
            needed = sorted({s.job.assignment for s in todo if s.job.notebook is not None})
            tasks = [ReferenceTask(name, next(s.job.reference for s in todo if s.job.assignment == name), limits)
                     for name in needed]
            cost = workers.prepare(tasks)  # each reference before the learners who need it
            # Longest first, so that no worker is left with a long notebook while the others are idle.
            todo.sort(key=lambda s: -cost.get(s.job.assignment, 0.0))
            by_job = {(s.job.learner, s.job.assignment): s for s in todo}
            bar = tqdm(total=len(todo), unit="notebook", desc="grading", disable=None if progress is None else not progress)
            with bar:
                for job, outcome in workers.map_unordered(grade_job, [s.job for s in todo]):
                    if isinstance(outcome, WorkerRefused):
                        raise outcome
                    recorder.finish(by_job[(job.learner, job.assignment)], outcome)
                    run.graded += 1
                    bar.update()
    run.reports.sort(key=lambda r: (r["learner"], r["assignment"]))
    return run
