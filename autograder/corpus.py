"""Learner-shaped notebooks made from the course itself: the filled-in release and its mistakes.

A mistake is declared, not copied: ``tests/corpus/mistakes/<assignment>.toml`` names an answer
cell, the wrong code a learner typically writes there, and the checkpoints that mistake must miss
(exactly those). The same file declares valid alternatives (``[[valid]]``, ``misses = []``):
other correct answers, which must keep full marks. Applying it to the released notebook filled with the reference answers gives the
notebook a learner with that one mistake would submit, so the corpus never goes stale when the
prose of a notebook changes. The test suite and ``autograder demo`` both use it.
"""
from __future__ import annotations

import copy
import json
import re
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cells import cell_grade_id, nbgrader_meta
from autograder.course import Course

_SOLUTION_BLOCK = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*\n?", re.S | re.M)


@dataclass(frozen=True)
class Mistake:
    """One typical mistake: ``code`` replaces answer cell ``cell``; exactly ``misses`` fail.

    ``earns`` maps a missed checkpoint that gives partial credit to the share of its points the
    mistake still earns (``{"bu.routing": 11/12}`` for one of twelve asks routed wrongly).
    """

    assignment: str
    name: str
    cell: str
    code: str
    misses: tuple[str, ...]
    about: str = ""
    earns: dict[str, float] = field(default_factory=dict)


def load_mistakes(folder: Path) -> list[Mistake]:
    """Every mistake declared in ``folder/<assignment>.toml`` (its ``[[mistake]]`` tables)."""
    return _load(folder, "mistake")


def load_valid_answers(folder: Path) -> list[Mistake]:
    """Every valid alternative declared in ``folder/<assignment>.toml`` (its ``[[valid]]`` tables):
    another correct answer a learner may write, declared like a mistake that misses nothing."""
    answers = _load(folder, "valid")
    wrong = [f"{a.assignment}:{a.name}" for a in answers if a.misses]
    if wrong:
        raise ValueError(f"A valid answer misses nothing (misses = []): {wrong}")
    return answers


def _load(folder: Path, table: str) -> list[Mistake]:
    mistakes = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get(table, []):
            mistakes.append(
                Mistake(
                    assignment=path.stem,
                    name=entry["name"],
                    cell=entry["cell"],
                    code=entry["code"].strip() + "\n",
                    misses=tuple(entry["misses"]),
                    about=entry.get("about", ""),
                    earns={cid: float(Fraction(share)) for cid, share in entry.get("earns", {}).items()},
                )
            )
    return mistakes


def reference_answers(course: Course, assignment: str) -> dict[str, str]:
    """Answer cell grade_id -> the reference answer (code or written), without the solution markers."""
    answers = {}
    for cell in course.assignment(assignment).read_source().cells:
        if nbgrader_meta(cell).get("solution"):  # code answers and written answers alike
            answers[cell_grade_id(cell)] = _SOLUTION_BLOCK.sub(lambda m: m.group(1), cell.source)
    return answers


def released_notebook(course: Course, assignment: str, lang: str = "en") -> NotebookNode:
    """The notebook of ``assignment`` as released in ``lang`` (``assignments/``, ``assignments-<lang>/``)."""
    folder = course.root / ("assignments" if lang == "en" else f"assignments-{lang}")
    return nbformat.read(folder / assignment / f"{assignment}.ipynb", as_version=4)


def filled_notebook(course: Course, assignment: str, replacements: dict[str, str] | None = None, lang: str = "en") -> NotebookNode:
    """The notebook released in ``lang`` with every answer cell filled with the reference, then ``replacements``."""
    answers = reference_answers(course, assignment) | (replacements or {})
    nb = copy.deepcopy(released_notebook(course, assignment, lang))
    unknown = set(replacements or {}) - {cell_grade_id(c) for c in nb.cells}
    if unknown:
        raise KeyError(f"No answer cell {sorted(unknown)} in {assignment}")
    for cell in nb.cells:
        if cell_grade_id(cell) in answers and nbgrader_meta(cell).get("solution"):
            cell.source = answers[cell_grade_id(cell)].strip() + "\n"
    return nb


