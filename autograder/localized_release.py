"""The release in each language the course is translated into: ``assignments-<lang>/`` and
``solutions-<lang>/``, made from the English ones by ``make release``. Never edit them by hand.

A translated notebook is nbgrader's English release with its prose in another language: the
markdown cells, the comments and docstrings of answer cells and free cells, nbgrader's
``# YOUR CODE HERE`` and the texts of ``ASKS``. Everything else is the English release's, byte
for byte: test cells and other read-only code, cell ids, grade ids, points, the registry. So the
grader recognises and grades both alike; nbgrader's checksum of each translated read-only cell is
recomputed, so ``nbgrader validate`` accepts the notebook as released. A written-answer cell keeps
nbgrader's ``YOUR ANSWER HERE`` (how the grader and nbgrader tell it was left as released).
The notebook's metadata names its language and translates the descriptions of the checks it
shows (:mod:`coursekit.localized`).
"""
from __future__ import annotations

import ast
import copy
import re
import shutil
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cells import cell_grade_id, is_locked, nbgrader_meta
from autograder.code_text import CODE_STUB, literal_dict, replace_code_stub, replace_code_texts, replace_dict_strings
from autograder.course import Course
from autograder.recording import call_sites
from autograder.translation import code_text_context, is_prose_code_cell, translation_table
from coursekit.labels import text
from coursekit.localized import METADATA_KEY
from coursekit.registry import checkpoint_id, is_test_cell

#: The English folders nbgrader writes, each translated into ``<folder>-<lang>``.
RELEASES = ("assignments", "solutions")
Table = dict[tuple[str, str], str]
#: A path into an English release the prose names (``pytest assignments/01_business_understanding``).
_RELEASE_PATH = re.compile(rf"(?<![\w/-])({'|'.join(RELEASES)})/(?=\d\d_)")


def localized_folder(course: Course, folder: str, lang: str) -> Path:
    return course.root / f"{folder}-{lang}"


def _release_paths(prose: str, lang: str) -> str:
    """``prose`` with the paths into the English release pointed at the ``lang`` release instead."""
    return _RELEASE_PATH.sub(lambda match: f"{match.group(1)}-{lang}/", prose)


def _asks(cell: NotebookNode, table: Table) -> str:
    node = literal_dict(cell.source, "ASKS")
    asks = ast.literal_eval(node) if node is not None else {}
    values = {str(ask): table.get((f"ask:{ask}", str(english)), "") for ask, english in asks.items()}
    return replace_dict_strings(cell.source, "ASKS", values)


def _prose_code(cell: NotebookNode, table: Table, lang: str) -> str:
    source = replace_code_texts(cell.source, lambda t: table.get((code_text_context(cell.id, t.role), t.english)))
    stub = text("release.code_stub", lang)
    return replace_code_stub(source, stub) if stub != CODE_STUB else source


def _recompute_checksum(cell: NotebookNode) -> None:
    meta = nbgrader_meta(cell)
    if "checksum" in meta:
        from nbgrader.utils import compute_checksum  # here: only the release pays for nbgrader's import

        meta["checksum"] = compute_checksum(cell)


def translate_notebook(nb: NotebookNode, table: Table, lang: str) -> NotebookNode:
    """A copy of the English notebook ``nb`` with its prose from ``table`` ((context, English) ->
    translation; English stays where it has none) and its metadata marked ``lang``."""
    nb = copy.deepcopy(nb)
    checks: dict[str, dict[str, str]] = {}
    for cell in nb.cells:
        before = cell.source
        if cell.cell_type == "markdown":
            cell.source = _release_paths(table.get((cell.id, cell.source), cell.source), lang)
        elif is_test_cell(cell):
            checkpoint = checkpoint_id(cell_grade_id(cell))
            shown = {site.what: table[(f"what:{checkpoint}", site.what)] for site in call_sites(cell.source)
                     if (f"what:{checkpoint}", site.what) in table}
            if shown:
                checks[checkpoint] = shown
        elif cell.cell_type == "code" and is_locked(cell) and "ASKS" in cell.source:
            cell.source = _asks(cell, table)
        elif is_prose_code_cell(cell):
            cell.source = _prose_code(cell, table, lang)
        if cell.source != before:
            _recompute_checksum(cell)
    nb.metadata[METADATA_KEY] = {"lang": lang, "checks": checks}
    return nb


def localize_assignment(english: Path, out: Path, assignment: str, table: Table, lang: str) -> None:
    """Write into ``out`` the folder of ``assignment`` in ``english`` (an nbgrader release or
    solution folder), its notebook translated into ``lang`` with ``table``, every other file as is."""
    folder = english / assignment
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        target = out / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.name == f"{assignment}.ipynb":
            nbformat.write(translate_notebook(nbformat.read(path, as_version=4), table, lang), target)
        else:
            shutil.copyfile(path, target)


def localize_folder(course: Course, english: Path, out: Path, lang: str) -> None:
    """Write into ``out`` every assignment folder of ``english`` translated into ``lang``
    (:func:`localize_assignment`); ``out`` keeps nothing else."""
    if out.exists():
        shutil.rmtree(out)
    for assignment in course.assignments():
        if (english / assignment.name).is_dir():
            localize_assignment(english, out / assignment.name, assignment.name,
                                translation_table(course, assignment.name, lang), lang)


def write_releases(course: Course, langs: tuple[str, ...]) -> list[Path]:
    """Write ``assignments-<lang>/`` and ``solutions-<lang>/`` for each of ``langs``; the folders written."""
    written = []
    for lang in langs:
        for folder in RELEASES:
            out = localized_folder(course, folder, lang)
            localize_folder(course, course.root / folder, out, lang)
            written.append(out)
    return written
