"""The figures 02 Analyze quotes, recomputed from the house data."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from prose import flat, prose, unaccounted

from coursekit import load_house_prices

ASSIGNMENT = "02_analyze"
TEXT = flat(prose(ASSIGNMENT))


@pytest.fixture(scope="module")
def houses() -> pd.DataFrame:
    return load_house_prices()


def eta(categories: pd.Series, values: pd.Series) -> float:
    """The correlation ratio, as the R² of the values on the categories' indicators."""
    rows = pd.DataFrame({"c": categories, "v": values}).dropna()
    indicators = pd.get_dummies(rows["c"]).to_numpy(dtype=float)
    fitted = indicators @ np.linalg.lstsq(indicators, rows["v"].to_numpy(), rcond=None)[0]
    residual = ((rows["v"] - fitted) ** 2).sum()
    return math.sqrt(1 - residual / ((rows["v"] - rows["v"].mean()) ** 2).sum())


def cramers_v(first: np.ndarray, second: np.ndarray) -> float:
    """Cramér's V of two columns of integer codes (-1 for missing), from χ² = Σ (O − E)² / E."""
    both = (first >= 0) & (second >= 0)
    width = second.max() + 1
    table = np.bincount(first[both] * width + second[both], minlength=(first.max() + 1) * width).reshape(-1, width)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return 0.0
    n = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    return math.sqrt(((table - expected) ** 2 / expected).sum() / (n * (min(table.shape) - 1)))


def test_the_size_and_the_missing_values(houses):
    assert (houses["YrSold"].min(), houses["YrSold"].max()) == (2006, 2010) and "2006–2010" in TEXT
    assert houses.isna().any().sum() == 27 and "a table of 27 numbers" in TEXT
    missing = houses.isna().mean() * 100
    assert sorted(missing[missing > 50].index) == ["Alley", "Fence", "MasVnrType", "MiscFeature", "PoolQC"]
    assert "`PoolQC`, `MiscFeature`, `Alley` and `Fence` are more than half missing" in TEXT
    assert round(missing["MasVnrType"]) == 61 and "It is 61 % missing" in TEXT
    no_type = houses["MasVnrType"].isna()
    assert (no_type & houses["MasVnrArea"].eq(0)).sum() / no_type.sum() > 0.98
    assert "for almost every sale where the type is missing, the area is exactly **0**" in TEXT


def test_the_categorical_features_against_the_price(houses):
    text = houses.select_dtypes(include="str")
    assert text.shape[1] == 43 and "43 of the columns are text" in TEXT
    codes = pd.Series(pd.factorize(houses["Neighborhood"])[0], index=houses.index)
    assert round(abs(codes.corr(houses["SalePrice"])), 2) == 0.08 and "the codes give |r| = 0.08" in TEXT
    ranked = pd.Series({c: eta(houses[c], houses["SalePrice"]) for c in text}).sort_values(ascending=False)
    assert list(ranked.index[:5]) == ["Neighborhood", "PoolQC", "ExterQual", "BsmtQual", "KitchenQual"]
    assert round(ranked["Neighborhood"], 2) == 0.76 and "`Neighborhood` comes first (η = 0.76)" in TEXT
    assert round(ranked["PoolQC"], 2) == 0.73 and "`PoolQC` comes second (η = 0.73), on the strength of 13 pools" in TEXT
    assert {round(ranked[c], 1) for c in ("ExterQual", "BsmtQual", "KitchenQual")} == {0.7} and "about 0.7 each" in TEXT


def test_the_cramers_v_matrix(houses):
    names = list(houses.select_dtypes(include="str").columns)
    assert math.comb(len(names), 2) == 903 and "every pair of the 43 text columns: 903 pairs" in TEXT
    codes = {name: pd.factorize(houses[name])[0] for name in names}
    v = {(a, b): cramers_v(codes[a], codes[b]) for a, b in itertools.combinations(names, 2)}
    brightest = sorted(v, key=v.get, reverse=True)[:4]
    assert all({"PoolQC", "Alley"} & set(pair) for pair in brightest)
    assert "the brightest squares belong to `PoolQC` and `Alley`" in TEXT
    assert v[("Exterior1st", "Exterior2nd")] > 0.7 and "`Exterior1st` and `Exterior2nd`" in TEXT
    assert houses["PoolQC"].notna().sum() == 13 and len(houses) == 2930 and "with 13 pools among 2930 sales" in TEXT


def test_the_diagnosis_it_reads(houses):
    assert round(houses["FireplaceQu"].isna().mean() * 100, 1) == 48.5 and "`FireplaceQu` (48.5 % missing" in TEXT
    numeric = houses.select_dtypes("number").drop(columns=["SalePrice", "Order", "PID"])
    corr = numeric.corr().abs().to_numpy()
    dropped = {numeric.columns[j] for i, j in zip(*np.triu_indices(len(corr), k=1)) if corr[i, j] > 0.8}
    assert "GarageArea" in dropped and "GarageCars" not in dropped
    assert "it drops `GarageArea` in favour of `GarageCars` only because of column order" in TEXT


def test_every_number_it_quotes_is_recomputed_or_given():
    recomputed = {"2006", "2010", "27", "61", "43", "903", "0.08", "0.76", "0.73", "0.7", "13", "2930", "48.5"}
    given = {
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "02", "03", "04",   # sections and notebooks
        "0.0", "100", "1.5", "25", "75", "50", "50.0",                   # definitions and thresholds
    }
    assert unaccounted(ASSIGNMENT, recomputed, given) == set()
