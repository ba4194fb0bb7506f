"""Every figure the prose of 04 Preprocess and 05 Train quotes, recomputed from the course's data.

Each figure is computed here from ``coursekit.houses`` and scikit-learn as the prose describes it,
not by running the notebooks, and must appear in the markdown cell that quotes it.
"""
from __future__ import annotations

import math
import re

import pytest
from conftest import COURSE
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import ElasticNet, LinearRegression
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.tree import DecisionTreeRegressor

from coursekit.data import load_house_prices
from coursekit.houses import TARGET, course_split, drop_price_outliers, reference_preprocessor


def _markdown(assignment: str, cell_id: str) -> str:
    cells = {c.get("id"): c for c in COURSE.assignment(assignment).read_source().cells}
    return " ".join(cells[cell_id].source.split())


def _cell(assignment: str, cell_id: str) -> str:
    return {c.get("id"): c for c in COURSE.assignment(assignment).read_source().cells}[cell_id].source


def _quotes(text: str, *figures: str) -> None:
    missing = [f for f in figures if f not in text]
    assert not missing, f"the prose no longer quotes {missing}: update it or this test"


def _elastic_net():
    return TransformedTargetRegressor(ElasticNet(alpha=0.01, l1_ratio=0.05), transformer=StandardScaler())


def _forest():
    return RandomForestRegressor(n_estimators=100, max_features="sqrt", random_state=40, n_jobs=1)


def _validation_r2(fit_rows, validation_rows, models):
    preprocessor = reference_preprocessor(fit_rows).fit(fit_rows)
    X_fit, X_val = preprocessor.transform(fit_rows), preprocessor.transform(validation_rows)
    return {name: r2_score(validation_rows[TARGET], model.fit(X_fit, fit_rows[TARGET]).predict(X_val)) for name, model in models.items()}


@pytest.fixture(scope="module")
def validation_rows():
    """05's (fit, validation) rows: validation drawn from every training row, outliers off the fit rows."""
    fit_rows, validation = train_test_split(course_split(drop_outliers=False)[0], test_size=0.2, random_state=40)
    return drop_price_outliers(fit_rows), validation


def test_04_most_frequent_imputation_figures():
    train, _ = course_split()
    text = _markdown("04_preprocess", "md-preprocessor")
    fireplaces, good = int(train["FireplaceQu"].isna().sum()), int(train["FireplaceQu"].eq("Gd").sum())
    assert train["FireplaceQu"].mode()[0] == "Gd" and train["GarageType"].mode()[0] == "Attchd" and train["BsmtQual"].mode()[0] == "TA"
    _quotes(text, f"the {fireplaces} training houses without a fireplace get a good one", f"the {good} houses that really have a good fireplace",
            f"{int(train['GarageType'].isna().sum())} houses without a garage", f"{int(train['BsmtQual'].isna().sum())} houses without a basement")
    assert fireplaces >= 2 * good, "the prose says 'twice as many'"


def test_04_houses_with_the_feature_but_no_grade():
    houses = load_house_prices()
    garages = houses["GarageType"].notna() & houses[["GarageFinish", "GarageQual", "GarageCond"]].isna().any(axis=1)
    basements = houses["TotalBsmtSF"].gt(0) & houses[["BsmtQual", "BsmtCond", "BsmtExposure", "BsmtFinType1", "BsmtFinType2"]].isna().any(axis=1)
    _quotes(_markdown("04_preprocess", "md-preprocessor"),
            f"{int(garages.sum())} garages and {int(basements.sum())} basements of the {len(houses):,} sales")


def test_04_ordinal_against_one_hot_figures():
    train, _ = course_split()
    r2 = {name: r2_score(train[TARGET], cross_val_predict(make_pipeline(encoder, LinearRegression()), train[["Neighborhood"]], train[TARGET], cv=5))
          for name, encoder in {"one-hot": OneHotEncoder(handle_unknown="ignore"),
                                "ordinal": OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)}.items()}
    _quotes(_markdown("04_preprocess", "md-ordinal_vs_one_hot-result"),
            f"R² = {r2['one-hot']:.2f} of the price variation with one-hot columns and {r2['ordinal']:.2f} with ordinal codes")
    bars = _cell("04_preprocess", "pp-ordinal_vs_one_hot")
    assert r2["one-hot"] >= float(re.search(r"one-hot-coded neighbourhoods\", metric=\"r2\", at_least=([0-9.]+)", bars).group(1)) + 0.05
    assert r2["ordinal"] <= float(re.search(r"ordinal-coded neighbourhoods\", metric=\"r2\", at_most=([0-9.]+)", bars).group(1)) - 0.05


def test_05_validation_figures_and_bars(validation_rows):
    biased_fit, biased_validation = train_test_split(course_split()[0], test_size=0.2, random_state=40)
    biased = _validation_r2(biased_fit, biased_validation, {"elastic_net": _elastic_net(), "random_forest": _forest()})
    honest = _validation_r2(*validation_rows, {"elastic_net": _elastic_net(), "random_forest": _forest()})
    _quotes(_markdown("05_train", "md-validation"),
            f"R² {biased['random_forest']:.3f} against {biased['elastic_net']:.3f} for the elastic net",
            f"{honest['elastic_net']:.3f} for the elastic net against {honest['random_forest']:.3f} for the forest")
    _quotes(_markdown("05_train", "md-train"), f"{honest['elastic_net']:.3f} with the elastic net and {honest['random_forest']:.3f} with the forest")
    _quotes(_markdown("05_train", "md-ship"), f"the elastic net reaches R² = {honest['elastic_net']:.3f}", f"the forest {honest['random_forest']:.3f}")
    bars = {name: math.floor((score - 0.05) * 100) / 100 for name, score in honest.items()}
    assert f"VALIDATION_BARS = {bars!r}".replace("'", '"') in _cell("05_train", "validation-bars")
    test_cell = _cell("05_train", "tr-models_fit")
    for name, label in (("elastic_net", "the elastic net's"), ("random_forest", "the forest's")):
        assert f'"{label} validation R² reaches its bar", metric="r2", at_least={bars[name]})' in test_cell


def test_05_overfitting_and_search_figures(validation_rows):
    fit_rows, validation = validation_rows
    preprocessor = reference_preprocessor(fit_rows).fit(fit_rows)
    X_fit, X_val, y_fit, y_val = preprocessor.transform(fit_rows), preprocessor.transform(validation), fit_rows[TARGET], validation[TARGET]

    def scores(model):
        model.fit(X_fit, y_fit)
        return r2_score(y_fit, model.predict(X_fit)), r2_score(y_val, model.predict(X_val))

    tree_fit, tree_validation = scores(DecisionTreeRegressor(random_state=40))
    net_fit, net_validation = scores(_elastic_net())
    _quotes(_markdown("05_train", "md-overfitting-result"),
            f"R² = {tree_fit:.3f} on the rows it was fitted on and {tree_validation:.3f} on the validation rows, a gap of {tree_fit - tree_validation:.3f}",
            f"the elastic net's gap is {net_fit - net_validation:.3f}")
    depths = {depth: scores(DecisionTreeRegressor(max_depth=depth, random_state=40))[1] for depth in (1, 2, 4, 6, 8, 10, 12, None)}
    best = max(depths, key=depths.get)
    _quotes(_markdown("05_train", "md-search-result"), f"the best depth at {best} (R² {depths[best]:.3f})")
    _quotes(_markdown("05_train", "md-ship"), f"the best tree of the search {depths[best]:.3f}")
    assert depths[best] < net_validation, "the prose says the best tree stays below the elastic net"
