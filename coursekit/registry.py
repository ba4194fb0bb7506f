"""The checkpoint registry: one ``checkpoints.toml`` beside each assignment notebook.

It is the single place that says, per checkpoint id, its kind, points, visibility and the
texts a learner reads (title, what was expected, hint) in English and Japanese. nbgrader copies
it next to the released and the solution notebook, so the learner's kernel, the self-check and
the grader all read the same file.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

REGISTRY_FILE = "checkpoints.toml"
KINDS = ("business", "technical")
TEXT_FIELDS = ("title", "expected", "hint")


def checkpoint_id(grade_id: str) -> str:
    """The checkpoint id of an nbgrader ``grade_id``: ``bu-daily_value`` -> ``bu.daily_value``.

    nbgrader allows no dot in a ``grade_id``, so a graded cell carries its checkpoint id with the
    dot written as the first hyphen.
    """
    return grade_id.replace("-", ".", 1)


def grade_id(checkpoint_id: str) -> str:
    """The nbgrader ``grade_id`` of a checkpoint id: ``bu.daily_value`` -> ``bu-daily_value``."""
    return checkpoint_id.replace(".", "-", 1)


def is_test_cell(cell: dict) -> bool:
    """An nbgrader cell that grades (and is not an answer): one checkpoint's test cell."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and isinstance(meta, dict) and bool(meta.get("grade")) and not meta.get("solution")


def is_manual_cell(cell: dict) -> bool:
    """An nbgrader manually graded answer: a markdown cell the learner writes and the instructor grades."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "markdown" and isinstance(meta, dict) and bool(meta.get("grade")) and bool(meta.get("solution"))


class RegistryError(ValueError):
    """A registry file that cannot be used as it is."""


@dataclass(frozen=True)
class CheckpointSpec:
    """What the course says about one checkpoint (never how it is tested)."""

    id: str
    kind: str
    points: float
    hidden: bool
    texts: dict[str, dict[str, str]]
    #: A written answer graded by the instructor in formgrader, not by the kit.
    manual: bool = False

    def text(self, field: str, lang: str = "en") -> str:
        """The ``title``, ``expected`` or ``hint`` text in ``lang``, English if missing."""
        by_lang = self.texts[field]
        return by_lang.get(lang) or by_lang["en"]


@dataclass(frozen=True)
class Registry:
    """All checkpoints of one assignment, in the order the notebook grades them."""

    assignment: str
    titles: dict[str, str]
    checkpoints: dict[str, CheckpointSpec]

    @property
    def max_score(self) -> float:
        return sum(spec.points for spec in self.checkpoints.values())

    @property
    def automatic_score(self) -> float:
        """The points the grader gives itself: all but the written answers' (``manual``), which wait for the instructor."""
        return sum(spec.points for spec in self.checkpoints.values() if not spec.manual)

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles["en"]


def _spec(checkpoint_id: str, entry: dict, where: Path) -> CheckpointSpec:
    if entry.get("kind") not in KINDS:
        raise RegistryError(f"{where}: checkpoint {checkpoint_id!r} needs kind = one of {KINDS}.")
    points = entry.get("points")
    if not isinstance(points, (int, float)) or points <= 0:
        raise RegistryError(f"{where}: checkpoint {checkpoint_id!r} needs a positive number of points.")
    texts = {}
    for field in TEXT_FIELDS:
        by_lang = entry.get(field, {})
        if not isinstance(by_lang, dict) or not by_lang.get("en"):
            raise RegistryError(f"{where}: checkpoint {checkpoint_id!r} needs {field}.en (and {field}.ja).")
        texts[field] = {lang: str(text).strip() for lang, text in by_lang.items()}
    return CheckpointSpec(
        id=checkpoint_id,
        kind=entry["kind"],
        points=float(points),
        hidden=bool(entry.get("hidden", False)),
        texts=texts,
        manual=bool(entry.get("manual", False)),
    )


def load_registry(path: str | Path) -> Registry:
    """Read a ``checkpoints.toml`` file, or the one inside the folder ``path``."""
    path = Path(path)
    if path.is_dir():
        path = path / REGISTRY_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(
            f"No {REGISTRY_FILE} at {path}: keep the notebook in its assignment folder."
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"{path} is not valid TOML: {error}") from None
    checkpoints = {cid: _spec(cid, entry, path) for cid, entry in data.get("checkpoints", {}).items()}
    if "assignment" not in data or not checkpoints:
        raise RegistryError(f"{path} needs an 'assignment' name and at least one [checkpoints.\"id\"] table.")
    return Registry(assignment=data["assignment"], titles=dict(data.get("title", {})), checkpoints=checkpoints)
