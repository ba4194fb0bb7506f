"""The instructor's round trip through nbgrader's exchange, with real Unix users.

An instructor and two learners are created with ``useradd``; the learners run nbgrader from an
environment of their own. The instructor releases an assignment, the learners fetch, work and
submit it, the instructor collects, the kit grades the cohort, the instructor releases the
feedback, and each learner fetches the kit's checkpoint feedback for the submission graded, and
only their own. A learner who resubmits the same notebook gets the feedback again for the new
submission without a regrade. Needs root (to create users) and a Python 3.11 other users can run.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE, MISTAKES, ROOT

from autograder.corpus import filled_notebook, mistake_notebook

ASSIGNMENT = "01_business_understanding"
COURSE_ID = "ml-project-course"  # nbgrader_config.py's CourseDirectory.course_id
KIT_SITE = Path(sysconfig.get_paths()["purelib"])
PYTHONS = [Path(sys.base_prefix) / "bin" / "python3.11", Path("/usr/bin/python3.11"), Path("/usr/local/bin/python3.11")]

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="creating Unix users with useradd needs root"),
    pytest.mark.skipif(shutil.which("useradd") is None or shutil.which("runuser") is None,
                       reason="useradd/runuser are not installed (Debian package 'passwd' / 'util-linux')"),
]


@dataclass
class User:
    """A Unix user of the test, with a home folder and a Python environment of its own."""

    name: str
    home: Path
    env: Path

    def run(self, *args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
        """``args`` as this user, in ``cwd`` (default: home), with only this user's environment."""
        env = ["env", "-i", f"HOME={self.home}", f"USER={self.name}", f"PATH={self.env}/bin:/usr/bin:/bin", "LANG=C.UTF-8"]
        result = subprocess.run(["runuser", "-u", self.name, "--", *env, *args], cwd=cwd or self.home,
                                capture_output=True, text=True, timeout=600)
        if check and result.returncode:
            raise AssertionError(f"{' '.join(args)} as {self.name} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def nbgrader(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return self.run(f"{self.env}/bin/python", "-m", "nbgrader", *args, cwd=cwd)

    def give(self, path: Path) -> None:
        """Make ``path`` (and everything under it) this user's."""
        subprocess.run(["chown", "-R", f"{self.name}:{self.name}", str(path)], check=True)


def _python_for(user: str) -> Path | None:
    """A Python 3.11 that ``user`` can run (the kit's own may sit in a folder closed to other users)."""
    for python in PYTHONS:
        probe = subprocess.run(["runuser", "-u", user, "--", str(python), "-c",
                                "import sys; assert sys.version_info[:2] == (3, 11)"], capture_output=True)
        if python.exists() and probe.returncode == 0:
            return python
    return None


def _environment(user: User, python: Path) -> None:
    """A virtual environment of the user's own that sees the kit's packages (the same nbgrader)."""
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(user.env)], check=True)
    site = next(user.env.glob("lib/python3.11/site-packages"))
    (site / "course-kit.pth").write_text(f"import site; site.addsitedir({str(KIT_SITE)!r})\n")
    alembic = user.env / "bin" / "alembic"  # nbgrader's gradebook shells out to it
    alembic.write_text(f"#!{user.env}/bin/python\nimport sys\nfrom alembic.config import main\nsys.exit(main())\n")
    alembic.chmod(0o755)
    user.give(user.env)


