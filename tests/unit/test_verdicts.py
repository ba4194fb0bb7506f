"""The one rule that turns a cell's checks into a checkpoint outcome: it fails closed."""
from __future__ import annotations

import pytest

from coursekit.verdicts import MATCH, CellEnd, Reason, Status, Verdict, checkpoint_outcome, miss

OK = CellEnd("ok")
PARTIAL = Verdict(0.5, Reason("reason.routing", {"where": "ROUTING", "right": 1, "total": 2}), partial=True)


def test_a_checkpoint_passes_only_when_a_check_was_judged_and_every_one_held():
    assert checkpoint_outcome([MATCH, MATCH], OK).status is Status.PASSED
    assert checkpoint_outcome([MATCH, MATCH], OK).fraction == 1.0


def test_a_cell_that_judged_nothing_is_an_error_never_a_pass():
    outcome = checkpoint_outcome([], OK)
    assert (outcome.status, outcome.fraction, outcome.reason.key) == (Status.ERROR, 0.0, "reason.nothing_recorded")


@pytest.mark.parametrize("end, status", [
    (CellEnd("error", "ZeroDivisionError"), Status.ERROR),
    (CellEnd("error", "NotImplementedError"), Status.NOT_ATTEMPTED),
    (CellEnd("error", "MemoryError"), Status.ERROR),
    (CellEnd("timeout"), Status.TIMEOUT),
    (CellEnd("crashed"), Status.CRASHED),
    (CellEnd("not_run"), Status.CRASHED),
])
def test_a_cell_that_stopped_before_its_first_check_gets_the_status_of_how_it_stopped(end, status):
    outcome = checkpoint_outcome([], end)
    assert outcome.status is status and outcome.fraction == 0.0


def test_a_cell_that_raised_after_its_checks_held_is_not_passed():
    outcome = checkpoint_outcome([MATCH], CellEnd("error", "ValueError"))
    assert outcome.status is Status.ERROR and outcome.error_type == "ValueError"


def test_a_missing_check_takes_the_status_of_how_the_cell_ended():
    assert checkpoint_outcome([MATCH, None], CellEnd("error", "KeyError")).status is Status.ERROR
    assert checkpoint_outcome([MATCH, None], OK).reason.key == "reason.checks_missing"


def test_the_first_check_that_did_not_hold_decides():
    first, second = miss("reason.not_expected_number", where="a"), miss("reason.not_expected_value", where="b")
    outcome = checkpoint_outcome([MATCH, first, second], OK)
    assert outcome.status is Status.FAILED and outcome.reason == first.reason
    assert checkpoint_outcome([first], CellEnd("error", "CheckpointFailed")).status is Status.FAILED


def test_an_empty_answer_is_not_attempted():
    empty = Verdict(0.0, Reason("reason.empty", {"where": "ROUTING"}), attempted=False)
    assert checkpoint_outcome([empty], OK).status is Status.NOT_ATTEMPTED


def test_partial_credit_lowers_the_points_and_says_how_much():
    outcome = checkpoint_outcome([MATCH, PARTIAL], OK)
    assert (outcome.status, outcome.fraction) == (Status.FAILED, 0.5)
    assert outcome.reason.params["share"] == 50
