"""LocalSurrogate: the float32 copy of a row is the same row, and gets the row's explanation."""

import warnings

import numpy as np
import pandas as pd

from glassbox.surrogate import LocalSurrogate
from glassbox.utils.tabular import validate_tabular


def _data(n=300, seed=0):
    rng = np.random.RandomState(seed)
    return pd.DataFrame({
        "income": rng.normal(50, 15, n).round(2),  # 0.01 steps: numbers float32 does not hold exactly
        "debt": rng.gamma(2.0, 3.0, n),
        "age": rng.randint(18, 80, n).astype(float),
        "rate": rng.uniform(0.01, 0.2, n),
    })


def _model(X):
    """A score that reads its inputs at float32 precision, as a binned model does: a float32 copy scores alike."""
    x = np.asarray(X, dtype=np.float32).astype(np.float64)
    return 0.05 * x[:, 0] - 0.03 * x[:, 1] ** 2 + np.sin(x[:, 2] / 9.0) + 8.0 * x[:, 3]


def test_a_float32_copy_of_a_row_is_explained_as_the_row():
    X = _data()
    rows = X.iloc[:20]
    copies = rows.astype(np.float32)
    assert not np.array_equal(rows.to_numpy(), copies.to_numpy(dtype=np.float64))  # the numbers differ in float64
    np.testing.assert_array_equal(_model(rows), _model(copies))
    explainer = LocalSurrogate(_model, task="regression", max_features=2, n_samples=300, n_holdout=50,
                               random_state=0).fit(X)
    original, copy = explainer.local_fits(rows), explainer.local_fits(copies)
    np.testing.assert_array_equal(original.selected, copy.selected)
    np.testing.assert_allclose(copy.coefficients, original.coefficients, rtol=1e-4, atol=1e-6)


def test_rows_float32_tells_apart_keep_their_own_streams():
    X = _data()
    explainer = LocalSurrogate(_model, task="regression", max_features=2, n_samples=300, n_holdout=50,
                               random_state=0).fit(X)
    row = X.iloc[[0]].copy()
    near = row.copy()
    near["rate"] = np.nextafter(np.float32(row["rate"].iloc[0]), np.float32(1.0)).astype(np.float64)
    huge = row.copy()
    huge["income"] = 1e39  # beyond float32's range: kept whole, with no overflow warning
    rows = pd.concat([row, near, huge, huge * 2], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        seeds = explainer._row_seeds(validate_tabular(explainer, rows, reset=False))
    assert len(set(seeds)) == 4
