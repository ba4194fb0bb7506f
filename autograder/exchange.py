"""Put the kit's feedback pages where nbgrader's exchange delivers them to learners.

``nbgrader submit`` stores two files beside a learner's notebooks, and ``nbgrader collect``
copies them into ``submitted/<learner>/<assignment>/``: ``timestamp.txt`` and
``submission_secret.txt``. ``nbgrader release_feedback ASSIGNMENT`` (nbgrader 0.9's default
exchange) takes every ``feedback/<learner>/<assignment>/<notebook>.html`` and copies it into the
exchange as ``md5(secret + notebook name).html``, reading the secret and timestamp from that same
folder; a learner's ``nbgrader fetch_feedback`` (and the Assignments tab) computes the same name
from the secret its own submission left in the learner's cache. A page written here with the
secret of the submission it graded therefore reaches that learner, for that submission only.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TIMESTAMP, SECRET = "timestamp.txt", "submission_secret.txt"


@dataclass(frozen=True)
class ExchangeKey:
    """What keys a submission's feedback in nbgrader's exchange: its timestamp and secret."""

    timestamp: str
    secret: str


def exchange_key(submission: Path) -> ExchangeKey | None:
    """The key ``nbgrader collect`` left in a submission's folder, or None (not collected by nbgrader)."""
    try:
        return ExchangeKey((submission / TIMESTAMP).read_text(encoding="utf-8"),
                           (submission / SECRET).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def feedback_folder(feedback: Path, learner: str, assignment: str) -> Path:
    """nbgrader's ``feedback/<learner>/<assignment>`` folder (CourseDirectory's default layout)."""
    return feedback / learner / assignment


def publish_feedback(page: str, feedback: Path, learner: str, assignment: str, notebooks: tuple[str, ...],
                     key: ExchangeKey) -> list[Path]:
    """Write ``page`` as the feedback of each of ``notebooks`` (names without ``.ipynb``), keyed to ``key``.

    ``nbgrader release_feedback`` needs both key files beside the pages; a page for a notebook the
    learner did not submit would never be fetched, so only the submitted names get one.
    """
    folder = feedback_folder(feedback, learner, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TIMESTAMP).write_text(key.timestamp, encoding="utf-8")
    (folder / SECRET).write_text(key.secret, encoding="utf-8")
    pages = [folder / f"{name}.html" for name in notebooks]
    for path in pages:
        path.write_text(page, encoding="utf-8")
    return pages
