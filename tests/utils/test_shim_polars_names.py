"""A polars frame's column names are recorded and checked also where scikit-learn cannot read them.

scikit-learn < 1.9 (the project supports 1.6) reads a frame's column names only
from pandas or through ``__dataframe__``, which polars 2 dropped.  These tests
run that behaviour on any scikit-learn by replacing its name reader.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn.utils.validation as sklearn_validation
from sklearn.ensemble import HistGradientBoostingRegressor

import glassbox.utils._sklearn_shim as shim
from glassbox import DistilledRegressor, GAMRegressor, SparseLinearRegressor

pl = pytest.importorskip("polars")


def _names_as_before_1_9(X):
    if isinstance(X, pd.DataFrame):
        names = np.asarray(X.columns, dtype=object)
    elif hasattr(X, "__dataframe__"):
        names = np.asarray(list(X.__dataframe__().column_names()), dtype=object)
    else:
        return None
    return names if len(names) and all(isinstance(n, str) for n in names) else None


@pytest.fixture
def old_name_reader(monkeypatch):
    monkeypatch.setattr(sklearn_validation, "_get_feature_names", _names_as_before_1_9)
    monkeypatch.setattr(shim, "_get_feature_names", _names_as_before_1_9)
    frame = pl.DataFrame({"a": np.linspace(-1, 1, 120), "b": np.cos(np.arange(120.0))})
    if hasattr(frame, "__dataframe__"):
        pytest.skip("this polars still has __dataframe__: older scikit-learn reads its names itself")
    return frame


@pytest.mark.parametrize("make", [
    lambda: SparseLinearRegressor(alpha=0.001),
    lambda: GAMRegressor(outer_bags=1, interactions=0, random_state=0),
    lambda: DistilledRegressor(HistGradientBoostingRegressor(max_iter=5), student=SparseLinearRegressor()),
], ids=["SparseLinearRegressor", "GAMRegressor", "DistilledRegressor"])
def test_polars_names_are_recorded_and_reordered_columns_refused(old_name_reader, make):
    frame = old_name_reader
    model = make().fit(frame, 3 * frame["a"].to_numpy())
    assert list(model.feature_names_in_) == ["a", "b"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "X does not have valid feature names" on the frame it was fitted on
        model.predict(frame)
    with pytest.raises(ValueError, match="feature names"):
        model.predict(frame.select(["b", "a"]))
