"""Every assignment, as its users meet it: registry, release, reference, stub and mistakes."""
from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
import tokenize

import nbformat
import pytest
from conftest import ASSIGNMENTS, COURSE, MISTAKES, ROOT, VALID_ANSWERS, run_mistake

from autograder import grade_notebook
from autograder.cells import cell_grade_id, is_manual_cell, is_test_cell, visible_part
from autograder.sandbox import Sandbox
from coursekit.labels import text as label_text
from coursekit.registry import checkpoint_id, load_registry


def _test_cells(assignment: str):
    return [c for c in COURSE.assignment(assignment).read_source().cells if is_test_cell(c)]


def _unpassed(report) -> dict:
    """Checkpoints that did not pass, but for written answers waiting for the instructor."""
    return {c.id: (c.status, c.detail) for c in report.checkpoints if not c.passed and c.status != "manual"}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_cell_has_a_registry_entry_and_back(assignment):
    registry = COURSE.assignment(assignment).registry()
    graded = [c for c in COURSE.assignment(assignment).read_source().cells if is_test_cell(c) or is_manual_cell(c)]
    cells = {checkpoint_id(cell_grade_id(c)): c for c in graded}
    assert registry.assignment == assignment
    assert list(cells) == list(registry.checkpoints), "registry order and entries must match the graded cells"
    for cid, cell in cells.items():
        spec = registry.checkpoints[cid]
        assert cell.metadata.nbgrader["points"] == spec.points, f"{cid}: cell points differ from the registry"
        assert is_manual_cell(cell) == spec.manual, f"{cid}: 'manual' must say whether the cell is a written answer"
        if spec.manual:
            continue
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
    assert _unpassed(report) == {}
    assert report.score == report.max_score - report.pending > 0
    assert not report.notes
    assert report.warnings == ([] if Sandbox.best_available().isolated else [label_text("note.no_sandbox", report.lang)])  # the grader says when it is not isolated


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_scores_full_marks(assignment):
    report = grade_notebook(ROOT / "solutions" / assignment / f"{assignment}.ipynb", course=COURSE, learner="solution")
    assert _unpassed(report) == {}
    assert report.score == report.max_score - report.pending


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_stub_scores_zero_without_crashing(assignment):
    report = grade_notebook(ROOT / "assignments" / assignment / f"{assignment}.ipynb", course=COURSE, learner="stub")
    assert report.score == 0
    assert {c.status for c in report.checkpoints} == {"not_attempted"}
    assert not report.notes, "the released stub must not look edited"


def _forced_true(graded) -> dict:
    """The records of a run with every ``check.true`` forced to hold, as cheating code could force them."""
    from dataclasses import replace

    from autograder.records import CellRecords

    forced = {}
    for cid, cell in graded.records.items():
        kinds = {site.site: site.kind for site in graded.sites.get(cid, [])}
        records = [replace(r, actual=(True,)) if kinds.get(r.site) == "true" else r for r in cell.records]
        forced[cid] = CellRecords(records, cell.tampered)
    return forced


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: f"{m.assignment}:{m.name}")
def test_mistake_misses_exactly_its_checkpoints(mistake):
    """Exactly its checkpoints, and still when every check.true of the run is forced to hold: no
    checkpoint's substance rests on a boolean the learner's kernel computed."""
    graded = run_mistake(mistake)
    registry = graded.target.registry()
    outcomes = graded.outcomes()
    missed = tuple(cid for cid, o in outcomes.items() if o.status not in ("passed", "manual"))
    assert missed == mistake.misses
    points = sum(registry.checkpoints[cid].points * o.fraction for cid, o in outcomes.items())
    automatic = registry.automatic_score
    if all(registry.checkpoints[cid].manual for cid in mistake.misses):
        assert points == automatic  # a written answer left empty loses only the points the instructor gives
    else:
        assert 0 < points < automatic
    for cid, share in mistake.earns.items():
        assert outcomes[cid].fraction == pytest.approx(share), f"{cid} should earn {share:.0%} of its points"
    forced = graded.outcomes(_forced_true(graded))
    assert [cid for cid in mistake.misses if forced[cid].status == "passed"] == []


