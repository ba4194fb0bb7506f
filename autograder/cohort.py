"""Grade a cohort laid out as nbgrader's ``submitted/<learner>/<assignment>/*.ipynb``.

One submission's failure never stops the batch: a file that is no notebook gets a report saying
so, a learner folder whose name is not a plain id is refused by name. Each report is written as
soon as it is ready, with a hash of what was graded, so a re-run (or a run resumed after an
interruption) skips what has not changed.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from autograder.course import Course, CourseError
from autograder.grade import grade_notebook, ungradable_report
from autograder.reference import fingerprint, reference_seconds, reference_values
from autograder.render import to_html
from autograder.report import Report
from autograder.options import Limits
from autograder.sandbox import Sandbox
from autograder.submission import SubmissionError, check_learner_id
from coursekit.verdicts import Reason


def _grader_fingerprint() -> bytes:
    """The grader's own code and templates: a grader that changed regrades unchanged submissions."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("templates/*")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.digest()


GRADER_FINGERPRINT = _grader_fingerprint()


@dataclass(frozen=True)
class Job:
    """One learner's submission of one assignment, and everything needed to grade it anywhere."""

    learner: str
    assignment: str
    notebook: Path | None
    digest: str
    course_root: Path
    #: The reports' language; ``None``: each in the language of the release the learner submitted.
    lang: str | None
    limits: Limits
    problem: Reason | None = None
    fork_kernels: bool = True
    show_answers: bool = False


@dataclass
class CohortRun:
    """What a cohort run did: reports of every submission, refused folders, and how many were regraded."""

    reports: list[dict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    graded: int = 0
    skipped: int = 0


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256(GRADER_FINGERPRINT)
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


def discover(submitted: Path, course: Course, lang: str | None, limits: Limits, fork_kernels: bool = True,
             show_answers: bool = False) -> tuple[list[Job], list[str]]:
    """The jobs of a cohort folder, and a message per folder that was refused."""
    assignments = {a.name: a for a in course.assignments()}
    jobs, refused = [], []
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
            target = assignments[folder.name]
            notebook, problem = _pick_notebook(folder, folder.name)
            digest = _digest(
                notebook.read_bytes() if notebook else problem.key.encode(),
                fingerprint(target).encode(),  # the source, the registry and what the reference depends on
                json.dumps([lang, limits.cell_seconds, limits.notebook_seconds, show_answers]).encode(),
            )
            jobs.append(Job(learner, folder.name, notebook, digest, course.root, lang, limits, problem, fork_kernels, show_answers))
    return jobs, refused


def grade_job(job: Job) -> dict:
    """Grade one job and return its report as a dict; never raises for a bad submission."""
    course = Course(job.course_root)
    if job.problem:
        report = ungradable_report(course.assignment(job.assignment), job.learner, job.lang, job.problem)
    else:
        try:
            report = grade_notebook(job.notebook, course=course, assignment=job.assignment, learner=job.learner,
                                    lang=job.lang, limits=job.limits, sandbox=Sandbox.best_available(fork_kernels=job.fork_kernels),
                                    show_answers=job.show_answers)
        except SubmissionError as error:
            report = ungradable_report(course.assignment(job.assignment), job.learner, job.lang, error.reason)
    return report.to_dict() | {"submission_hash": job.digest}


def report_paths(out: Path, learner: str, assignment: str) -> tuple[Path, Path]:
    folder = out / learner
    return folder / f"{assignment}.json", folder / f"{assignment}.html"


def _previous(out: Path, job: Job) -> dict | None:
    json_path, html_path = report_paths(out, job.learner, job.assignment)
    try:
        previous = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return previous if previous.get("submission_hash") == job.digest and html_path.exists() else None


def write_report(out: Path, report: dict) -> None:
    """Write one report as ``out/<learner>/<assignment>.json`` and its feedback page beside it."""
    json_path, html_path = report_paths(out, report["learner"], report["assignment"])
    json_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(to_html(Report.from_dict(report)), encoding="utf-8")
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


#: Runs ``function`` over ``items`` on the workers and yields the results as they complete.
MapUnordered = Callable[[Callable, list], Iterator]


@contextmanager
def _local_workers(workers: int) -> Iterator[MapUnordered]:
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield lambda function, items: (f.result() for f in as_completed([pool.submit(function, i) for i in items]))


@contextmanager
def _dask_workers(scheduler: str) -> Iterator[MapUnordered]:
    from distributed import Client, as_completed as dask_completed

    with Client(scheduler) as client:
        yield lambda function, items: (f.result() for f in dask_completed(client.map(function, items, pure=False)))


def prepare_reference(task: tuple[Path, str, Limits]) -> None:
    """Run (or find cached) one assignment's reference solution, on a worker: ``(course root, assignment, limits)``."""
    root, assignment, limits = task
    reference_values(Course(root).assignment(assignment), limits)


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
) -> CohortRun:
    """Grade every submission under ``submitted`` into ``out``; ``scheduler`` is a Dask address.
    Each report is in ``lang``, or without it in the language of the release its learner submitted."""
    if not submitted.is_dir():
        raise CourseError(f"{submitted} is not a folder: pass nbgrader's submitted/ folder (<learner>/<assignment>/*.ipynb).")
    found, refused = discover(submitted, course, lang, limits, fork_kernels, show_answers)
    run = CohortRun(refused=refused)
    todo = []
    for job in found:
        previous = None if force else _previous(out, job)
        if previous is None:
            todo.append(job)
        else:
            run.reports.append(previous)
            run.skipped += 1
    if todo:
        with _dask_workers(scheduler) if scheduler else _local_workers(max(1, jobs)) as map_unordered:
            needed = sorted({job.assignment for job in todo if not job.problem})
            for _ in map_unordered(prepare_reference, [(course.root, name, limits) for name in needed]):
                pass  # each reference once, side by side, before the learners who need it
            # Longest first, so that no worker is left with a long notebook while the others are idle.
            cost = {name: reference_seconds(course.assignment(name)) for name in needed}
            todo.sort(key=lambda job: -cost.get(job.assignment, 0.0))
            bar = tqdm(total=len(todo), unit="notebook", desc="grading", disable=None if progress is None else not progress)
            with bar:
                for report in map_unordered(grade_job, todo):
                    write_report(out, report)
                    run.reports.append(report)
                    run.graded += 1
                    bar.update()
    run.reports.sort(key=lambda r: (r["learner"], r["assignment"]))
    return run
