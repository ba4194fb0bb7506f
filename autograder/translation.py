"""The course in other languages: one gettext catalogue per assignment and language.

``locale/<lang>/<assignment>.po`` at the course root (outside ``source/``, which nbgrader copies
into the release: the catalogue holds the descriptions of hidden checks). Each entry is keyed by
a stable context and carries the English it translates:

============================  ====================================================
context                       English
============================  ====================================================
``<cell id>``                 a markdown cell, whole
``<cell id>: comment``        a comment of an answer cell (or of a free code cell)
``<cell id>: docstring of f`` the docstring of ``f`` in that cell
``what:<checkpoint>``         a check's description, shown when it does not hold
``ask:<ask id>``              one of the ``ASKS`` of a communication exercise
``why:<ask id>``              the worked answer's reason for that ask
============================  ====================================================

    python -m autograder.translation catalogues [--add LANG]   # sync every catalogue, list what to translate
    python -m autograder.translation release                   # write assignments-<lang>/ and solutions-<lang>/
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nbformat import NotebookNode

from autograder.catalogue import broken_rules, problems, sync_catalogue, translations
from autograder.cells import asks_of, cell_grade_id, is_locked, nbgrader_meta
from autograder.code_text import code_texts
from autograder.course import Assignment, Course
from autograder.recording import _check_calls, call_sites
from coursekit.labels import languages
from coursekit.registry import checkpoint_id, is_test_cell
from coursekit.vocabulary import ROLES

LOCALE = "locale"
#: Code spans a translation may add: a role's identifier, written once beside its translated name.
ADDED_SPANS = frozenset(ROLES)


def course_languages() -> tuple[str, ...]:
    """The languages the course is translated into: every language of the kit's label table but English."""
    return languages()[1:]


def catalogue_path(course: Course, assignment: str, lang: str) -> Path:
    return course.root / LOCALE / lang / f"{assignment}.po"


def code_text_context(cell_id: str, role: str) -> str:
    return f"{cell_id}: {role}"


def is_prose_code_cell(cell: NotebookNode) -> bool:
    """A code cell whose comments and docstrings are translated: an answer cell or a free cell,
    never a test cell or another read-only cell (those stay as the grader restores them)."""
    return cell.cell_type == "code" and not is_test_cell(cell) and not is_locked(cell)


def routing_whys(source: str) -> dict[str, str]:
    """ask id -> why, from the answer keys of a test cell's ``check.routing(ROUTING, KEY, ...)``
    (a literal dict, or a name the cell assigns one to)."""
    tree = ast.parse(source)
    literals = {target.id: statement.value for statement in tree.body if isinstance(statement, ast.Assign)
                for target in statement.targets if isinstance(target, ast.Name)}
    whys = {}
    for call in _check_calls(tree):
        if call.func.attr != "routing" or len(call.args) < 2:
            continue
        key = call.args[1]
        key = literals.get(key.id, key) if isinstance(key, ast.Name) else key
        try:
            answers = ast.literal_eval(key)
        except ValueError:
            raise ValueError(f"line {call.lineno}: the routing key must be a literal dict to be translated") from None
        whys |= {str(ask): str(answer["why"]) for ask, answer in answers.items() if isinstance(answer, dict) and "why" in answer}
    return whys


def _cell_entries(cell: NotebookNode, asks: dict[str, str]) -> Iterator[tuple[str, str]]:
    if cell.cell_type == "markdown":
        if cell.source.strip():
            yield cell.id, cell.source
    elif cell.cell_type == "code" and is_test_cell(cell):
        checkpoint = checkpoint_id(cell_grade_id(cell))
        for site in call_sites(cell.source):
            yield f"what:{checkpoint}", site.what
        for ask, why in routing_whys(cell.source).items():
            yield f"why:{ask}", why
    elif cell.cell_type == "code" and is_locked(cell) and "ASKS" in cell.source:
        for ask in asks:
            yield f"ask:{ask}", asks[ask]
    elif is_prose_code_cell(cell):
        for text in code_texts(cell.source):
            yield code_text_context(cell.id, text.role), text.english


