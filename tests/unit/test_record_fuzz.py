"""Whatever a test cell's outputs hold, the grader reads them into one outcome per checkpoint.

The learner's code runs inside test cells, so it can put anything among their outputs: forged
records of any shape, records of other checkpoints, broken messages (the runner turns them into
a record whose payload is ``None``). Fuzzed through the grader's own path, ``collect_records``
then ``judge_checks``: no exception, a status of the vocabulary, a share between 0 and 1, and
never ``passed`` when anything but the course's own records, in its order, was recorded.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_notebook

from autograder.judge import judge_checks
from autograder.recording import call_sites
from autograder.records import collect_records
from autograder.runner import CellRun
from coursekit.record import RECORD_MIME
from coursekit.verdicts import Status

from fixture_cells import graded_cell

SOURCE = """check = Checkpoint("a.b")
check.close(f(1), 2.0, "f of one")
check.equal(g(), {"k": [1, 2]}, "g")
check.metric(p(), [0, 1, 1, 0], "the AUC", metric="roc_auc", at_least=0.8)
check.routing(ROUTING, {"a1": {"roles": ["Architect"], "why": "w"}}, "ROUTING")
check.same(h(), h(), "h twice")
check.cell_seconds_at_most(5.0, "the cell's time")"""
SITES = call_sites(SOURCE)
EXPECTED = [[0, 2.0], [1, {"__dict__": [["k", [1, 2]]]}], [2, [0, 1, 1, 0]],
            [3, {"__dict__": [["a1", {"__dict__": [["roles", ["Architect"]], ["why", "w"]]}]]}], [4, None], [5, None]]
NB = new_notebook(cells=[graded_cell("a-b", SOURCE)])

json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["__dict__", "__set__", "__series__", "__frame__", "__axes__", "__time__", "__unplain__", "index",
                         "values", "columns", "data", "lines", "x", "y", "label", "title", "xlabel", "ylabel", "checkpoint",
                         "site", "actual", "expected"]), inner, max_size=3),
    max_leaves=20,
)
records = st.fixed_dictionaries(
    {"checkpoint": st.sampled_from(["a.b", "a.c", "", None]), "site": st.integers(-2, 8) | st.none() | st.text(max_size=2),
     "actual": st.lists(json_values, max_size=3) | json_values},
    optional={"expected": json_values, "extra": json_values},
)
payloads = records | json_values
outputs = st.lists(st.one_of(
    st.builds(lambda p: {"output_type": "display_data", "data": {RECORD_MIME: p}, "metadata": {}}, payloads),
    st.builds(lambda d: {"output_type": "display_data", "data": d, "metadata": {}}, json_values),
    st.builds(lambda p: {"output_type": "execute_result", "data": {RECORD_MIME: p}}, payloads),
    json_values,
), max_size=8)


@settings(max_examples=200, deadline=None)
@given(outputs=outputs, status=st.sampled_from(["ok", "error", "timeout", "crashed"]), seconds=st.floats(0, 100))
def test_any_outputs_of_a_test_cell_give_an_outcome_never_an_exception(outputs, status, seconds):
    run = CellRun(0, status, "ValueError" if status == "error" else "", outputs=outputs, seconds=seconds)
    collected = collect_records(NB, [run]).get("a.b")
    outcome = judge_checks(SITES, EXPECTED, collected, run)
    assert outcome.status in set(Status) and 0.0 <= outcome.fraction <= 1.0
    if collected.tampered or [r.site for r in collected.records] != list(range(len(collected.records))):
        assert outcome.status == Status.ERROR and outcome.fraction == 0.0
    if len(collected.records) < len(EXPECTED):
        assert outcome.status != Status.PASSED
