"""The figures and facts 03 Prepare quotes, recomputed from the house data."""
from __future__ import annotations

import pandas as pd
import pytest
from prose import flat, prose, unaccounted

from coursekit import load_house_prices

ASSIGNMENT = "03_prepare"
TEXT = flat(prose(ASSIGNMENT))


@pytest.fixture(scope="module")
def houses() -> pd.DataFrame:
    return load_house_prices()


def test_what_it_quotes_from_the_diagnosis(houses):
    q1, q3 = houses["SalePrice"].quantile([0.25, 0.75])
    assert q3 + 1.5 * (q3 - q1) == 339_500 and "found the price's upper fence at $339,500" in TEXT
    missing = houses.isna().mean() * 100
    assert sorted(missing[missing > 50].index) == ["Alley", "Fence", "MasVnrType", "MiscFeature", "PoolQC"]
    assert "to drop `PoolQC`, `MiscFeature`, `Alley`, `Fence` and `MasVnrType` as more than half missing" in TEXT


def test_the_veneer_type_that_arrived_as_missing(houses):
    no_type = houses["MasVnrType"].isna()
    assert round(no_type.mean() * 100) == 61
    assert (no_type.sum(), (no_type & houses["MasVnrArea"].eq(0)).sum()) == (1775, 1745)
    assert "is 61 % missing, yet for 1745 of its 1775 missing rows the veneer area `MasVnrArea` is exactly 0" in TEXT


def test_the_two_sales_that_fail_a_rule(houses):
    assert houses["SalePrice"].notna().all() and houses["PID"].is_unique
    assert (houses.select_dtypes("number") < 0).sum().sum() == 0
    assert houses["CentralAir"].dropna().isin(["Y", "N"]).all()
    remodelled = houses[houses["YearRemodAdd"] < houses["YearBuilt"]]
    sold = houses[houses["YrSold"] < houses["YearBuilt"]]
    assert len(remodelled) == len(sold) == 1 and remodelled.index[0] != sold.index[0]
    assert "Two sales fail a rule on the real data" in TEXT
    assert (remodelled["YearBuilt"] - remodelled["YearRemodAdd"]).iloc[0] == 1 and "remodelled a year before it was built" in TEXT
    assert (sold["YearBuilt"] - sold["YrSold"]).iloc[0] == 1 and "sold the year before it was built" in TEXT
    assert sold["SaleCondition"].iloc[0] == "Partial" and '(`SaleCondition` "Partial")' in TEXT


def test_the_spellings_it_quotes(houses):
    assert "WD " in set(houses["SaleType"]) and '`SaleType` has `"WD "` with a trailing space' in TEXT
    first, second = set(houses["Exterior1st"].dropna()), set(houses["Exterior2nd"].dropna())
    assert {"CmentBd", "Wd Shng", "Brk Cmn"} <= second - first
    assert {"CemntBd", "WdShing", "BrkComm"} <= first - second
    assert '`Exterior2nd` as `"CmentBd"`, `"Wd Shng"` and `"Brk Cmn"`' in TEXT
    assert '`Exterior1st` says `"CemntBd"`, `"WdShing"` and `"BrkComm"`' in TEXT


def test_every_number_it_quotes_is_recomputed_or_given():
    recomputed = {"$339,500", "61", "1745", "1775"}
    given = {"0", "1", "2", "3", "4", "5", "02", "03"}  # sections, numbered steps, notebooks, "below 0"
    assert unaccounted(ASSIGNMENT, recomputed, given) == set()
