"""The figures 05 Train quotes, recomputed from the house data as its prose describes them.

The validation rows are 05's: a fifth of every training row (``random_state=40``), the fit rows the
rest without their price outliers; the biased ones, for contrast, are drawn after the outliers were
removed.
"""
from __future__ import annotations

import math

import pytest
from conftest import COURSE
from prose import flat, prose, unaccounted
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import ElasticNet
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

from coursekit.houses import TARGET, course_split, drop_price_outliers, reference_preprocessor

ASSIGNMENT = "05_train"
TEXT = flat(prose(ASSIGNMENT))


def _cell(cell_id: str) -> str:
    return next(c.source for c in COURSE.assignment(ASSIGNMENT).read_source().cells if c.get("id") == cell_id)


def _models() -> dict:
    return {"elastic_net": TransformedTargetRegressor(ElasticNet(alpha=0.01, l1_ratio=0.05), transformer=StandardScaler()),
            "random_forest": RandomForestRegressor(n_estimators=100, max_features="sqrt", random_state=40, n_jobs=1)}


def _scores(fit_rows, validation_rows, models: dict) -> dict[str, tuple[float, float]]:
    """(fit R², validation R²) of each model, with 04's transformer fitted on the fit rows."""
    preprocessor = reference_preprocessor(fit_rows).fit(fit_rows)
    X_fit, X_val = preprocessor.transform(fit_rows), preprocessor.transform(validation_rows)
    scores = {}
    for name, model in models.items():
        model.fit(X_fit, fit_rows[TARGET])
        scores[name] = (r2_score(fit_rows[TARGET], model.predict(X_fit)), r2_score(validation_rows[TARGET], model.predict(X_val)))
    return scores


@pytest.fixture(scope="module")
def rows():
    fit_rows, validation_rows = train_test_split(course_split(drop_outliers=False)[0], test_size=0.2, random_state=40)
    return drop_price_outliers(fit_rows), validation_rows


@pytest.fixture(scope="module")
def validation_r2(rows) -> dict[str, float]:
    return {name: round(scores[1], 3) for name, scores in _scores(*rows, _models()).items()}


def test_validation_rows_with_every_sale_reverse_the_verdict(validation_r2):
    biased = {name: round(scores[1], 3) for name, scores in _scores(*train_test_split(course_split()[0], test_size=0.2, random_state=40), _models()).items()}
    assert biased == {"elastic_net": 0.789, "random_forest": 0.866}
    assert validation_r2 == {"elastic_net": 0.847, "random_forest": 0.775}
    assert "R² 0.866 against 0.789 for the elastic net" in TEXT
    assert "they reverse the order: 0.847 for the elastic net against 0.775 for the forest" in TEXT
    assert "the reference solution reaches R² = 0.847 with the elastic net and 0.775 with the forest" in TEXT
    assert "the elastic net reaches R² = 0.847 on them, the forest 0.775" in TEXT


def test_the_bars_are_the_reference_minus_the_margin(validation_r2):
    bars = {name: math.floor((score - 0.05) * 100) / 100 for name, score in validation_r2.items()}
    assert bars == {"elastic_net": 0.79, "random_forest": 0.72}
    assert 'VALIDATION_BARS = {"elastic_net": 0.79, "random_forest": 0.72}' in _cell("validation-bars")
    assert '"the elastic net\'s validation R² reaches its bar", metric="r2", at_least=0.79)' in _cell("tr-models_fit")
    assert '"the forest\'s validation R² reaches its bar", metric="r2", at_least=0.72)' in _cell("tr-models_fit")


def test_the_deep_tree_overfits_and_the_search_finds_a_depth(rows, validation_r2):
    scores = _scores(*rows, {"tree": DecisionTreeRegressor(random_state=40), "net": _models()["elastic_net"]})
    (tree_fit, tree_validation), (net_fit, net_validation) = scores["tree"], scores["net"]
    assert (f"{tree_fit:.3f}", f"{tree_validation:.3f}", f"{tree_fit - tree_validation:.3f}", f"{net_fit - net_validation:.3f}") == \
        ("1.000", "0.716", "0.284", "0.051")
    assert "R² = 1.000 on the rows it was fitted on and 0.716 on the validation rows, a gap of 0.284; the elastic net's gap is 0.051" in TEXT
    depths = (1, 2, 4, 6, 8, 10, 12, None)
    searched = _scores(*rows, {depth: DecisionTreeRegressor(max_depth=depth, random_state=40) for depth in depths})
    best = max(depths, key=lambda depth: searched[depth][1])
    assert (best, round(searched[best][1], 3)) == (10, 0.751) and searched[best][1] < validation_r2["elastic_net"]
    assert "the best depth at 10 (R² 0.751)" in TEXT and "the best tree of the search 0.751" in TEXT


def test_about_two_thousand_sales():
    assert round(len(course_split()[0]), -3) == 2000 and "a regression on about 2,000 sales" in TEXT


def test_every_number_it_quotes_is_recomputed_or_given():
    recomputed = {"0.789", "0.866", "0.847", "0.775", "1.000", "0.716", "0.284", "0.051", "10", "0.751", "2,000"}
    given = {"1", "2", "3", "4", "5", "6", "7", "8",  # sections (also R² = 1, a depth of 1)
             "03", "04", "05", "06",  # notebooks
             "40", "0.2", "1.5", "0.01", "0.05", "1.0", "100",  # seed, validation share, IQR factor, alpha, l1_ratio and margin, defaults
             "50", "9,999", "10,000", "99,999", "100,000",  # the cheat-sheet table's boundaries
             "64", "256"}  # a SHA-256 digest's 64 hex characters
    assert unaccounted(ASSIGNMENT, recomputed, given) == set()
