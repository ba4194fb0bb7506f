"""The figures 04 Preprocess quotes, recomputed from the house data as its prose describes them."""
from __future__ import annotations

import re

from conftest import COURSE
from prose import flat, prose, unaccounted
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from coursekit import load_house_prices
from coursekit.houses import TARGET, course_split

ASSIGNMENT = "04_preprocess"
TEXT = flat(prose(ASSIGNMENT))


def test_what_most_frequent_imputation_would_invent():
    train, _ = course_split()
    assert (train["FireplaceQu"].mode()[0], train["GarageType"].mode()[0], train["BsmtQual"].mode()[0]) == ("Gd", "Attchd", "TA")
    no_fireplace, good = int(train["FireplaceQu"].isna().sum()), int(train["FireplaceQu"].eq("Gd").sum())
    assert (no_fireplace, good) == (975, 466) and no_fireplace >= 2 * good  # "twice as many"
    assert "the 975 training houses without a fireplace get a good one (\"Gd\"), twice as many as the 466 houses" in TEXT
    assert int(train["GarageType"].isna().sum()) == 109 and "give 109 houses without a garage an attached garage" in TEXT
    assert int(train["BsmtQual"].isna().sum()) == 55 and "55 houses without a basement a typical one" in TEXT


def test_the_houses_with_the_feature_but_no_grade():
    houses = load_house_prices()
    garages = houses["GarageType"].notna() & houses[["GarageFinish", "GarageQual", "GarageCond"]].isna().any(axis=1)
    basements = houses["TotalBsmtSF"].gt(0) & houses[["BsmtQual", "BsmtCond", "BsmtExposure", "BsmtFinType1", "BsmtFinType2"]].isna().any(axis=1)
    assert (int(garages.sum()), int(basements.sum()), len(houses)) == (2, 4, 2930)
    assert "2 garages and 4 basements of the 2,930 sales have the feature but no recorded grade" in TEXT


def test_ordinal_against_one_hot_codes_of_the_neighbourhood():
    train, _ = course_split()
    assert list(OrdinalEncoder().fit(train[["Neighborhood"]]).categories_[0][:3]) == ["Blmngtn", "Blueste", "BrDale"]
    assert "the neighbourhood `Blmngtn` becomes 0, `Blueste` 1, `BrDale` 2, and so on" in TEXT
    r2 = {name: r2_score(train[TARGET], cross_val_predict(make_pipeline(encoder, LinearRegression()), train[["Neighborhood"]], train[TARGET], cv=5))
          for name, encoder in {"one-hot": OneHotEncoder(handle_unknown="ignore"),
                                "ordinal": OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)}.items()}
    assert (round(r2["one-hot"], 2), round(r2["ordinal"], 2)) == (0.53, 0.02)
    assert "explains R² = 0.53 of the price variation with one-hot columns and 0.02 with ordinal codes" in TEXT
    cell = next(c.source for c in COURSE.assignment(ASSIGNMENT).read_source().cells if c.get("id") == "pp-ordinal_vs_one_hot")
    at_least = float(re.search(r'one-hot-coded neighbourhoods", metric="r2", at_least=([0-9.]+)', cell).group(1))
    at_most = float(re.search(r'ordinal-coded neighbourhoods", metric="r2", at_most=([0-9.]+)', cell).group(1))
    assert r2["one-hot"] - 0.05 >= at_least and r2["ordinal"] + 0.05 <= at_most, "the bars leave the reference a margin"


def test_every_number_it_quotes_is_recomputed_or_given():
    recomputed = {"975", "466", "109", "55", "2", "4", "2,930", "0.53", "0.02"}
    given = {"0", "1", "3", "5", "6", "7",  # sections; mean 0 and deviation 1; one-hot's 1 and 0; the ordinal codes (tested above)
             "02", "03", "04", "05",  # notebooks
             "0.3", "40", "1.5", "100"}  # test_size, random_state, the IQR factor, a percentage from 0 to 100
    assert unaccounted(ASSIGNMENT, recomputed, given) == set()
