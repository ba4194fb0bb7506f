"""What a learner's notebook imports: the data, the vocabulary and the checks."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from coursekit import REQUEST_TYPES, ROLES, Checkpoint, CheckpointFailed, load_churn, load_house_prices  # noqa: E402
from coursekit import compare  # noqa: E402
from coursekit.labels import reason_text  # noqa: E402
from coursekit.plain import to_plain  # noqa: E402


@pytest.fixture(scope="module")
def houses():
    return load_house_prices()


def test_house_prices_have_the_shape_and_kaggle_names(houses):
    assert houses.shape == (2930, 82)
    for name in ("Order", "PID", "MSSubClass", "1stFlrSF", "2ndFlrSF", "3SsnPorch", "GrLivArea", "SalePrice",
                 "BedroomAbvGr", "GarageYrBlt", "MasVnrType", "PoolQC"):
        assert name in houses.columns
    assert not [c for c in houses.columns if "." in c or c.startswith("X")]
    assert houses["PID"].is_unique


def test_house_prices_keep_the_facts_the_course_teaches(houses):
    q1, q3 = houses["SalePrice"].quantile([0.25, 0.75])
    assert q3 + 1.5 * (q3 - q1) == 339_500
    missing = houses.isna().mean() * 100
    # MasVnrType looks sparse only because its "None" category was read as missing (Prepare repairs it).
    assert sorted(missing[missing > 50].index) == ["Alley", "Fence", "MasVnrType", "MiscFeature", "PoolQC"]
    assert houses["MasVnrType"].isna().sum() == 1775
    assert (houses["MasVnrType"].isna() & (houses["MasVnrArea"] == 0)).sum() == 1745
    assert len(houses.select_dtypes(include="str").columns) == 43


def test_churn_data(houses):
    churn = load_churn()
    assert churn.shape == (5000, 20)
    assert churn["churn"].value_counts().to_dict() == {"no": 4293, "yes": 707}


def test_vocabulary():
    assert len(ROLES) == len(set(ROLES)) == 18
    assert REQUEST_TYPES == ("information", "work", "review")


class AlwaysEqual(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


def test_an_object_that_claims_equality_earns_nothing():
    check = Checkpoint("x.y")
    with pytest.raises(CheckpointFailed, match="is not the expected number"):
        check.equal(AlwaysEqual(1.0), 2.0, "a number")
    with pytest.raises(CheckpointFailed, match="cannot be checked"):
        check.equal(object(), 2.0, "an object")


def test_close_compares_series_frames_and_dicts_without_showing_the_answer():
    check = Checkpoint("x.y")
    check.close(pd.Series([1.0, 2.0]), pd.Series([1.0, 2.0 + 1e-9]), "a series")
    with pytest.raises(CheckpointFailed) as failed:
        check.close(pd.Series([1.0, 2.5]), pd.Series([1.0, 2.0]), "a series")
    assert "2.0" not in str(failed.value) and "differs at 1 of 2 values" in str(failed.value)
    with pytest.raises(CheckpointFailed, match="is missing the keys 'b'"):
        check.close({"a": 1}, {"a": 1, "b": 2}, "a dict")
    with pytest.raises(CheckpointFailed, match="should be a pandas Series"):
        check.close([1.0, 2.0], pd.Series([1.0, 2.0]), "a series")
    check.equal(pd.DataFrame({"a": [1, None]}), pd.DataFrame({"a": [1.0, np.nan]}), "a frame with a gap")


def test_axes_become_their_lines():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [2.0, 3.0])
    plain = to_plain(ax)["__axes__"]
    plt.close(fig)
    assert plain["lines"][0]["y"] == [2.0, 3.0]


def test_overlap_gives_partial_credit_and_names_unknown_roles():
    key = to_plain({"Product Manager": {"work", "review"}, "Domain Expert": {"information"}})
    assert compare.overlap(key, key).score == 1.0
    half = compare.overlap(to_plain({"Product Manager": {"work"}, "Domain Expert": {"information"}}), key)
    assert half.score == pytest.approx(2 / 3)
    spam = compare.overlap(to_plain({role: set(REQUEST_TYPES) for role in ROLES}), key)
    assert spam.score < 0.1
    odd = compare.overlap(to_plain({"Product Owner": {"work"}, "Domain Expert": {"gossip"}}), key)
    assert [reason_text(note) for note in odd.notes] == [
        "Unknown role 'Product Owner': use a name from ROLES.",
        "Unknown request type 'gossip' for 'Domain Expert': use information, work or review."]


def test_overlap_accepts_either_of_interchangeable_roles():
    key = to_plain({"Product Manager": {"work"}, "IT Auditor": {"information"}})
    either = [["IT Auditor", "Model Risk Manager"]]
    for legal in ({"IT Auditor"}, {"Model Risk Manager"}, {"IT Auditor", "Model Risk Manager"}):
        answer = to_plain({"Product Manager": {"work"}, **{role: {"information"} for role in legal}})
        assert compare.overlap(answer, key, either=either).score == 1.0
    assert compare.overlap(to_plain({"Product Manager": {"work"}}), key, either=either).score == 0.5


def test_overlap_key_entries_may_name_alternatives():
    key = to_plain({"Product Manager | Business Analyst": {"information"}, "Product Manager | Domain Expert": {"work"},
                    "Domain Expert": {"information"}})
    assert compare.overlap(to_plain({"Product Manager": {"information", "work"}, "Domain Expert": {"information"}}), key).score == 1.0
    assert compare.overlap(to_plain({"Business Analyst": {"information"}, "Domain Expert": {"information", "work"}}), key).score == 1.0
    # the Product Manager's information does not stand in for the Domain Expert's
    assert compare.overlap(to_plain({"Product Manager": {"information", "work"}}), key).score == pytest.approx(2 / 3)
    # a request the key does not hold counts against, once per role
    assert compare.overlap(to_plain({"Product Manager": {"information", "work", "review"}, "Domain Expert": {"information"}}),
                           key).score == pytest.approx(3 / 4)


def test_a_role_in_two_groups_satisfies_both():
    key = to_plain({"Data Engineer": {"review"}, "MLOps Engineer": {"information"}})
    either = [["Data Scientist", "ML Engineer", "Data Engineer"], ["ML Engineer", "MLOps Engineer", "ML Operator"]]
    assert compare.overlap(to_plain({"ML Engineer": {"review", "information"}}), key, either=either).score == 1.0
    assert compare.overlap(to_plain({"Data Scientist": {"review"}, "ML Operator": {"information"}}), key, either=either).score == 1.0
    assert compare.overlap(to_plain({"Data Scientist": {"review", "information"}}), key, either=either).score == pytest.approx(1 / 3)


def test_an_empty_answer_is_not_attempted():
    with pytest.raises(NotImplementedError):
        Checkpoint("x.y").overlap({}, {"Product Manager": {"work"}}, "REQUESTS")


def test_the_handoff_diagnosis_is_analyze_reference_diagnosis_as_reviewed(houses):
    """04–06 start from ``houses.DIAGNOSIS``: it must stay what 02 Analyze's reference ``diagnosis``
    finds on the data, but for ``MasVnrType``, which the review keeps (03 Prepare repairs it)."""
    from pathlib import Path

    from autograder.course import Course
    from coursekit.houses import DIAGNOSIS
    from coursekit.registry import is_test_cell

    analyze = Course.locate(Path(__file__).resolve().parent.parent).assignment("02_analyze").read_source()
    namespace: dict = {}
    for cell in analyze.cells:
        if cell.cell_type == "code" and not is_test_cell(cell):
            exec(compile(cell.source, "<02_analyze reference>", "exec"), namespace)  # noqa: S102 - the course's own source
    plt.close("all")
    found = namespace["diagnosis"](houses)
    reviewed = dict(found, drop_sparse=[c for c in found["drop_sparse"] if c != "MasVnrType"])
    assert "MasVnrType" in found["drop_sparse"]
    assert {k: sorted(v) if isinstance(v, list) else v for k, v in reviewed.items()} == \
        {k: sorted(v) if isinstance(v, list) else v for k, v in DIAGNOSIS.items()}
