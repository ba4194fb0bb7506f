"""A course run by real Unix users: an instructor and learners made with ``useradd``, each with a
Python environment of their own, and the nbgrader exchange they share.

Each environment is a virtual environment made from a Python 3.11 every user can run, seeing the
kit's packages (so the same nbgrader) through a ``.pth`` file; the kit's own environment may sit
in a folder other users cannot enter. Needs root.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_ID = "ml-project-course"  # nbgrader_config.py's CourseDirectory.course_id
KIT_PREFIX = Path(sys.prefix)
KIT_SITE = Path(sysconfig.get_paths()["purelib"])
PYTHONS = [Path(sys.base_prefix) / "bin" / "python3.11", Path("/usr/bin/python3.11"), Path("/usr/local/bin/python3.11")]
#: Console scripts an environment gets: name -> the module whose main() it runs.
SCRIPTS = {"alembic": "alembic.config", "jupyterhub-singleuser": "jupyterhub.singleuser"}


def missing() -> str:
    """Why users cannot be made here ("" when they can)."""
    if os.geteuid() != 0:
        return "creating Unix users with useradd needs root"
    if shutil.which("useradd") is None or shutil.which("runuser") is None:
        return "useradd/runuser are not installed (Debian packages 'passwd' and 'util-linux')"
    return ""


@dataclass
class User:
    """A Unix user of the test, with a home folder and a Python environment of its own."""

    name: str
    home: Path

    @property
    def env(self) -> Path:
        return self.home / "env"

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
    """A Python 3.11 that ``user`` can run."""
    for python in PYTHONS:
        probe = subprocess.run(["runuser", "-u", user, "--", str(python), "-c",
                                "import sys; assert sys.version_info[:2] == (3, 11)"], capture_output=True)
        if python.exists() and probe.returncode == 0:
            return python
    return None


def _environment(user: User, python: Path) -> None:
    """A virtual environment of the user's own that sees the kit's packages."""
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(user.env)], check=True)
    site = next(user.env.glob("lib/python3.11/site-packages"))
    (site / "course-kit.pth").write_text(f"import site; site.addsitedir({str(KIT_SITE)!r})\n")
    for name, module in SCRIPTS.items():
        script = user.env / "bin" / name
        script.write_text(f"#!{user.env}/bin/python\nimport sys\nfrom {module} import main\nsys.exit(main())\n")
        script.chmod(0o755)
    user.give(user.env)


@contextmanager
def unix_users(*roles: str) -> Iterator[tuple[dict[str, User], Path]]:
    """Users for ``roles`` (their names made unique) and the exchange folder they share.

    Each user's ``~/.jupyter/nbgrader_config.py`` points nbgrader at that exchange and the course.
    Raises ``LookupError`` when no Python 3.11 can be run by them. Removes the users afterwards.
    """
    base = Path(tempfile.mkdtemp(prefix="kit-users-"))  # pytest's own tmp folders are closed to other users
    base.chmod(0o755)
    tag = secrets.token_hex(3)
    made = []
    try:
        users = {}
        for role in roles:
            name = f"kit{tag}{role}"[:32]
            subprocess.run(["useradd", "--create-home", "--home-dir", str(base / name), "--user-group",
                            "--shell", "/bin/sh", name], check=True, capture_output=True)
            made.append(name)
            (base / name).chmod(0o700)
            users[role] = User(name, base / name)
        python = _python_for(made[0])
        if python is None:
            raise LookupError(f"no Python 3.11 that other users can run: install Debian's python3.11 "
                              f"(the kit's own, {sys.base_prefix}, is closed to them)")
        exchange = base / "exchange"
        exchange.mkdir()
        exchange.chmod(0o777)
        for user in users.values():
            _environment(user, python)
            config = user.home / ".jupyter" / "nbgrader_config.py"
            config.parent.mkdir()
            config.write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
                              f"c.CourseDirectory.course_id = {COURSE_ID!r}\n")
            user.give(config.parent)
        yield users, exchange
    finally:
        for name in made:
            subprocess.run(["userdel", name], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def instructor_course(instructor: User, assignment: str) -> Path:
    """The instructor's course folder (theirs alone): the kit's source/, the released assignment, nbgrader's config."""
    folder = instructor.home / "course"
    shutil.copytree(ROOT / "source", folder / "source")
    shutil.copytree(ROOT / "assignments" / assignment, folder / "assignments" / assignment)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    instructor.give(folder)
    folder.chmod(0o700)  # hidden tests and reference answers
    return folder


def grade(course: Path) -> subprocess.CompletedProcess:
    """The kit grades the collected cohort, as root (each kernel then gets a uid of its own)."""
    command = [str(KIT_PREFIX / "bin" / "autograder"), "--course", str(course), "cohort", str(course / "submitted"),
               "--out", str(course / "grading"), "--jobs", "2", "--cell-timeout", "30", "--timeout", "120"]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=1200)
