"""Augmented rows keep each column's dtype, so the teacher reads them as it reads the training rows."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from glassbox import GAMClassifier
from glassbox.surrogate import DistilledClassifier
from glassbox.surrogate._augment import augment, concatenate_rows
from glassbox.utils.tabular import validate_tabular

METHODS = ("copula", "neighbors")


def _frame(n=400):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({
        "grade": rng.randint(1, 6, n).astype(np.int64),
        "count": rng.randint(0, 200, n).astype(np.uint8),
        "age": pd.array(rng.randint(18, 90, n), dtype="Int64"),
        "flag": rng.rand(n) > 0.5,
        "nullable_flag": pd.array(rng.rand(n) > 0.3, dtype="boolean"),
        "score": pd.array(rng.normal(size=n), dtype="Float64"),
        "word": pd.array(rng.choice(["p", "q", "r"], n), dtype="string"),
        "x": rng.normal(size=n),
    })
    frame.loc[:30, "age"] = pd.NA
    frame.loc[:10, "nullable_flag"] = pd.NA
    frame.loc[:5, "score"] = pd.NA
    return frame


@pytest.mark.parametrize("method", METHODS)
def test_new_rows_keep_every_column_dtype(method):
    frame = _frame()
    table = validate_tabular(BaseEstimator(), frame, reset=True)
    new = augment(frame, table, 300, method, np.random.RandomState(1))
    assert new.dtypes.to_dict() == frame.dtypes.to_dict()
    assert concatenate_rows(frame, new).dtypes.to_dict() == frame.dtypes.to_dict()
    assert new["age"].isna().any() and new["age"].notna().any()  # missing ages are pd.NA in an Int64 column
    assert new["age"].dropna().between(18, 89).all()


def test_neighbors_keep_whole_number_columns_whole_and_between_the_two_rows():
    frame = _frame()
    table = validate_tabular(BaseEstimator(), frame, reset=True)
    new = augment(frame, table, 500, "neighbors", np.random.RandomState(1))
    assert set(new["grade"]) <= set(frame["grade"])
    assert set(new["flag"]) <= {True, False}
    assert not set(new["x"]) <= set(frame["x"])  # a real-valued column is still interpolated


def test_numpy_integer_rows_stay_integer():
    X = np.random.RandomState(0).randint(0, 9, size=(200, 3))
    table = validate_tabular(BaseEstimator(), X, reset=True)
    for method in METHODS:
        new = augment(X, table, 100, method, np.random.RandomState(1))
        assert new.dtype == X.dtype
        assert concatenate_rows(X, new).dtype == X.dtype


def test_teacher_encoding_an_integer_column_labels_neighbor_rows():
    frame = _frame(600)
    y = ((frame["grade"] > 2) ^ frame["flag"]).astype(int)
    encoder = make_column_transformer((OneHotEncoder(), ["grade"]), ("passthrough", ["x"]))
    teacher = make_pipeline(encoder, LogisticRegression())
    copy = DistilledClassifier(teacher, student=GAMClassifier(interactions=0, outer_bags=1), n_augment=500,
                               augment="neighbors", random_state=0).fit(frame, y)
    assert copy.fidelity_report(frame).agreement > 0.9


@pytest.mark.parametrize("dtype", ["uint8", "int8", "UInt8", "Int8"])
def test_whole_numbers_beyond_an_integer_dtypes_range_stay_floats_rather_than_wrap(dtype):
    from glassbox.surrogate._augment import rows_like

    X = pd.DataFrame({"n": pd.array([0, 3, 100], dtype=dtype)})
    values = np.array([[-1.0], [2.0], [300.0]])  # -1 and 300 are no uint8, 300 no int8: 255 or 44 would be wrong
    column = rows_like(X, None, values, {})["n"]
    np.testing.assert_array_equal(column.to_numpy(dtype=float), [-1.0, 2.0, 300.0])
    inside = rows_like(X, None, np.array([[0.0], [2.0], [100.0]]), {})["n"]
    assert inside.dtype == X["n"].dtype  # values that fit keep the dtype
