"""The hand-off helpers of 04–06 (``coursekit.houses``): what they claim about the Ames data holds."""
from __future__ import annotations

import pandas as pd
import pytest

from coursekit.data import load_house_prices
from coursekit.houses import (ABSENT, ABSENT_WHEN_MISSING, TARGET, course_split, drop_price_outliers,
                              prepared_house_prices, reference_preprocessor)


@pytest.fixture(scope="module")
def houses() -> pd.DataFrame:
    return load_house_prices()


def _extra_missing(houses: pd.DataFrame, column: str, absent: pd.Series) -> int:
    """How many houses miss ``column`` although ``absent`` says they have the feature; the column
    must never be filled where the feature is absent."""
    missing = houses[column].isna()
    assert not (absent & ~missing).any(), f"{column} has a grade for a house without the feature"
    return int((missing & ~absent).sum())


def test_absent_features_are_missing_where_the_data_says_the_house_has_none(houses):
    """The documentation's "NA means none", checked against each feature's own size or count."""
    no_basement = houses["TotalBsmtSF"].fillna(0).eq(0)
    no_garage = houses["GarageArea"].eq(0)
    extra = {
        "FireplaceQu": _extra_missing(houses, "FireplaceQu", houses["Fireplaces"].eq(0)),
        "GarageType": _extra_missing(houses, "GarageType", no_garage),
        "PoolQC": _extra_missing(houses, "PoolQC", houses["PoolArea"].eq(0)),
        **{c: _extra_missing(houses, c, no_basement) for c in ("BsmtQual", "BsmtCond", "BsmtFinType1", "BsmtExposure", "BsmtFinType2")},
        **{c: _extra_missing(houses, c, no_garage) for c in ("GarageFinish", "GarageQual", "GarageCond")},
    }
    assert extra == {"FireplaceQu": 0, "GarageType": 0, "PoolQC": 0, "BsmtQual": 0, "BsmtCond": 0, "BsmtFinType1": 0,
                     "BsmtExposure": 3, "BsmtFinType2": 1, "GarageFinish": 2, "GarageQual": 2, "GarageCond": 2}
    assert houses["Fireplaces"].eq(0).sum() == houses["FireplaceQu"].isna().sum() == 1422
    assert not (houses["MiscFeature"].isna() & houses["MiscVal"].gt(0)).any()
    # Alley and Fence have no companion column; their documentation is all there is.
    assert set(ABSENT_WHEN_MISSING) - set(extra) == {"Alley", "Fence", "MiscFeature"}
    assert {houses[c].dtype for c in ABSENT_WHEN_MISSING} == {pd.StringDtype(na_value=float("nan"))}
    assert not any(houses[c].eq(ABSENT).any() for c in ABSENT_WHEN_MISSING), "'None' must be a new category"


def test_most_frequent_imputation_would_invent_the_features_issue_16_names():
    """The figures 04 Preprocess quotes: what most-frequent imputation does to the training rows."""
    train, _ = course_split()
    invented = {c: (int(train[c].isna().sum()), train[c].mode()[0], int(train[c].eq(train[c].mode()[0]).sum()))
                for c in ("FireplaceQu", "GarageType", "BsmtQual")}
    assert invented == {"FireplaceQu": (975, "Gd", 466), "GarageType": (109, "Attchd", 1120), "BsmtQual": (55, "TA", 891)}


def test_reference_preprocessor_gives_absent_features_their_own_category():
    train, test = course_split()
    fitted = reference_preprocessor(train).fit(train)
    encoded = fitted.transform(test)
    assert encoded["FireplaceQu_None"].sum() == test["FireplaceQu"].isna().sum()
    assert (encoded.loc[test["FireplaceQu"].isna(), "FireplaceQu_Gd"] == 0).all()
    # a truly missing category (not in the list) is still imputed with the most frequent one
    assert "Electrical_None" not in encoded.columns and "MasVnrType_None" in encoded.columns  # 03's real "None"
    assert not encoded.isna().any().any()


def test_course_split_removes_outliers_from_the_training_rows_only():
    kept, test = course_split()
    every, same_test = course_split(drop_outliers=False)
    assert same_test.index.equals(test.index) and len(every) + len(test) == len(prepared_house_prices())
    assert kept.index.equals(drop_price_outliers(every).index)
    q1, q3 = every[TARGET].quantile([0.25, 0.75])
    assert kept[TARGET].max() <= q3 + 1.5 * (q3 - q1) < every[TARGET].max()