@pytest.fixture(scope="module")
def people():
    """An instructor and two learners, their homes, environments and the exchange they share."""
    base = Path(tempfile.mkdtemp(prefix="kit-exchange-"))  # pytest's own tmp folders are closed to other users
    base.chmod(0o755)
    tag = secrets.token_hex(3)
    names = {"instructor": f"kit{tag}teach", "amy": f"kit{tag}amy", "ben": f"kit{tag}ben"}
    made = []
    try:
        for role, name in names.items():
            subprocess.run(["useradd", "--create-home", "--home-dir", str(base / name), "--user-group",
                            "--shell", "/bin/sh", name], check=True, capture_output=True)
            made.append(name)
            (base / name).chmod(0o700)
        python = _python_for(names["instructor"])
        if python is None:
            pytest.skip("no Python 3.11 that other users can run: install Debian's python3.11 "
                        f"(the kit's own, {sys.base_prefix}, is closed to them)")
        users = {role: User(name, base / name, base / name / "env") for role, name in names.items()}
        exchange = base / "exchange"
        exchange.mkdir(mode=0o777)
        exchange.chmod(0o777)
        for user in users.values():
            _environment(user, python)
            config = user.home / ".jupyter" / "nbgrader_config.py"
            config.parent.mkdir()
            config.write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
                              f"c.CourseDirectory.course_id = {COURSE_ID!r}\n")
            user.give(config.parent)
        yield users
    finally:
        for name in made:
            subprocess.run(["userdel", name], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def course(people):
    """The instructor's course folder: the kit's source/, its released assignment and nbgrader's config."""
    instructor = people["instructor"]
    folder = instructor.home / "course"
    shutil.copytree(ROOT / "source", folder / "source")
    shutil.copytree(ROOT / "assignments" / ASSIGNMENT, folder / "assignments" / ASSIGNMENT)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    instructor.give(folder)
    folder.chmod(0o700)  # hidden tests and reference answers: the instructor's only
    return folder


def _work(learner: User, nb: nbformat.NotebookNode) -> None:
    """What the learner does between fetching and submitting: fill in the notebook."""
    path = learner.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert path.is_file(), f"{learner.name} did not fetch {ASSIGNMENT}"
    nbformat.write(nb, path)
    learner.give(path)


def _grade(course: Path) -> subprocess.CompletedProcess:
    """The kit grades the collected cohort (here as root, which gives each kernel a uid of its own)."""
    command = [str(Path(sys.executable).parent / "autograder"), "--course", str(course), "cohort", str(course / "submitted"),
               "--out", str(course / "grading"), "--jobs", "2", "--cell-timeout", "30", "--timeout", "120"]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=1200)


def _fetched_feedback(learner: User) -> dict[str, str]:
    """Submission timestamp -> the feedback page the learner fetched for it."""
    folder = learner.home / ASSIGNMENT / "feedback"
    return {page.parent.name: page.read_text() for page in folder.glob(f"*/{ASSIGNMENT}.html")}


def test_learners_fetch_the_kits_feedback_through_the_exchange(people, course):
    instructor, amy, ben = people["instructor"], people["amy"], people["ben"]
    instructor.nbgrader("release_assignment", ASSIGNMENT, cwd=course)
    mistake = next(m for m in MISTAKES if m.name == "hours_ignored")
    for learner, nb in ((amy, filled_notebook(COURSE, ASSIGNMENT)), (ben, mistake_notebook(COURSE, mistake))):
        learner.nbgrader("fetch_assignment", ASSIGNMENT)
        _work(learner, nb)
        learner.nbgrader("submit", ASSIGNMENT)
        assert learner.run("cat", str(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), check=False).returncode
    instructor.nbgrader("collect", ASSIGNMENT, cwd=course)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted([amy.name, ben.name])

    graded = _grade(course)
    assert "2 graded now" in graded.stdout
    page = course / "feedback" / ben.name / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert page.read_text() == (course / "grading" / ben.name / f"{ASSIGNMENT}.html").read_text()
    instructor.nbgrader("release_feedback", ASSIGNMENT, cwd=course)

    for learner in (amy, ben):
        learner.nbgrader("fetch_feedback", ASSIGNMENT)
    (amy_page,), (ben_page,) = _fetched_feedback(amy).values(), _fetched_feedback(ben).values()
    assert f"{amy.name} · Score: <strong>20 / 20</strong>" in amy_page and "Every checkpoint passed" in amy_page
    assert f"{ben.name} · Score: <strong>18 / 20</strong>" in ben_page and 'id="bu.daily_value"' in ben_page
    assert ben.name not in amy_page and amy.name not in ben_page

    # Ben submits the same notebook again: nothing to regrade, but the feedback follows the new submission.
    ben.nbgrader("submit", ASSIGNMENT)
    instructor.nbgrader("collect", "--update", ASSIGNMENT, cwd=course)
    assert "0 graded now, 2 unchanged" in _grade(course).stdout
    instructor.nbgrader("release_feedback", ASSIGNMENT, cwd=course)
    ben.nbgrader("fetch_feedback", ASSIGNMENT)
    pages = _fetched_feedback(ben)
    assert len(pages) == 2 and all("18 / 20" in page for page in pages.values())
