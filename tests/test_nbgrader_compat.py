"""Plain nbgrader keeps working on this course, and agrees with ``autograder grade`` point by point."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import nbformat
from conftest import COURSE, MISTAKES, ROOT
from nbgrader.api import Gradebook

from autograder import grade_notebook
from autograder.corpus import filled_notebook, mistake_notebook
from coursekit.registry import grade_id

ASSIGNMENT = "01_business_understanding"


def _nbgrader(course_dir, *args):
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, "--log-level=ERROR"],
        cwd=course_dir, check=True, capture_output=True, text=True,
    )


def test_nbgrader_autograde_gives_the_same_points_as_the_autograder(tmp_path):
    course_dir = tmp_path / "course"
    shutil.copytree(ROOT / "source", course_dir / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course_dir)
    _nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")

    mistake = next(m for m in MISTAKES if m.name == "monthly_cost_every_day")
    cohort = {
        "alice": filled_notebook(COURSE, ASSIGNMENT),
        "bob": mistake_notebook(COURSE, mistake),
        "hana": filled_notebook(COURSE, ASSIGNMENT, lang="ja"),  # the Japanese release, nbgrader's checksums and all
    }
    for learner, nb in cohort.items():
        folder = course_dir / "submitted" / learner / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    _nbgrader(course_dir, "autograde", ASSIGNMENT, "--force")

    registry = COURSE.assignment(ASSIGNMENT).registry()
    points = {}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for learner in cohort:
            report = grade_notebook(course_dir / "submitted" / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                                    course=COURSE, learner=learner)
            ours = {c.id: c.points for c in report.checkpoints}
            theirs = {
                cid: gradebook.find_grade(grade_id(cid), ASSIGNMENT, ASSIGNMENT, learner).score
                for cid in registry.checkpoints
            }
            assert ours == theirs, learner
            points[learner] = ours
    assert sum(points["bob"].values()) < registry.max_score  # bob's mistake costs points under both graders
    assert points["hana"] == points["alice"]  # the same answers in the Japanese release, the same points

    # The instructor grades two written answers in formgrader (which sets the grade's manual score).
    written = next(spec for spec in registry.checkpoints.values() if spec.manual)
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for learner, score in (("alice", written.points), ("hana", written.points / 2)):
            gradebook.find_grade(grade_id(written.id), ASSIGNMENT, ASSIGNMENT, learner).manual_score = score
        gradebook.db.commit()

    # The same nbgrader run, turned into the kit's reports: nbgrader's points, the kit's feedback.
    out = tmp_path / "reports"
    subprocess.run([sys.executable, "-m", "autograder", "report", "--gradebook", str(course_dir / "gradebook.db"),
                    "--autograded", str(course_dir / "autograded"), "--out", str(out)], check=True, capture_output=True)
    bob = json.loads((out / "bob" / f"{ASSIGNMENT}.json").read_text())
    missed = [(c["id"], c["status"], c["points"]) for c in bob["checkpoints"] if not c["passed"] and c["status"] != "manual"]
    assert missed == [("bu.monthly_cost_per_day", "failed", 0.0)]
    assert bob["score"] == sum(points["bob"].values()) and (out / "summary.html").exists() and (out / "grades.csv").exists()
    with (out / "checkpoints.csv").open(encoding="utf-8") as handle:  # the statistics come with the same reports
        statistics = {row["checkpoint"]: row for row in csv.DictReader(handle)}
    missed = statistics["bu.monthly_cost_per_day"]
    assert (missed["learners"], missed["passed"], missed["failed"], missed["facility"]) == ("3", "2", "1", "0.6667")
    hana = json.loads((out / "hana" / f"{ASSIGNMENT}.json").read_text())
    assert hana["lang"] == "ja"  # her report in her release's language
    alice = json.loads((out / "alice" / f"{ASSIGNMENT}.json").read_text())
    written_of = {report["learner"]: next(c for c in report["checkpoints"] if c["id"] == written.id) for report in (alice, bob, hana)}
    assert {learner: (c["status"], c["points"]) for learner, c in written_of.items()} == {
        "alice": ("passed", written.points), "hana": ("failed", written.points / 2), "bob": ("manual", 0.0)}
    assert alice["score"] == registry.automatic_score + written.points  # the instructor's points count in the total
    assert hana["score"] == registry.automatic_score + written.points / 2