@pytest.mark.parametrize("answer", VALID_ANSWERS, ids=lambda m: f"{m.assignment}:{m.name}")
def test_valid_alternative_keeps_full_marks(answer):
    """Another correct answer (``[[valid]]`` in the corpus) passes every checkpoint, hidden ones included."""
    outcomes = run_mistake(answer).outcomes()
    assert {cid: (o.status, o.reason) for cid, o in outcomes.items() if o.status not in ("passed", "manual")} == {}
    assert all(o.fraction == 1.0 for o in outcomes.values() if o.status == "passed")


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
    from autograder.options import Limits
    from autograder.runner import run_notebook

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
        judged = [s for s in sites if s.check.takes_expected and not s.check.measured]
        assert judged, f"{cid}: needs a check judged against the reference"
        starred = [n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Starred)]
        assert not starred, f"{cid}: no *args in a test cell"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_notebook_heading_names_the_process_in_japanese(assignment):
    import re

    first = next(c for c in COURSE.assignment(assignment).read_source().cells if c.cell_type == "markdown")
    heading = first.source.splitlines()[0]
    assert heading.startswith("# ") and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", heading), heading


def _hidden_definitions(source: str) -> set[str]:
    """Names a test cell's hidden block defines at top level."""
    from autograder.recording import defined

    lines, hidden, keep = source.splitlines(), False, []
    for line in lines:
        marker = line.strip()
        hidden = True if marker == "### BEGIN HIDDEN TESTS" else False if marker == "### END HIDDEN TESTS" else hidden
        keep.append(line if hidden and marker != "### BEGIN HIDDEN TESTS" else "")
    tree = ast.parse("\n".join(keep))
    return set().union(*(defined(statement) or set() for statement in tree.body))


def _learner_side_loads(source: str) -> set[str]:
    """Names the learner-side code of a test cell loads: its checks' learner arguments and every
    statement that is not a definition, then what those definitions need in turn (this cell only)."""
    from autograder.recording import _check_calls, defined, loaded_names
    from coursekit.compare import CHECKS

    tree = ast.parse(source)
    calls = _check_calls(tree)
    expected = {id(call.args[CHECKS[call.func.attr].learner_args]) for call in calls if CHECKS[call.func.attr].takes_expected}

    class Learner(ast.NodeVisitor):
        def __init__(self):
            self.names = set()

        def visit_Name(self, node):
            if isinstance(node.ctx, ast.Load):
                self.names.add(node.id)

        def generic_visit(self, node):
            if id(node) not in expected:
                super().generic_visit(node)

    definitions: dict[str, list[ast.stmt]] = {}
    loads = Learner()
    for statement in tree.body:
        names = defined(statement)
        if names is None:
            loads.visit(statement)
        else:
            for name in names:
                definitions.setdefault(name, []).append(statement)
    used, frontier = set(), set(loads.names)
    while frontier:
        name = frontier.pop()
        if name in used:
            continue
        used.add(name)
        for statement in definitions.get(name, []):
            frontier |= loaded_names(statement.value if isinstance(statement, ast.Assign) else statement)
    return used


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_helpers_of_the_expected_side_never_reach_the_learners_kernel(assignment):
    """Whatever other cells use the same name, a definition only a cell's expected side needs is
    not in that cell's learner-side copy."""
    from autograder.records import to_recording

    source = COURSE.assignment(assignment).read_source()
    rewritten, _ = to_recording(source, keep_expected=False)
    leaks = {}
    for original, copy in zip(source.cells, rewritten.cells):
        if not is_test_cell(original):
            continue
        hidden_only = _hidden_definitions(original.source) - _learner_side_loads(original.source)
        present = {name for statement in ast.parse(copy.source).body for name in (defined_names(statement))}
        if hidden_only & present:
            leaks[checkpoint_id(cell_grade_id(original))] = sorted(hidden_only & present)
    assert leaks == {}


def defined_names(statement: ast.stmt) -> set[str]:
    from autograder.recording import defined

    return defined(statement) or set()