def entries(assignment: Assignment) -> list[tuple[str, str]]:
    """Every (context, English) pair of the assignment a translator translates, in notebook order."""
    source = assignment.read_source()
    asks = asks_of(source)
    return list(dict.fromkeys(pair for cell in source.cells for pair in _cell_entries(cell, asks)))


@dataclass(frozen=True)
class Progress:
    """How far one catalogue is: its problems (:func:`autograder.catalogue.problems`) and counts."""

    path: Path
    problems: dict[str, list[str]]
    total: int
    translated: int

    @property
    def started(self) -> bool:
        return self.translated > 0

    @property
    def complete(self) -> bool:
        return not any(self.problems.values())


def progress(course: Course, assignment: Assignment, lang: str) -> Progress:
    path = catalogue_path(course, assignment.name, lang)
    wanted = entries(assignment)
    done = translations(path)
    return Progress(path, problems(path, wanted), len(wanted), sum(pair in done for pair in wanted))


@cache
def _table(path: Path, mtime: float) -> dict[tuple[str, str], str]:
    return translations(path)


def translation_table(course: Course, assignment: str, lang: str) -> dict[tuple[str, str], str]:
    """(context, English) -> translation of an assignment's catalogue (empty for English or no catalogue)."""
    path = catalogue_path(course, assignment, lang)
    if lang == "en" or not path.is_file():
        return {}
    return _table(path, path.stat().st_mtime)


def describer(course: Course, assignment: str, lang: str) -> Callable[[str], Callable[[str], str]]:
    """checkpoint -> the hook that shows one of its check descriptions in ``lang`` (English where
    the catalogue has no current translation): :func:`coursekit.labels.reason_text`'s ``translate``."""
    table = translation_table(course, assignment, lang)
    return lambda checkpoint: lambda what: table.get((f"what:{checkpoint}", what), what)


def rule_breaks(path: Path) -> dict[str, list[str]]:
    """context -> what its translation in the catalogue at ``path`` lost of its English (code
    spans, numbers, placeholders): :func:`autograder.catalogue.broken_rules`."""
    return broken_rules(path, ADDED_SPANS)


def sync_catalogues(course: Course, langs: tuple[str, ...]) -> list[tuple[Path, list[str]]]:
    """Sync every assignment's catalogue of each language with its English; what each needs."""
    return [(catalogue_path(course, a.name, lang), sync_catalogue(catalogue_path(course, a.name, lang), entries(a), lang))
            for lang in langs for a in course.assignments()]


def _catalogues(args: argparse.Namespace, course: Course) -> int:
    from autograder.catalogue import main as sync_labels

    if args.add:
        from coursekit.labels import ENGLISH, LOCALE as LABELS

        if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", args.add):
            raise SystemExit(f"{args.add!r} is not a language code: use one like fr or pt_BR.")
        sync_catalogue(LABELS / f"{args.add}.po", ENGLISH, args.add)  # the kit's own words first
    sync_labels()
    for path, todo in sync_catalogues(course, course_languages()):
        shown = path.relative_to(course.root)
        print(f"{shown}: {len(todo)} entr{'y' if len(todo) == 1 else 'ies'} to translate" + (": " + ", ".join(dict.fromkeys(todo)) if todo else ""))
        for context, broken in rule_breaks(path).items():
            print(f"  {context}: " + "; ".join(broken) + " (keep them exactly as the English has them)")
    return 0


def _release(args: argparse.Namespace, course: Course) -> int:
    from autograder.localized_release import write_releases

    for folder in write_releases(course, course_languages()):
        print(f"wrote {folder.relative_to(course.root)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.translation", description="The course's translations.")
    parser.add_argument("--course", help="the course folder (default: the one this kit sits in, or $COURSE_ROOT)")
    commands = parser.add_subparsers(dest="command", required=True)
    catalogues = commands.add_parser("catalogues", help="sync every catalogue with the English and list what needs a translator")
    catalogues.add_argument("--add", metavar="LANG", help="start a new language: its catalogues, empty")
    commands.add_parser("release", help="write the translated releases (assignments-<lang>/, solutions-<lang>/)")
    args = parser.parse_args(argv)
    course = Course.locate(args.course)
    return {"catalogues": _catalogues, "release": _release}[args.command](args, course)


if __name__ == "__main__":
    sys.exit(main())
