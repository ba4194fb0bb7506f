"""The grader's judge on recorded values, without a kernel: fail closed, order kept, written answers waiting."""
from __future__ import annotations

from nbformat.v4 import new_markdown_cell, new_notebook

from autograder.judge import judge_checks, judge_nbgrader_outputs, judge_recorded
from autograder.recording import call_sites
from autograder.records import CellRecords
from autograder.runner import CellRun
from coursekit.record import Record
from coursekit.registry import CheckpointSpec, Registry
from coursekit.verdicts import Status

from fixture_cells import graded_cell

SOURCE = 'check = Checkpoint("a.b")\ncheck.close(f(1), 2.0, "f of one")\ncheck.equal(g(), [1, 2], "g")'
SITES = call_sites(SOURCE)
EXPECTED = [[0, 2.0], [1, [1, 2]]]
OK = CellRun(1, "ok", seconds=0.1)


def _records(*values, site_order=(0, 1)) -> CellRecords:
    return CellRecords([Record("a.b", site, (value,)) for site, value in zip(site_order, values)])


def test_values_that_match_the_reference_pass():
    assert judge_checks(SITES, EXPECTED, _records(2.0, [1, 2]), OK).status is Status.PASSED


def test_a_wrong_value_fails_and_an_unplain_one_too():
    assert judge_checks(SITES, EXPECTED, _records(2.0, [2, 1]), OK).status is Status.FAILED
    unplain = judge_checks(SITES, EXPECTED, _records({"__unplain__": "Anything"}, [1, 2]), OK)
    assert unplain.status is Status.FAILED and unplain.reason.key == "reason.unplain"


def test_a_cell_that_raised_before_its_first_check_is_an_error_never_a_pass():
    raised = CellRun(1, "error", "ZeroDivisionError", seconds=0.1)
    assert judge_checks(SITES, EXPECTED, CellRecords(), raised).status is Status.ERROR
    stub = CellRun(1, "error", "NotImplementedError")
    assert judge_checks(SITES, EXPECTED, _records(2.0), stub).status is Status.NOT_ATTEMPTED


def test_a_cell_that_recorded_nothing_is_an_error():
    assert judge_checks(SITES, EXPECTED, CellRecords(), OK).status is Status.ERROR
    assert judge_checks(SITES, [], CellRecords(), OK).status is Status.ERROR  # nothing to judge is no pass


def test_records_out_of_the_courses_order_or_too_many_are_not_graded():
    assert judge_checks(SITES, EXPECTED, _records([1, 2], 2.0, site_order=(1, 0)), OK).reason.key == "reason.tampered"
    extra = CellRecords([*_records(2.0, [1, 2]).records, Record("a.b", 1, ([1, 2],))])
    assert judge_checks(SITES, EXPECTED, extra, OK).reason.key == "reason.tampered"
    assert judge_checks(SITES, EXPECTED, CellRecords(tampered=True), OK).status is Status.ERROR


def _registry(*specs: CheckpointSpec) -> Registry:
    return Registry("x", {"en": "X"}, {spec.id: spec for spec in specs})


def _spec(cid: str, manual: bool = False) -> CheckpointSpec:
    texts = {field: {"en": field} for field in ("title", "expected", "hint")}
    return CheckpointSpec(cid, "business", 2.0, False, texts, manual)


def _written(text: str):
    return new_markdown_cell(text, metadata={"nbgrader": {"grade": True, "solution": True, "locked": False,
                                                          "grade_id": "a-written_ask", "points": 2, "schema_version": 3}})


def test_a_written_answer_waits_for_the_instructor_unless_left_as_released():
    nb = new_notebook(cells=[_written("I would ask the DevOps Engineer first, because ..."), graded_cell("a-b", SOURCE)])
    registry = _registry(_spec("a.written_ask", manual=True), _spec("a.b"))
    runs = [CellRun(1, "ok")]
    outcomes = judge_recorded(nb, runs, registry, {"a.b": SITES}, {"a.b": EXPECTED}, {"a.b": _records(2.0, [1, 2])})
    assert {cid: o.status for cid, o in outcomes.items()} == {"a.written_ask": Status.MANUAL, "a.b": Status.PASSED}
    nb.cells[0].source = "YOUR ANSWER HERE"
    assert judge_recorded(nb, runs, registry, {}, {}, {})["a.written_ask"].status is Status.NOT_ATTEMPTED


def test_the_automatic_score_leaves_out_the_written_answers():
    registry = _registry(_spec("a.written_ask", manual=True), _spec("a.b"), _spec("a.c"))
    assert (registry.automatic_score, registry.max_score) == (4.0, 6.0)


def test_a_checkpoint_whose_cell_is_gone_never_ran():
    outcomes = judge_recorded(new_notebook(cells=[]), [], _registry(_spec("a.b")), {}, {}, {})
    assert outcomes["a.b"].status is Status.CRASHED


def test_outcomes_of_a_notebook_nbgrader_ran_come_from_its_errors():
    nb = new_notebook(cells=[graded_cell("a-b", SOURCE), graded_cell("a-c", SOURCE), graded_cell("a-d", SOURCE)])
    runs = [CellRun(0, "ok"), CellRun(1, "error", "CheckpointFailed"), CellRun(2, "error", "NotImplementedError")]
    outcomes = judge_nbgrader_outputs(nb, runs, _registry(_spec("a.b"), _spec("a.c"), _spec("a.d")))
    assert [o.status for o in outcomes.values()] == [Status.PASSED, Status.FAILED, Status.NOT_ATTEMPTED]
