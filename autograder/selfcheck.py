"""The learner's self-check, as a pytest plugin: ``pytest assignments/02_analyze``.

Each notebook beside a ``checkpoints.toml`` becomes one test item per checkpoint. The notebook
runs once, through the same runner and judge as the grader; a miss reads like the grader's
feedback (title, what was expected, hint), not like a stack trace. Hidden checks are not in a
released notebook: a checkpoint that has some is reported as "graded later", never as passed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.grade import self_check
from autograder.report import CheckpointResult
from autograder.submission import SubmissionError, read_submission
from coursekit.labels import languages, reason_text, text
from coursekit.localized import notebook_language, read_metadata
from coursekit.registry import REGISTRY_FILE, load_registry
from coursekit.verdicts import Status

_HIDDEN_LATER = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("course self-check")
    group.addoption("--course-lang", default=None, choices=languages(),
                    help="language of checkpoint titles, hints and messages (default: the notebook's own language)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_HIDDEN_LATER] = []


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if (
        file_path.suffix == ".ipynb"
        and (file_path.parent / REGISTRY_FILE).is_file()
        and ".ipynb_checkpoints" not in file_path.parts
    ):
        return AssignmentNotebook.from_parent(parent, path=file_path)
    return None


class CheckpointMissed(Exception):
    """A checkpoint of the learner's notebook did not pass."""


class AssignmentNotebook(pytest.File):
    """A learner's assignment notebook: one item per checkpoint of its registry."""

    _results: dict[str, CheckpointResult] | None = None
    #: The language of the messages: ``--course-lang``, else the notebook's own.
    lang = "en"

    def collect(self):
        self.lang = self.config.getoption("course_lang") or notebook_language(read_metadata(self.path))
        registry = load_registry(self.path.parent)
        for checkpoint in registry.checkpoints:
            yield CheckpointItem.from_parent(self, name=checkpoint)

    def results(self) -> dict[str, CheckpointResult]:
        """Run the notebook once and judge every checkpoint (cached for the other items)."""
        if self._results is None:
            try:
                nb = read_submission(self.path)
            except SubmissionError as error:
                raise CheckpointMissed(reason_text(error.reason, self.lang)) from None
            results = self_check(nb, self.path.parent / REGISTRY_FILE, self.lang)
            self._results = {result.id: result for result in results}
        return self._results


class CheckpointItem(pytest.Item):
    """One checkpoint of the learner's notebook."""

    def runtest(self) -> None:
        result = self.parent.results()[self.name]
        lang = self.parent.lang
        if result.status == Status.MANUAL:
            pytest.skip(text("status.manual", lang))
        if not result.passed:
            lines = [f"{result.title} [{text(f'status.{result.status}', lang)}]",
                     f"  {text('report.expected', lang)}: {result.expected}", f"  {text('report.hint', lang)}: {result.hint}"]
            if result.detail:
                lines.append(f"  {result.detail}")
            raise CheckpointMissed("\n".join(lines))
        if result.hidden:
            self.config.stash[_HIDDEN_LATER].append((self.name, lang))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckpointMissed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, text("selfcheck.item", self.parent.lang, checkpoint=self.name)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    later = config.stash.get(_HIDDEN_LATER, [])
    if later:
        lang = config.getoption("course_lang") or later[0][1]
        ids = sorted(name for name, _ in later)
        terminalreporter.write_line(text("selfcheck.later", lang, count=len(ids), ids=", ".join(ids)))