#: A released notebook may say that hidden checks exist and try other data; it may not say how they
#: are built: no instructor notes, no sentence about the hidden checks that names what they inject,
#: resample or compare with, no "X is graded by ...".
_INSTRUCTOR_NOTE = re.compile(r"\binstructors?[' ]*(?:notes?|only)\b|\bnotes? (?:for|to) (?:the )?instructors?\b"
                              r"|\bfor (?:the )?instructors?\b|講師(?:向け|用|メモ|への注記)|採点者(?:向け|用)", re.I)
_ABOUT_HIDDEN_CHECKS = re.compile(r"\bhidden\b|\bgraded later\b|\bgrader\b", re.I)
_TEST_DESIGN = re.compile(
    r"inject|resampl|shuffl|reorder|revers|synthetic|compar|\bagainst\b|exact count|\bexpects?\b|\bbuilt\b"
    r"|\ballows?\b|\baccepts?\b|identical|independent|toleran|random_state|\bseed", re.I)
_GRADED_BY = re.compile(r"\b(?:is|are) (?:graded|checked|tested) (?:by|on|with|against)\b", re.I)


def _test_design_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that tell how the hidden checks are built."""
    sentences = re.split(r"(?<=[.!?])\s+|\n\s*[*-]\s+|\n{2,}", text)
    return [s for s in sentences if _INSTRUCTOR_NOTE.search(s) or _GRADED_BY.search(s)
            or (_ABOUT_HIDDEN_CHECKS.search(s) and _TEST_DESIGN.search(s))]


def _learner_texts(nb: nbformat.NotebookNode, registry_folder) -> list[str]:
    """What a learner reads in a release: markdown, code comments, the registry's texts."""
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        tokens = tokenize.generate_tokens(io.StringIO(cell.source).readline)
        texts += [token.string for token in tokens if token.type == tokenize.COMMENT]
    for spec in load_registry(registry_folder).checkpoints.values():
        texts += [text for by_lang in spec.texts.values() for text in by_lang.values()]
    return texts


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_notebook_does_not_tell_how_hidden_checks_are_built(assignment):
    folder = ROOT / "assignments" / assignment
    released = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    told = [s.strip()[:120] for text in _learner_texts(released, folder) for s in _test_design_sentences(text)]
    assert told == [], "move these to docs/instructor/ or the solution; the release must not describe the hidden checks"


@pytest.mark.parametrize("text, tells", [
    # Sentences the releases of 02 and 03 used to carry.
    ("### Instructor notes", True),
    ("Notes for the instructor: the hidden checks use other frames.", True),
    ("講師向けメモ: 隠しテストは別のデータを使います。", True),
    # A written answer's rubric is for the learner: a person grades it, and how.
    ("A few sentences; your instructor grades it by hand.", False),
    ("An instructor grades it by hand (2 points): a concrete request to a role whose duty covers it.", False),
    ("最初の依頼を書く(講師が採点)", False),
    ("* The hidden checks of `cramers_v` compare with `scipy.stats.contingency.association(..., method=\"cramer\")`, "
     "including a 2×2 table.", True),
    ("* The diagnosis is checked on synthetic frames whose categorical pairs are either identical or independent.", True),
    ("Some checks are hidden and graded later: they try your functions on other frames (resampled, reordered, "
     "small synthetic ones), so compute from the arguments.", True),
    ("The hidden checks inject each kind of violation into copies of the data and expect its exact count.", True),
    ("* `quality_checks` is graded by injection: each check changes one kind of row in a fresh copy.", True),
    ("The visible check allows 20 s, so a crosstab-per-pair solution passes; the hidden checks use other columns.", True),
    # What a release may say.
    ("Some checks are hidden and graded later: they try your functions on other data, so compute from the "
     "arguments, never from figures you read off the full data.", False),
    ("Visible checks that pass here can still hide a miss that the hidden checks find: re-read the units.", False),
    ("**Why.** A classifier is judged by what its mistakes cost, not by its accuracy.", False),
    ("Compare it with `scipy.stats.contingency.association(table, method=\"cramer\")`: they must agree.", False),
])
def test_the_test_design_detector_tells_notes_from_advice(text, tells):
    assert bool(_test_design_sentences(text)) == tells
