"""The hand-off between 04 Preprocess, 05 Train and 06 Test on the Ames house prices.

Each of these notebooks runs on its own: it rebuilds what the earlier steps made through these
helpers, never from files a learner made by hand. They hold the course's reference for the
*earlier* steps only:

- :data:`DIAGNOSIS`: what 02 Analyze decided to drop (and the target's upper fence it measured);
- :data:`ABSENT_WHEN_MISSING`: the columns in which a missing value means "the house has none";
- :func:`prepared_house_prices`: the data after 03 Prepare's repair and Analyze's drops;
- :func:`course_split`: 04 Preprocess's training and test rows (:func:`drop_price_outliers`);
- :func:`reference_preprocessor`: 04's feature transformer, for 05 and 06 to start from;
- :func:`course_model`: the model 05 ships, for 06 to test;
- :func:`load_model`: the only way the course loads a saved model (skops, explicit trusted types).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from coursekit.data import load_house_prices

TARGET = "SalePrice"
#: Columns that identify a sale: never features (03 Prepare).
IDENTIFIERS = ("Order", "PID")
RANDOM_STATE = 40
TEST_SIZE = 0.3

#: 02 Analyze's diagnosis of the full data (``diagnosis(df)``: more than 50 % missing, |Pearson r|
#: > 0.8 and Cramér's V > 0.7 in the upper triangle, the IQR upper fence of the target), as
#: reviewed with the Domain Expert: ``MasVnrType``, proposed as sparse, stays, because its "None"
#: (no veneer) had been read as missing and 03 Prepare repaired it.
DIAGNOSIS = {
    "drop_sparse": ["Alley", "Fence", "MiscFeature", "PoolQC"],
    "drop_correlated_numeric": ["1stFlrSF", "GarageArea", "GarageYrBlt", "TotRmsAbvGrd"],
    "drop_correlated_categorical": ["Exterior2nd"],
    "target_upper_fence": 339_500.0,
}

#: Categorical columns in which a missing value is not a gap in the data but an answer: the house
#: has no such feature. Each entry is the meaning De Cock's data documentation (DataDocumentation.txt,
#: Journal of Statistics Education 19(3), 2011) gives the code ``NA`` in that column ("NA  No
#: Fireplace", "NA  No Garage", ...). The data agrees (``tests/test_houses.py``): ``FireplaceQu``,
#: ``GarageType`` and ``PoolQC`` are missing exactly where ``Fireplaces``, ``GarageArea`` and
#: ``PoolArea`` are 0; ``BsmtQual``, ``BsmtCond`` and ``BsmtFinType1`` exactly where there is no
#: basement area (0, or not recorded for the one house without any basement data); ``MiscFeature``
#: only where ``MiscVal`` is 0. A few grades are missing in houses that do have the feature: 2
#: garages without a finish, quality or condition, 3 basements without an exposure, 1 without a
#: second finish type (of 2,930 sales). Those few are truly missing, but a rule per column cannot
#: tell them apart and reads them as "None" too. ``MasVnrType`` is not here: its documentation has
#: a real category "None", which 03 Prepare restores; what stays missing there is truly missing.
ABSENT_WHEN_MISSING: dict[str, str] = {
    "Alley": "no alley access",
    "BsmtQual": "no basement",
    "BsmtCond": "no basement",
    "BsmtExposure": "no basement",
    "BsmtFinType1": "no basement",
    "BsmtFinType2": "no basement",
    "FireplaceQu": "no fireplace",
    "GarageType": "no garage",
    "GarageFinish": "no garage",
    "GarageQual": "no garage",
    "GarageCond": "no garage",
    "PoolQC": "no pool",
    "Fence": "no fence",
    "MiscFeature": "no miscellaneous feature",
}
#: The category an absent feature becomes.
ABSENT = "None"

#: Types a course model holds beyond what skops trusts by default. Anything else in a saved
#: file makes :func:`load_model` refuse it.
TRUSTED_TYPES = ["numpy.dtype", "sklearn.tree._tree.Tree"]


def prepared_house_prices() -> pd.DataFrame:
    """The Ames data as 03 Prepare hands it on, without the columns 02 Analyze dropped.

    Prepare's repair: ``MasVnrType`` is ``"None"`` (no veneer) where ``MasVnrArea`` is 0.
    """
    df = load_house_prices()
    no_veneer = df["MasVnrType"].isna() & df["MasVnrArea"].eq(0)
    df.loc[no_veneer, "MasVnrType"] = "None"
    dropped = [c for key in ("drop_sparse", "drop_correlated_numeric", "drop_correlated_categorical") for c in DIAGNOSIS[key]]
    return df.drop(columns=dropped)


def drop_price_outliers(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows whose price is at most the IQR upper fence (Q3 + 1.5·IQR) of these rows' own prices.

    Only ever for rows a model is fitted on: rows a model is judged on keep every sale.
    """
    q1, q3 = rows[TARGET].quantile([0.25, 0.75])
    return rows[rows[TARGET] <= q3 + 1.5 * (q3 - q1)]


