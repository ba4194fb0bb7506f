"""Check your work from inside the notebook: ``check_checkpoint("bu.qcd")``, ``check_all()``, ``set_language("ja")``.

(Not ``check(...)``: every test cell names its ``Checkpoint`` object ``check``.)

The visible test cell of a checkpoint is read from the saved notebook beside ``checkpoints.toml``
(test cells are read-only, so the saved copy is the released one) and run against the functions
defined in this kernel now. Titles and hints are the same ones the self-check and the grader's
report show. A checkpoint with hidden checks is announced as "graded later", never as passed.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from coursekit.checks import CheckpointFailed
from coursekit.registry import LANGUAGES, REGISTRY_FILE, CheckpointSpec, checkpoint_id, is_test_cell, load_registry

_language = "en"
_WORDS = {
    "en": {"passed": "passed", "missed": "missed", "not_attempted": "not attempted yet", "error": "your code raised",
           "later": "visible checks pass; hidden checks are graded later", "expected": "Expected", "hint": "Hint",
           "summary": "{passed} of {total} checkpoints pass their visible checks."},
    "ja": {"passed": "合格", "missed": "未達成", "not_attempted": "未着手", "error": "コードが例外を出しました",
           "later": "表示されているチェックは合格。隠しチェックは後で採点されます", "expected": "期待されること", "hint": "ヒント",
           "summary": "{total} 個中 {passed} 個のチェックポイントが表示されているチェックに合格しています。"},
}


def set_language(lang: str) -> None:
    """Show titles and hints in ``"en"`` or ``"ja"``."""
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language {lang!r}: use one of {LANGUAGES}.")
    _language = lang


@dataclass(frozen=True)
class CheckResult:
    """What ``check_checkpoint`` found for one checkpoint."""

    spec: CheckpointSpec
    status: str  # passed | later | missed | not_attempted | error
    detail: str = ""

    def line(self) -> str:
        words = _WORDS[_language]
        mark = "✓" if self.status in ("passed", "later") else "✗"
        text = f"{mark} {self.spec.id} — {self.spec.text('title', _language)}: {words[self.status if self.status != 'missed' else 'missed']}"
        if self.status not in ("passed", "later"):
            text += f"\n    {words['expected']}: {self.spec.text('expected', _language)}\n    {words['hint']}: {self.spec.text('hint', _language)}"
            if self.detail:
                text += f"\n    {self.detail}"
        return text

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.line()) + "</pre>"

    def __repr__(self) -> str:
        return self.line()


def _test_cells(folder: Path) -> dict[str, str]:
    registry = load_registry(folder)
    notebook = folder / f"{registry.assignment}.ipynb"
    # Plain JSON, not nbformat: importing nbformat (jsonschema) would add a second to every kernel's start.
    cells = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        grade = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if is_test_cell(cell) and grade:
            source = cell.get("source", "")
            cells[checkpoint_id(grade)] = source if isinstance(source, str) else "".join(source)
    return cells


def check_checkpoint(checkpoint: str, *, folder: str | Path = ".") -> CheckResult:
    """Run the visible checks of one checkpoint against this kernel's current definitions."""
    from IPython import get_ipython

    folder = Path(folder)
    spec = load_registry(folder).checkpoints.get(checkpoint)
    if spec is None:
        known = ", ".join(load_registry(folder).checkpoints)
        raise KeyError(f"No checkpoint {checkpoint!r} in this assignment; it has: {known}.")
    source = _test_cells(folder).get(checkpoint, "")
    shell = get_ipython()
    namespace = dict(shell.user_ns if shell is not None else {})  # a copy: checking changes none of your variables
    figures = _open_figures()
    try:
        exec(compile(source, f"<checkpoint {checkpoint}>", "exec"), namespace)  # noqa: S102 - the course's own test cell
    except NotImplementedError:
        return CheckResult(spec, "not_attempted")
    except CheckpointFailed as failed:
        return CheckResult(spec, "missed", str(failed).split("] ", 1)[-1])
    except Exception as error:  # the learner's code raised: say which kind
        return CheckResult(spec, "error", f"{_WORDS[_language]['error']}: {type(error).__name__}: {error}")
    finally:
        _close_figures_since(figures)
    return CheckResult(spec, "later" if spec.hidden else "passed")


def _open_figures() -> set[int]:
    import sys

    return set(sys.modules["matplotlib.pyplot"].get_fignums()) if "matplotlib.pyplot" in sys.modules else set()


def _close_figures_since(before: set[int]) -> None:
    """Close the charts the checks drew, so they do not pile up under the checker's answer."""
    import sys

    if "matplotlib.pyplot" in sys.modules:
        pyplot = sys.modules["matplotlib.pyplot"]
        for number in set(pyplot.get_fignums()) - before:
            pyplot.close(number)


class CheckReport(list):
    """The results of :func:`check_all`, shown as one block."""

    def __repr__(self) -> str:
        passed = sum(r.status in ("passed", "later") for r in self)
        return "\n".join([r.line() for r in self] + ["", _WORDS[_language]["summary"].format(passed=passed, total=len(self))])

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"


def check_all(*, folder: str | Path = ".") -> CheckReport:
    """Run the visible checks of every checkpoint of this assignment."""
    registry_folder = Path(folder)
    if not (registry_folder / REGISTRY_FILE).exists():
        raise FileNotFoundError(f"No {REGISTRY_FILE} here: open the notebook from its assignment folder.")
    return CheckReport(check_checkpoint(cid, folder=folder) for cid in load_registry(registry_folder).checkpoints)
