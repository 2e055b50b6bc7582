"""A numeric column read as text (a blank marks missing) draws the fit-time warning from the linear models too, once."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import SparseLinearClassifier, SparseLinearRegressor


def _frame(n=600, as_text=True, levels_are_numbers=True):
    rng = np.random.default_rng(0)
    amount = np.round(rng.uniform(20, 9000, n), 2)
    column = amount.astype(str).astype(object) if levels_are_numbers else np.array([f"id-{i}" for i in range(n)], object)
    column[:3] = " "  # the blank a CSV export writes for a missing amount
    X = pd.DataFrame({"total": column if as_text else amount, "tenure": rng.integers(1, 72, n)})
    y = (amount / 9000 + rng.normal(0, 0.3, n) > 0.5).astype(int)
    return X, y


@pytest.mark.parametrize("n", [600, 200])  # more and fewer levels than the binned families take
def test_numbers_as_text_levels_warn_once_with_the_conversion(n):
    X, y = _frame(n=n)
    with pytest.warns(UserWarning, match=r"'total' looks like numbers written as text: its levels are numbers but "
                                         r"for \[' '\].*pd\.to_numeric\(X\['total'\], errors='coerce'\)") as record:
        SparseLinearClassifier(alpha=0.05).fit(X, y)
    assert sum("'total'" in str(w.message) for w in record) == 1
    with pytest.warns(UserWarning, match="pd.to_numeric"):
        SparseLinearRegressor(alpha=0.05).fit(X, y.astype(float))


@pytest.mark.parametrize("case", ["numeric column", "text levels", "declared category"])
def test_no_warning_where_the_column_is_what_it_says(case):
    if case == "numeric column":
        X, y = _frame(as_text=False)
    elif case == "text levels":
        X, y = _frame(levels_are_numbers=False)
    else:
        X, y = _frame(n=200)
        X["total"] = X["total"].astype("category")  # categorical on purpose
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SparseLinearClassifier(alpha=0.05).fit(X, y)
