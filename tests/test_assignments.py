"""Every assignment, as its users meet it: registry, release, reference, stub and mistakes."""
from __future__ import annotations

import ast
import json
import subprocess
import sys

import nbformat
import pytest
from conftest import ASSIGNMENTS, COURSE, MISTAKES, ROOT, grade_mistake

from autograder import grade_notebook
from autograder.cells import cell_grade_id, is_test_cell, visible_part
from coursekit.registry import checkpoint_id


def _test_cells(assignment: str):
    return [c for c in COURSE.assignment(assignment).read_source().cells if is_test_cell(c)]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_cell_has_a_registry_entry_and_back(assignment):
    registry = COURSE.assignment(assignment).registry()
    cells = {checkpoint_id(cell_grade_id(c)): c for c in _test_cells(assignment)}
    assert registry.assignment == assignment
    assert list(cells) == list(registry.checkpoints), "registry order and entries must match the graded cells"
    for cid, cell in cells.items():
        spec = registry.checkpoints[cid]
        assert cell.metadata.nbgrader["points"] == spec.points, f"{cid}: cell points differ from the registry"
        assert f'Checkpoint("{cid}")' in cell.source, f"{cid}: the cell must check under its own id"
        assert ("### BEGIN HIDDEN TESTS" in cell.source) == spec.hidden, f"{cid}: 'hidden' must say whether the cell has hidden tests"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_checkpoint_ids_and_texts_follow_the_conventions(assignment):
    registry = COURSE.assignment(assignment).registry()
    prefixes = {cid.split(".")[0] for cid in registry.checkpoints}
    assert len(prefixes) == 1, "one id prefix per assignment"
    for spec in registry.checkpoints.values():
        for field in ("title", "expected", "hint"):
            en, ja = spec.text(field, "en"), spec.texts[field].get("ja", "")
            assert ja and ja != en, f"{spec.id}: {field} needs its own Japanese text"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_and_solution_are_up_to_date(assignment, tmp_path):
    """assignments/ and solutions/ are exactly what nbgrader makes of source/ today."""
    for command, folder, option in (
        ("generate_assignment", "assignments", "release_directory"),
        ("generate_solution", "solutions", "solution_directory"),
    ):
        out = tmp_path / folder
        subprocess.run(
            [sys.executable, "-m", "nbgrader", command, assignment, "--force", "--log-level=ERROR",
             f"--CourseDirectory.{option}={out}", f"--CourseDirectory.db_url=sqlite:///{tmp_path / 'gb.db'}"],
            cwd=ROOT, check=True, capture_output=True,
        )
        made = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
        committed = sorted(p.relative_to(ROOT / folder) for p in (ROOT / folder / assignment).rglob("*") if p.is_file())
        assert made == committed, f"{folder}/{assignment} lists other files than nbgrader makes: run 'make release'"
        for rel in made:
            new, old = (out / rel).read_bytes(), (ROOT / folder / rel).read_bytes()
            if rel.suffix == ".ipynb":
                new, old = json.loads(new), json.loads(old)
            assert new == old, f"{folder}/{rel} is stale: run 'make release' and commit the result"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_answers_score_full_marks(assignment, graded_filled):
    report = graded_filled(assignment)
    missed = {c.id: (c.status, c.detail) for c in report.checkpoints if not c.passed}
    assert not missed
    assert report.score == report.max_score > 0
    assert not report.notes


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_scores_full_marks(assignment):
    report = grade_notebook(ROOT / "solutions" / assignment / f"{assignment}.ipynb", course=COURSE, learner="solution")
    assert [c.id for c in report.checkpoints if not c.passed] == []
    assert report.score == report.max_score


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_stub_scores_zero_without_crashing(assignment):
    report = grade_notebook(ROOT / "assignments" / assignment / f"{assignment}.ipynb", course=COURSE, learner="stub")
    assert report.score == 0
    assert {c.status for c in report.checkpoints} == {"not_attempted"}
    assert not report.notes, "the released stub must not look edited"


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: f"{m.assignment}:{m.name}")
def test_mistake_misses_exactly_its_checkpoints(mistake, tmp_path):
    report = grade_mistake(mistake, tmp_path)
    missed = tuple(c.id for c in report.checkpoints if not c.passed)
    assert missed == mistake.misses
    assert 0 < report.score < report.max_score
    earned = {c.id: (c.points, c.max_points) for c in report.checkpoints}
    for cid, share in mistake.earns.items():
        assert earned[cid][0] == pytest.approx(share * earned[cid][1], abs=0.005), f"{cid} should earn {share:.0%} of its points"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_checkpoint_has_a_mistake_that_misses_only_it(assignment):
    registry = COURSE.assignment(assignment).registry()
    alone = {m.misses[0] for m in MISTAKES if m.assignment == assignment and len(m.misses) == 1}
    assert sorted(set(registry.checkpoints) - alone) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_are_not_released(assignment):
    released = nbformat.read(ROOT / "assignments" / assignment / f"{assignment}.ipynb", as_version=4)
    text = json.dumps(released)
    assert "HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    for cell in _test_cells(assignment):
        ast.parse(visible_part(cell.source))  # what learners see still runs


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_runs_top_to_bottom_without_warnings(assignment, tmp_path):
    """A fresh kernel runs the solution notebook with no error and nothing on stderr, well under a minute."""
    from autograder.runner import Limits, run_notebook

    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    (tmp_path / "checkpoints.toml").write_bytes((ROOT / "solutions" / assignment / "checkpoints.toml").read_bytes())
    runs = run_notebook(nb, tmp_path, Limits(cell_seconds=60, notebook_seconds=60))
    assert [(r.index, r.ename) for r in runs if r.status != "ok"] == []
    noisy = [(r.index, o.get("text", "")[:200]) for r in runs for o in r.outputs if o.get("name") == "stderr"]
    assert noisy == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_cell_follows_the_recording_contract(assignment):
    """The grader can rewrite every check, and no checkpoint rests on learner-computed booleans alone."""
    from autograder.recording import call_sites

    for cell in _test_cells(assignment):
        cid = checkpoint_id(cell_grade_id(cell))
        sites = call_sites(cell.source)  # raises on a check it cannot record
        assert {s.kind for s in sites} - {"true", "answered", "known_roles"}, f"{cid}: needs a check judged against the reference"
        starred = [n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Starred)]
        assert not starred, f"{cid}: no *args in a test cell"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_notebook_heading_names_the_process_in_japanese(assignment):
    import re

    first = next(c for c in COURSE.assignment(assignment).read_source().cells if c.cell_type == "markdown")
    heading = first.source.splitlines()[0]
    assert heading.startswith("# ") and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", heading), heading
