"""00 Introduction says what its own cells hold: the figures and the example in its prose are
recomputed here from the reference solution (run in this process, no kernel)."""
from __future__ import annotations

import ast
import re

import pytest
from conftest import COURSE

from autograder.cells import cell_grade_id
from coursekit import ROLES, roles
from coursekit.registry import is_test_cell

NOTEBOOK = COURSE.assignment("00_introduction").read_source()
PROSE = {cell_grade_id(c): c.source for c in NOTEBOOK.cells if c.cell_type == "markdown"}
#: Cells that only show something: run them and the test process's pandas options would change.
SHOW_ONLY = {"roles-table", "try-requirements"}


@pytest.fixture(scope="module")
def reference() -> dict:
    namespace: dict = {}
    for cell in NOTEBOOK.cells:
        if cell.cell_type == "code" and not is_test_cell(cell) and cell_grade_id(cell) not in SHOW_ONLY:
            exec(compile(cell.source, f"<00_introduction {cell_grade_id(cell)}>", "exec"), namespace)  # noqa: S102 - the course's own source
    return namespace


def test_the_map_in_the_prose_is_the_processes_in_the_code(reference):
    rows = re.findall(r"^\| (\d+) \| ([A-Za-z ]+?) \|", PROSE["md-process-map"], re.M)
    numbers, names = [int(n) for n, _ in rows], [name for _, name in rows]
    assert numbers == list(range(1, 11)), "the prose's table numbers the ten processes"
    assert sorted(names) == sorted(reference["PROCESSES"]) and len(names) == 10
    assert "ten processes" in PROSE["md-process-map"] and "the first six" in PROSE["md-process-map"]
    assert reference["course_order"](sorted(reference["PROCESSES"])) == names[:6]
    assert sorted(reference["PROCESS_GOALS"]) == sorted(names[:6]) and len(reference["GOALS"]) == 6


def test_the_five_reasons_in_the_prose_are_those_in_the_code(reference):
    listed = re.findall(r"^(\d)\. (.+?);?\.?$", PROSE["md-failures"], re.M)
    assert [int(n) for n, _ in listed] == [1, 2, 3, 4, 5]
    assert len(reference["FAILURE_REASONS"]) == 5
    assert sorted(reference["ANSWERED_BY"]) == sorted(reference["FAILURE_REASONS"])


def test_the_roles_the_prose_counts_are_the_roles_table():
    assert "18 roles" in PROSE["md-roles"] and len(roles()) == len(ROLES) == 18


def test_the_worked_example_of_requirements_file_is_what_the_reference_writes(reference):
    example = re.search(r"For example `(\{.+?\})` gives\s+`(\".+?\")`", PROSE["md-requirements"], re.S)
    spec, text = ast.literal_eval(example.group(1)), ast.literal_eval(example.group(2))
    assert reference["requirements_file"](spec) == text


def test_the_duties_to_match_are_ten_roles_the_pairs_leave(reference):
    pairs = {reference["role_for"](a, s) for a in reference["ACTIVITIES"] for s in reference["SIDES"]}
    matched = set(reference["DUTY_ROLES"].values())
    assert len(pairs) == 8 and len(matched) == 10 and pairs | matched == set(ROLES)


def test_the_communication_exercise_routes_eight_to_twelve_asks(reference):
    assert 8 <= len(reference["ASKS"]) <= 12
    assert sorted(reference["ROUTING"]) == sorted(reference["ASKS"])
    assert set(reference["ROUTING"].values()) - {None} <= set(ROLES)
