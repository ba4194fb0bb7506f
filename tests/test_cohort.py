"""``autograder cohort``: reports, gradebook CSV, summary, resume, and a Dask cluster."""
from __future__ import annotations

import csv
import json
import shutil

import pytest
from conftest import COURSE, MISTAKES, write

from autograder.cohort import grade_cohort
from autograder.corpus import filled_notebook, mistake_notebook, released_notebook
from autograder.report import Report
from autograder.render import to_html
from autograder.options import Limits
from autograder.summary import summary_text, write_summary

ASSIGNMENT = "01_business_understanding"
LIMITS = Limits(cell_seconds=20, notebook_seconds=60)


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    root = tmp_path_factory.mktemp("submitted")
    mistake = next(m for m in MISTAKES if m.name == "hours_ignored")
    write(filled_notebook(COURSE, ASSIGNMENT), root / "alice" / ASSIGNMENT, ASSIGNMENT)
    write(mistake_notebook(COURSE, mistake), root / "bob" / ASSIGNMENT, ASSIGNMENT)
    (root / "carol" / ASSIGNMENT).mkdir(parents=True)
    (root / "carol" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text("{ damaged")
    write(filled_notebook(COURSE, ASSIGNMENT), root / "<img src=x onerror=alert(1)>" / ASSIGNMENT, ASSIGNMENT)
    write(filled_notebook(COURSE, ASSIGNMENT), root / "dave" / "99_unknown", "99_unknown")
    return root


@pytest.fixture(scope="module")
def first_run(submitted, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    run = grade_cohort(submitted, out, course=COURSE, jobs=2, limits=LIMITS, progress=False)
    write_summary(run, out)
    return out, run


def test_every_submission_gets_a_report_and_a_broken_one_does_not_stop_the_batch(first_run):
    out, run = first_run
    scores = {r["learner"]: r["score"] for r in run.reports}
    assert scores == {"alice": 20.0, "bob": 18.0, "carol": 0.0}
    carol = json.loads((out / "carol" / f"{ASSIGNMENT}.json").read_text())
    assert "not valid notebook JSON" in carol["error"]
    assert {c["status"] for c in carol["checkpoints"]} == {"error"}
    bob = json.loads((out / "bob" / f"{ASSIGNMENT}.json").read_text())
    assert [c["id"] for c in bob["checkpoints"] if not c["passed"]] == ["bu.daily_value"]
    assert (out / "bob" / f"{ASSIGNMENT}.html").read_text().startswith("<!doctype html>")


def test_unsafe_learner_folders_and_unknown_assignments_are_refused_by_name(first_run):
    out, run = first_run
    assert len(run.refused) == 2
    assert any("not a plain name" in message for message in run.refused)
    assert any("no assignment '99_unknown'" in message for message in run.refused)
    assert not any("img" in p.name for p in out.iterdir())


def test_gradebook_csv_has_one_row_per_learner(first_run):
    out, _ = first_run
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert [(r["learner"], r[ASSIGNMENT], r["total"]) for r in rows] == [
        ("alice", "20", "20"), ("bob", "18", "18"), ("carol", "0", "0")]


def test_summary_lists_misses_and_escapes_learner_text(first_run):
    out, run = first_run
    page = (out / "summary.html").read_text()
    assert "bu.daily_value" in page and (out / "heatmap.png").stat().st_size > 1000
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    text = summary_text(run, out)
    assert "carol/01_business_understanding" in text and "bu.daily_value" in text


def test_feedback_page_escapes_everything_a_learner_controls():
    payload = "<script>alert('x')</script>"
    report = Report.from_dict({
        "assignment": ASSIGNMENT, "learner": payload, "notes": [payload], "error": payload,
        "checkpoints": [{"id": payload, "kind": "business", "status": "failed", "points": 0.0, "max_points": 1.0,
                         "hidden": True, "title": payload, "expected": payload, "hint": payload, "detail": payload}],
    })
    page = to_html(report)
    assert "<script>" not in page and page.count("&lt;script&gt;") >= 5


def test_a_rerun_skips_what_has_not_changed_and_regrades_what_has(submitted, first_run, tmp_path):
    out, _ = first_run
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    again = grade_cohort(submitted, copy, course=COURSE, limits=LIMITS, progress=False)
    assert (again.graded, again.skipped) == (0, 3)
    changed = tmp_path / "submitted"
    shutil.copytree(submitted, changed)
    write(released_notebook(COURSE, ASSIGNMENT), changed / "bob" / ASSIGNMENT, ASSIGNMENT)
    (copy / "alice" / f"{ASSIGNMENT}.json").unlink()  # as if the run had been interrupted before alice
    resumed = grade_cohort(changed, copy, course=COURSE, limits=LIMITS, progress=False)
    assert (resumed.graded, resumed.skipped) == (2, 1)
    assert {r["learner"]: r["score"] for r in resumed.reports}["bob"] == 0.0
    forced = grade_cohort(changed, copy, course=COURSE, limits=LIMITS, progress=False, force=True)
    assert (forced.graded, forced.skipped) == (3, 0)


def test_a_dask_cluster_grades_the_same(submitted, first_run, tmp_path):
    from distributed import LocalCluster

    _, local = first_run
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run = grade_cohort(submitted, tmp_path, course=COURSE, scheduler=cluster.scheduler_address,
                           limits=LIMITS, progress=False)
    assert [(r["learner"], r["score"]) for r in run.reports] == [(r["learner"], r["score"]) for r in local.reports]