def course_split(drop_outliers: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """04 Preprocess's (train, test) rows of :func:`prepared_house_prices`.

    Split first (``test_size=0.3``, ``random_state=40``); then, unless ``drop_outliers`` is False,
    :func:`drop_price_outliers` removes the training rows above the training prices' own fence.
    The test rows keep every sale.
    """
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(prepared_house_prices(), test_size=TEST_SIZE, random_state=RANDOM_STATE)
    return (drop_price_outliers(train) if drop_outliers else train), test


def features(rows: pd.DataFrame) -> pd.DataFrame:
    """The feature columns of ``rows``: everything but the target and the identifiers."""
    return rows.drop(columns=[TARGET, *IDENTIFIERS], errors="ignore")


def reference_preprocessor(rows: pd.DataFrame):
    """An unfitted feature transformer for the feature columns of ``rows`` (04's reference).

    Numeric: median imputation, then standardisation. Categorical: in the columns of
    :data:`ABSENT_WHEN_MISSING`, a missing value becomes the category :data:`ABSENT` ("None");
    in the others, a missing value is imputed with the most frequent category; then both are
    one-hot encoded, an unseen category becoming all zeros. Its output is a DataFrame whose
    columns are named after the features (``OverallQual``, ``MSZoning_RL``, ``FireplaceQu_None``).
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    x = features(rows)
    numeric = x.select_dtypes("number").columns.tolist()
    absent = [c for c in x.columns if c not in numeric and c in ABSENT_WHEN_MISSING]
    categorical = [c for c in x.columns if c not in numeric and c not in ABSENT_WHEN_MISSING]

    def encoded(imputer: SimpleImputer):
        return make_pipeline(imputer, OneHotEncoder(handle_unknown="ignore", sparse_output=False))

    return ColumnTransformer(
        [
            ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            ("absent", encoded(SimpleImputer(strategy="constant", fill_value=ABSENT)), absent),
            ("categorical", encoded(SimpleImputer(strategy="most_frequent")), categorical),
        ],
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")


def course_model(train: pd.DataFrame):
    """The model 05 Train ships, fitted on ``train``: :func:`reference_preprocessor`, then an
    elastic net whose target is standardised by a ``TransformedTargetRegressor`` (so it
    predicts dollars)."""
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.linear_model import ElasticNet
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    regressor = TransformedTargetRegressor(ElasticNet(alpha=0.01, l1_ratio=0.05), transformer=StandardScaler())
    model = Pipeline([("preprocess", reference_preprocessor(train)), ("model", regressor)])
    return model.fit(features(train), train[TARGET])


def load_model(path: str | Path):
    """Load a model saved with ``skops.io.dump``, trusting only skops' defaults and
    :data:`TRUSTED_TYPES`. Never unpickle a file that crossed a trust boundary."""
    import skops.io as sio

    return sio.load(Path(path), trusted=TRUSTED_TYPES)
