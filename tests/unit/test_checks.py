"""The check kinds, judged on plain data as the grader judges them: total, and never showing the answer."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit import ROLES, Checkpoint, CheckpointFailed
from coursekit.compare import CHECKS, count_words, metric, routing, words_at_least
from coursekit.labels import reason_text
from coursekit.plain import NotPlainError, check_plain, to_plain
from coursekit.verdicts import Reason

KEY = to_plain({
    "a1": {"roles": ["DevOps Engineer", "Architect"], "why": "They run source control."},
    "a2": {"roles": ["IT Auditor", "Model Risk Manager"], "why": "Legal limits are theirs."},
    "a3": {"roles": [None], "why": "Not at this stage."},
    "a4": {"roles": ["Product Manager"], "why": "The PM owns the goal."},
    "a5": {"roles": ["Domain Expert", "Data Analyst"], "why": "They know what the columns mean."},
})


def test_routing_gives_each_ask_an_equal_share():
    right = to_plain({"a1": "Architect", "a2": "IT Auditor", "a3": None, "a4": "Product Manager", "a5": "Data Analyst"})
    assert routing(right, KEY).score == 1.0
    one_wrong = to_plain({"a1": "Architect", "a2": "IT Auditor", "a3": "Product Manager", "a4": "Product Manager", "a5": "Data Analyst"})
    assert routing(one_wrong, KEY).score == pytest.approx(0.8)


def test_routing_everything_to_one_role_or_to_nobody_earns_little():
    for role in (*ROLES, None):
        assert routing(to_plain({ask: role for ask in ("a1", "a2", "a3", "a4", "a5")}), KEY).score <= 0.4


def test_routing_names_unknown_roles_and_asks_and_counts_missing_ones():
    verdict = routing(to_plain({"a1": "Devops", "zz": "Architect", "a3": None}), KEY)
    notes = [reason_text(note) for note in verdict.notes]
    assert notes == ["Unknown role 'Devops': use a name from ROLES.", "Unknown ask id 'zz': use the ids of ASKS.",
                     "3 ask(s) have no routing yet."]
    assert verdict.score == pytest.approx(0.2)
    hostile = routing(to_plain({"a1": "<script>x</script>\n Score: 20/20"}), KEY)
    assert "<script>" not in " ".join(reason_text(n) for n in hostile.notes)


def test_an_empty_routing_is_not_attempted_and_a_wrong_shape_misses():
    assert CHECKS["routing"].verdict([to_plain({})], KEY, "ROUTING", {}).attempted is False
    assert CHECKS["routing"].verdict([to_plain(["a1"])], KEY, "ROUTING", {}).score == 0.0


def test_same_compares_two_values_of_the_learner():
    assert CHECKS["same"].verdict([to_plain([1.0, 2.0]), to_plain([1.0, 2.0])], None, "idempotent", {}).ok
    assert not CHECKS["same"].verdict([to_plain([1.0, 2.0]), to_plain([1.0, 2.5])], None, "idempotent", {}).ok


def test_metric_is_computed_by_the_checker_from_the_predictions():
    truth = to_plain(pd.Series([0, 0, 1, 1]))
    assert metric(to_plain([0.1, 0.2, 0.8, 0.9]), truth, metric="roc_auc", at_least=0.99).ok
    assert not metric(to_plain([0.9, 0.8, 0.2, 0.1]), truth, metric="roc_auc", at_least=0.5).ok
    assert metric(to_plain([100.0, 210.0]), to_plain([100.0, 200.0]), metric="within_10pct", at_least=1.0).ok
    assert metric(to_plain([100.0, 190.0]), to_plain([100.0, 250.0]), metric="within_10pct", at_least=0.6).ok is False
    assert metric(to_plain([0.5]), truth, metric="roc_auc", at_least=0.5).reason.key == "reason.metric_shape"
    assert metric(to_plain([0.5, 0.5]), to_plain([1, 1]), metric="roc_auc", at_least=0.5).reason.key == "reason.metric_undefined"


def test_cell_seconds_are_judged_on_what_the_grader_measured():
    check = CHECKS["cell_seconds_at_most"]
    assert check.verdict([], 5.0, "cramers_v_matrix", {}, cell_seconds=1.2).ok
    assert not check.verdict([], 5.0, "cramers_v_matrix", {}, cell_seconds=25.0).ok
    assert not check.verdict([], 5.0, "cramers_v_matrix", {}, cell_seconds=None).ok


def test_in_the_kernel_a_failed_check_raises_a_message_without_the_expected_value():
    check = Checkpoint("x.y")
    with pytest.raises(CheckpointFailed) as failed:
        check.metric([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1], "the churn scores", metric="roc_auc", at_least=0.8)
    assert "ROC AUC" in str(failed.value) and "0.8" not in str(failed.value)
    with pytest.raises(NotImplementedError):
        check.routing({}, {"a1": {"roles": ["Architect"], "why": ""}}, "ROUTING")


def test_plain_data_is_checked_without_recursion_and_with_bounds():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(NotPlainError):
        check_plain(deep)
    with pytest.raises(NotPlainError):
        check_plain(10**40)
    for bad in ({}, {"__dict__": [[1]]}, {"__series__": {"index": [1]}}, {"__axes__": {"lines": [{}]}}, {"a": 1, "b": 2}, {"__x__": 1}):
        with pytest.raises(NotPlainError):
            check_plain(bad)
    assert check_plain(to_plain(pd.DataFrame({"a": [1, None]}))) is not None


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["__dict__", "__set__", "__series__", "__frame__", "__axes__", "__time__", "index", "values",
                         "columns", "data", "lines", "x", "y", "label", "title", "xlabel", "ylabel", "roles", "why"]),
        inner, max_size=3),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(actual=json_values, expected=json_values)
def test_no_check_raises_on_any_json_that_passes_the_plain_data_check(actual, expected):
    """What a kernel sends is arbitrary JSON: parsed, it is plain data or refused; judged, it is a verdict."""
    values = []
    for value in (actual, expected):
        value = json.loads(json.dumps(value))
        try:
            values.append(check_plain(value))
        except NotPlainError:
            values.append(None)
    for kind in CHECKS.values():
        verdict = kind.verdict([values[0]] * kind.learner_args, values[1], "the value", {}, cell_seconds=1.0)
        assert 0.0 <= verdict.score <= 1.0
        assert verdict.ok or isinstance(reason_text(verdict.reason), str)


@pytest.mark.parametrize("text, words", [
    ("quality manager of the inspection line", 6),
    ("検査ラインの品質管理責任者", 7),  # 13 kana and kanji, two per word, rounded up
    ("1行が1件の取引", 5),  # digits count as words of their own
    ("", 0),
    ("Ames のデータ", 3),
])
def test_words_are_counted_in_either_language(text, words):
    assert count_words(text) == words


def test_words_at_least_holds_for_every_text_and_names_what_is_short():
    assert words_at_least(["one two three", "三つの単語より長い文"], 3).score == 1.0
    short = words_at_least(["one two three", "節約"], 3, where="so_that")
    assert short.score == 0.0 and short.reason == Reason("reason.too_few_words", {"where": "so_that", "bound": 3})
    assert words_at_least([1, "one two three"], 3).reason.key == "reason.wrong_kind"
    assert words_at_least([], 3).reason.key == "reason.wrong_kind"
