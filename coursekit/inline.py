"""Check your work from inside the notebook: ``check_checkpoint("bu.qcd")``, ``check_all()``, ``set_language("ja")``.

(Not ``check(...)``: test cells name their ``Checkpoint`` object ``check``.)

The visible test cell of a checkpoint is read from the saved notebook beside ``checkpoints.toml``
(test cells are read-only, so the saved copy is the released one) and run against the functions
defined in this kernel now. The outcome is decided by the same rule as the grader's
(:func:`coursekit.verdicts.checkpoint_outcome`), and titles, hints and labels are the same ones
the self-check and the grader's report show. A checkpoint with hidden checks is announced as
"graded later", never as passed.
"""
from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from coursekit.checks import Checkpoint, set_message_language
from coursekit.labels import check_language, reason_text, text
from coursekit.localized import describer, metadata_beside, notebook_language
from coursekit.registry import REGISTRY_FILE, CheckpointSpec, checkpoint_id, is_test_cell, load_registry
from coursekit.verdicts import CellEnd, Outcome, Reason, Status, checkpoint_outcome

#: The language set by :func:`set_language`; ``None``: the notebook's own (English, or its release's).
_language: str | None = None


def set_language(lang: str) -> None:
    """Show titles, hints and messages in ``lang`` (``"en"``, ``"ja"``; by default, the notebook's own)."""
    global _language
    _language = check_language(lang)
    set_message_language(lang)


@dataclass(frozen=True)
class CheckResult:
    """What ``check_checkpoint`` found for one checkpoint."""

    spec: CheckpointSpec
    outcome: Outcome
    lang: str = "en"
    #: The notebook's metadata, which translates the descriptions of its checks.
    metadata: dict | None = None

    @property
    def status(self) -> Status:
        return self.outcome.status

    @property
    def later(self) -> bool:
        """Its visible checks pass, and hidden ones wait for the grader."""
        return self.status is Status.PASSED and self.spec.hidden

    def line(self) -> str:
        lang = self.lang
        own = describer(self.metadata, self.spec.id) if self.metadata and notebook_language(self.metadata) == lang else None
        ok = self.status in (Status.PASSED, Status.MANUAL)
        word = text("status.later" if self.later else f"status.{self.status}", lang)
        lines = [f"{'✓' if ok else '✗'} {self.spec.id} — {self.spec.text('title', lang)}: {word}"]
        if not ok:
            lines.append(f"    {text('report.expected', lang)}: {self.spec.text('expected', lang)}")
            lines.append(f"    {text('report.hint', lang)}: {self.spec.text('hint', lang)}")
            lines += [f"    {reason_text(reason, lang, own)}" for reason in (self.outcome.reason, *self.outcome.notes) if reason]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.line()) + "</pre>"

    def __repr__(self) -> str:
        return self.line()


def _test_cells(folder: Path, assignment: str) -> dict[str, str]:
    notebook = folder / f"{assignment}.ipynb"
    # Plain JSON, not nbformat: importing nbformat (jsonschema) would add a second to every kernel's start.
    cells = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        grade = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if is_test_cell(cell) and grade:
            source = cell.get("source", "")
            cells[checkpoint_id(grade)] = source if isinstance(source, str) else "".join(source)
    return cells


def _run_visible_checks(checkpoint: str, source: str) -> tuple[list, CellEnd]:
    """Run a test cell's visible source on a copy of this kernel's names; its checks and how it ended."""
    from IPython import get_ipython

    shell = get_ipython()
    namespace = dict(shell.user_ns if shell is not None else {})  # a copy: checking changes none of your variables
    made: list[Checkpoint] = []

    def collecting(checkpoint_id: str) -> Checkpoint:
        made.append(Checkpoint(checkpoint_id, strict=False))
        return made[-1]

    namespace["Checkpoint"] = collecting
    figures = _open_figures()
    try:
        exec(compile(source, f"<checkpoint {checkpoint}>", "exec"), namespace)  # noqa: S102 - the course's own test cell
        end = CellEnd("ok")
    except Exception as error:  # the learner's code raised: its kind decides the outcome
        end = CellEnd("error", type(error).__name__)
    finally:
        _close_figures_since(figures)
    return [verdict for check in made for verdict in check.verdicts], end


def check_checkpoint(checkpoint: str, *, folder: str | Path = ".") -> CheckResult:
    """Run the visible checks of one checkpoint against this kernel's current definitions."""
    folder = Path(folder)
    registry = load_registry(folder)
    spec = registry.checkpoints.get(checkpoint)
    if spec is None:
        raise KeyError(f"No checkpoint {checkpoint!r} in this assignment; it has: {', '.join(registry.checkpoints)}.")
    metadata = metadata_beside(folder)
    lang = _language or notebook_language(metadata)
    if spec.manual:
        return CheckResult(spec, Outcome(Status.MANUAL, reason=Reason("reason.manual")), lang, metadata)
    source = _test_cells(folder, registry.assignment).get(checkpoint)
    if source is None:
        return CheckResult(spec, checkpoint_outcome([], CellEnd("not_run")), lang, metadata)
    verdicts, end = _run_visible_checks(checkpoint, source)
    return CheckResult(spec, checkpoint_outcome(verdicts, end), lang, metadata)


def _open_figures() -> set[int]:
    return set(sys.modules["matplotlib.pyplot"].get_fignums()) if "matplotlib.pyplot" in sys.modules else set()


def _close_figures_since(before: set[int]) -> None:
    """Close the charts the checks drew, so they do not pile up under the checker's answer."""
    if "matplotlib.pyplot" in sys.modules:
        pyplot = sys.modules["matplotlib.pyplot"]
        for number in set(pyplot.get_fignums()) - before:
            pyplot.close(number)


class CheckReport(list):
    """The results of :func:`check_all`, shown as one block."""

    def __repr__(self) -> str:
        passed = sum(r.status is Status.PASSED for r in self)
        graded = sum(r.status is not Status.MANUAL for r in self)
        lang = self[0].lang if self else _language or "en"
        return "\n".join([r.line() for r in self] + ["", text("inline.summary", lang, passed=passed, total=graded)])

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"


def check_all(*, folder: str | Path = ".") -> CheckReport:
    """Run the visible checks of every checkpoint of this assignment."""
    registry_folder = Path(folder)
    if not (registry_folder / REGISTRY_FILE).exists():
        raise FileNotFoundError(f"No {REGISTRY_FILE} here: open the notebook from its assignment folder.")
    return CheckReport(check_checkpoint(cid, folder=folder) for cid in load_registry(registry_folder).checkpoints)
