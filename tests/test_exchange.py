"""The instructor's round trip through nbgrader's exchange, with real Unix users.

An instructor and two learners are created with ``useradd``; the learners run nbgrader from an
environment of their own. The instructor releases an assignment, the learners fetch, work and
submit it, the instructor collects, the kit grades the cohort, the instructor releases the
feedback, and each learner fetches the kit's checkpoint feedback for the submission graded, and
only their own. A learner who resubmits the same notebook gets the feedback again for the new
submission without a regrade. Needs root (to create users) and a Python 3.11 other users can run.
"""
from __future__ import annotations

import nbformat
import pytest
from conftest import COURSE, MISTAKES
from unix_course import User, grade, instructor_course, missing, unix_users

from autograder.corpus import filled_notebook, mistake_notebook

ASSIGNMENT = "01_business_understanding"
REGISTRY = COURSE.assignment(ASSIGNMENT).registry()
#: The points before the instructor grades the written answers, and all of them.
AUTOMATIC, ALL = REGISTRY.automatic_score, REGISTRY.max_score

pytestmark = pytest.mark.skipif(bool(missing()), reason=missing())


@pytest.fixture(scope="module")
def people():
    """An instructor and two learners, each with an environment of their own, and their exchange."""
    try:
        with unix_users("teach", "amy", "ben") as (users, _):
            yield users
    except LookupError as reason:
        pytest.skip(str(reason))


@pytest.fixture(scope="module")
def course(people):
    return instructor_course(people["teach"], ASSIGNMENT)


def _work(learner: User, nb: nbformat.NotebookNode) -> None:
    """What the learner does between fetching and submitting: fill in the notebook."""
    path = learner.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert path.is_file(), f"{learner.name} did not fetch {ASSIGNMENT}"
    nbformat.write(nb, path)
    learner.give(path)


def _fetched_feedback(learner: User) -> dict[str, str]:
    """Submission timestamp -> the feedback page the learner fetched for it."""
    folder = learner.home / ASSIGNMENT / "feedback"
    return {page.parent.name: page.read_text() for page in folder.glob(f"*/{ASSIGNMENT}.html")}


def test_learners_fetch_the_kits_feedback_through_the_exchange(people, course):
    instructor, amy, ben = people["teach"], people["amy"], people["ben"]
    instructor.nbgrader("release_assignment", ASSIGNMENT, cwd=course)
    mistake = next(m for m in MISTAKES if m.name == "hours_ignored")
    for learner, nb in ((amy, filled_notebook(COURSE, ASSIGNMENT)), (ben, mistake_notebook(COURSE, mistake))):
        learner.nbgrader("fetch_assignment", ASSIGNMENT)
        _work(learner, nb)
        learner.nbgrader("submit", ASSIGNMENT)
        assert learner.run("cat", str(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), check=False).returncode
    instructor.nbgrader("collect", ASSIGNMENT, cwd=course)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted([amy.name, ben.name])

    graded = grade(course)
    assert "2 graded now" in graded.stdout
    page = course / "feedback" / ben.name / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert page.read_text() == (course / "grading" / ben.name / f"{ASSIGNMENT}.html").read_text()
    instructor.nbgrader("release_feedback", ASSIGNMENT, cwd=course)

    for learner in (amy, ben):
        learner.nbgrader("fetch_feedback", ASSIGNMENT)
    (amy_page,), (ben_page,) = _fetched_feedback(amy).values(), _fetched_feedback(ben).values()
    assert f"{amy.name} · <strong>Score: {AUTOMATIC:g} / {ALL:g}" in amy_page and 'class="miss' not in amy_page
    bens = AUTOMATIC - REGISTRY.checkpoints["bu.daily_value"].points
    assert f"{ben.name} · <strong>Score: {bens:g} / {ALL:g}" in ben_page and 'id="bu.daily_value"' in ben_page
    assert ben.name not in amy_page and amy.name not in ben_page

    # Ben submits the same notebook again: nothing to regrade, but the feedback follows the new submission.
    ben.nbgrader("submit", ASSIGNMENT)
    instructor.nbgrader("collect", "--update", ASSIGNMENT, cwd=course)
    assert "0 graded now, 2 unchanged" in grade(course).stdout
    instructor.nbgrader("release_feedback", ASSIGNMENT, cwd=course)
    ben.nbgrader("fetch_feedback", ASSIGNMENT)
    pages = _fetched_feedback(ben)
    assert len(pages) == 2 and all(f"{bens:g} / {ALL:g}" in page for page in pages.values())
