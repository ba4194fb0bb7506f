"""The rewrite of test cells and what they record, step by step, without a kernel."""
from __future__ import annotations

import ast

import pytest
from fixture_cells import graded_cell
from nbformat.v4 import new_markdown_cell, new_notebook, new_output

from autograder.recording import RecordingError, call_sites, recording_tree, to_source
from autograder.records import collect_records, expected_of, to_recording
from autograder.runner import CellRun
from coursekit.record import RECORD_MIME, Record, RecordError


def _learner_source(*cells) -> list[str]:
    nb, _ = to_recording(new_notebook(cells=list(cells)), keep_expected=False)
    return [cell.source for cell in nb.cells]


def test_the_expected_side_never_reaches_the_learners_copy():
    source = 'check = Checkpoint("a.b")\ncheck.close(f(2), 4.0, "f of two")\ncheck.same(g(g(1)), g(1), "g is idempotent")'
    learner = ast.unparse(recording_tree(source, "a.b", keep_expected=False))
    reference = ast.unparse(recording_tree(source, "a.b", keep_expected=True))
    assert "4.0" not in learner and "__course_record__('a.b', 0, [f(2)])" in learner
    assert "__course_record__('a.b', 1, [g(g(1)), g(1)])" in learner  # both sides of `same` are the learner's
    assert "__course_record__('a.b', 0, [f(2)], 4.0)" in reference


def test_checks_are_calls_on_any_name_bound_to_a_checkpoint_and_nothing_else():
    source = 'grader = Checkpoint("a.b")\ngrader.equal(f(), 1, "f")\ncheck.equal(f(), 2, "not a checkpoint of this cell")'
    assert [site.what for site in call_sites(source)] == ["f"]


@pytest.mark.parametrize("source, problem", [
    ('check = Checkpoint("a.b")\ncheck.close(f(), 1, what)', "literal description"),
    ('check = Checkpoint("a.b")\ncheck.close(*args)', "no \\*args"),
    ('check = Checkpoint("a.b")\ncheck.vibes(f(), "ok")', "not a known check"),
    ('check = Checkpoint("a.b")\ncheck.close(f(), 1, "x", tolerance=2)', "no option"),
])
def test_a_test_cell_the_grader_cannot_read_is_the_courses_bug(source, problem):
    with pytest.raises(RecordingError, match=problem):
        call_sites(source)


def test_helpers_only_the_expected_side_used_are_pruned_from_every_cell_at_once():
    first = graded_cell("c-one", 'check = Checkpoint("c.one")\ndef _cost(y):\n    return y * 2\n'
                                'check.close(cost(3), _cost(3), "cost")')
    second = graded_cell("c-two", 'check = Checkpoint("c.two")\ndef _cost(y):\n    return y * 2\n'
                                 'def _case(y):\n    return {"cost": _cost(y)}\ncheck.close(case(3), _case(3), "case")')
    third = graded_cell("c-three", 'check = Checkpoint("c.three")\nrows, width = data(), 3\n_a, _b = 1, 2\n'
                                  'check.close(fit(rows), rows * width + _a + _b, "fit")')
    sources = _learner_source(first, second, third)
    assert not any("_cost" in s or "_case" in s for s in sources)
    assert "_a, _b" not in sources[2] and "width" not in sources[2]
    assert "rows = data()" in sources[2] or "(rows, width) = (data(), 3)" in sources[2]  # a learner-side input stays


def test_a_name_another_cell_uses_for_itself_keeps_no_hidden_definition_alive():
    first = graded_cell("c-one", 'check = Checkpoint("c.one")\nrows = secret()\ncheck.close(f(), rows.mean(), "f")')
    second = graded_cell("c-two", 'check = Checkpoint("c.two")\nrows = data()\ncheck.close(g(rows), 1.0, "g")')
    sources = _learner_source(first, second)
    assert "secret" not in sources[0] and "rows = data()" in sources[1]


def test_what_a_kept_function_reads_when_called_stays_wherever_it_is_bound():
    cell = graded_cell("c-one", 'check = Checkpoint("c.one")\ndef scaled(y):\n    return y * FACTOR\n'
                                'FACTOR = 3\ncount = 0\ncount += 1\nhidden = 5\ncheck.close(scaled(count), hidden, "scaled")')
    source = _learner_source(cell)[0]
    assert "FACTOR = 3" in source and "count = 0" in source and "hidden = 5" not in source


def test_a_definition_the_learner_side_uses_stays():
    cell = graded_cell("c-one", 'check = Checkpoint("c.one")\nseries = make()\ncheck.close(f(series), g(series), "f")')
    assert "series = make()" in _learner_source(cell)[0]


def _run(index: int, *payloads) -> CellRun:
    outputs = [new_output("display_data", data={RECORD_MIME: p, "text/plain": ""}) for p in payloads]
    return CellRun(index, "ok", outputs=outputs)


def test_records_are_collected_per_checkpoint_and_forgeries_marked():
    nb = new_notebook(cells=[new_markdown_cell("x"), graded_cell("a-b", 'check = Checkpoint("a.b")\ncheck.equal(f(), 1, "f")')])
    good = Record("a.b", 0, (1,), 1, True).payload()
    elsewhere = Record("z.z", 0, (1,)).payload()
    collected = collect_records(nb, [_run(1, good, elsewhere)])
    assert [r.actual for r in collected["a.b"].records] == [(1,)] and not collected["a.b"].tampered
    assert expected_of(collected) == {"a.b": [[0, 1]]}
    for forged in ({"checkpoint": "a.b", "site": "0", "actual": []}, {"checkpoint": "a.b", "site": 0, "actual": [{}]},
                   [1, 2], {"checkpoint": "a.b", "site": 0, "actual": [1], "extra": 1}):
        assert collect_records(nb, [_run(1, forged)])["a.b"].tampered


def _nested(depth: int) -> list:
    value: list = [1]
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("payload", [
    {"checkpoint": "a.b", "site": 0, "actual": [_nested(30)]},
    {"checkpoint": "a.b", "site": 0, "actual": [10**50]},
    {"checkpoint": "a.b", "site": 0, "actual": [{"__dict__": [["k"]]}]},
    {"checkpoint": "a.b", "site": 0, "actual": [1, 2, 3]},
    {"checkpoint": "x" * 100, "site": 0, "actual": []},
])
def test_a_record_is_parsed_strictly(payload):
    with pytest.raises(RecordError):
        Record.parse(payload)


def test_the_import_of_the_recorder_comes_first():
    assert to_source(ast.parse("x = 1")).startswith("from coursekit.record import record as __course_record__\n")