def mistake_notebook(course: Course, mistake: Mistake, lang: str = "en") -> NotebookNode:
    return filled_notebook(course, mistake.assignment, {mistake.cell: mistake.code}, lang)


@dataclass(frozen=True)
class Attack:
    """A submission that tries to cheat or to break the grader (``tests/corpus/redteam/*.toml``).

    It starts from the reference answers, then replaces answer cells, inserts cells of its own
    after named cells, edits or deletes test cells. ``expect`` maps checkpoints to the statuses
    they may get (every other checkpoint must pass): one status, or in the TOML a list of them where
    the machine's load decides which truthful one it is (a kernel out of processes may fail its next
    cell or stall it); ``score`` is the exact total either way.

    ``insert_after`` maps a grade id to the code of the new cell, or to a table ``{code, metadata}``
    whose ``metadata`` is JSON text (so it can carry what TOML cannot: a lone surrogate
    ``"\\ud800"``, an escape ``"\\u001b"``), the new cell's whole metadata. ``metadata`` maps a
    grade id (or ``"notebook"``) to JSON text merged into that cell's (the notebook's) metadata.
    ``never_shown`` lists texts of the attack that no rendered form of its report may contain;
    ``limits`` overrides the test's limits (``{cell_seconds = 30}``); ``known_hole`` says why the
    attack still earns what ``expect`` denies it (the test then expects it to fail, strictly).
    """

    assignment: str
    name: str
    about: str
    replace: dict[str, str]
    insert_after: dict[str, str | dict]
    edit: dict[str, str]
    delete: tuple[str, ...]
    expect: dict[str, tuple[str, ...]]
    score: float
    needs_isolation: bool = False
    metadata: dict[str, str] = field(default_factory=dict)
    never_shown: tuple[str, ...] = ()
    limits: dict[str, float] = field(default_factory=dict)
    known_hole: str = ""


def load_attacks(folder: Path) -> list[Attack]:
    attacks = []
    for path in sorted(folder.glob("*.toml")):
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("attack", []):
            attacks.append(Attack(
                assignment=path.stem, name=entry["name"], about=entry.get("about", ""),
                replace=entry.get("replace", {}), insert_after=entry.get("insert_after", {}),
                edit=entry.get("edit", {}), delete=tuple(entry.get("delete", [])),
                expect={checkpoint: (status,) if isinstance(status, str) else tuple(status)
                        for checkpoint, status in entry.get("expect", {}).items()},
                score=float(entry["score"]),
                needs_isolation=bool(entry.get("needs_isolation", False)),
                metadata=entry.get("metadata", {}), never_shown=tuple(entry.get("never_shown", [])),
                limits=entry.get("limits", {}), known_hole=entry.get("known_hole", ""),
            ))
    return attacks


def attack_notebook(course: Course, attack: Attack, placeholders: dict[str, str]) -> NotebookNode:
    """The notebook of ``attack``; ``@NAME@`` in its code becomes ``placeholders[NAME]``.

    Write it with ``json.dumps`` (ASCII): its metadata may hold a lone surrogate, as a hostile
    learner's file can, which no UTF-8 writer accepts.
    """
    def fill(code: str) -> str:
        for name, value in placeholders.items():
            code = code.replace(f"@{name}@", value)
        return code.strip() + "\n"

    nb = filled_notebook(course, attack.assignment, {cell: fill(code) for cell, code in attack.replace.items()})
    cells = []
    for cell in nb.cells:
        grade_id = cell_grade_id(cell)
        if grade_id in attack.delete:
            continue
        if grade_id in attack.edit:
            cell.source = fill(attack.edit[grade_id])
        if grade_id in attack.metadata:
            cell.metadata.update(json.loads(attack.metadata[grade_id]))
        cells.append(cell)
        if grade_id in attack.insert_after:
            inserted = attack.insert_after[grade_id]
            new = nbformat.v4.new_code_cell(fill(inserted if isinstance(inserted, str) else inserted["code"]))
            if isinstance(inserted, dict) and "metadata" in inserted:
                new.metadata = nbformat.from_dict(json.loads(inserted["metadata"]))
            cells.append(new)
    nb.cells = cells
    if "notebook" in attack.metadata:
        nb.metadata.update(json.loads(attack.metadata["notebook"]))
    return nb
