"""Copula augmentation keeps whole-number columns whole, as the surrogate guide says."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from glassbox.surrogate._augment import augment
from glassbox.utils.tabular import validate_tabular


def _frame():
    rng = np.random.RandomState(0)
    age = rng.randint(17, 91, 3000)  # 74 distinct whole numbers: more than a handful of levels
    frame = pd.DataFrame({"age": age.astype(np.int64), "hours": rng.randint(1, 100, 3000).astype(np.float64),
                          "income": 1000.0 * age + rng.normal(0, 5000, 3000)})
    frame.loc[:99, "hours"] = np.nan
    return frame


def test_integer_columns_with_many_values_stay_integer_and_observed():
    frame = _frame()
    table = validate_tabular(BaseEstimator(), frame, reset=True)
    new = augment(frame, table, 5000, "copula", np.random.RandomState(1))
    for column in ("age", "hours"):
        drawn = new[column].dropna().to_numpy()
        np.testing.assert_array_equal(drawn, np.round(drawn))
        assert set(drawn) <= set(frame[column].dropna())
    assert abs(np.median(new["age"]) - np.median(frame["age"])) <= 2
    assert abs(new["hours"].isna().mean() - 100 / 3000) < 0.01
    kept = new.dropna()
    assert np.corrcoef(kept["age"], kept["income"])[0, 1] > 0.8  # the dependence survives


def test_real_valued_columns_are_still_interpolated():
    frame = _frame()
    table = validate_tabular(BaseEstimator(), frame, reset=True)
    new = augment(frame, table, 5000, "copula", np.random.RandomState(1))
    assert not set(new["income"]) <= set(frame["income"])  # values between the observed quantiles
    assert new["income"].min() >= frame["income"].min() and new["income"].max() <= frame["income"].max()
