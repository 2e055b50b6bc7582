"""Sparse columns whose mean is large against their spread (timestamps, years beside TF-IDF terms).

The sparse kernels fold a column's mean into every product instead of
centring it; for a column stored in every row the solver centres the stored
values instead, and a column it cannot centre is refused, never fitted to NaN.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

from glassbox.linear import SparseLinearClassifier, SparseLinearRegressor


def _text_and_timestamp(n=600, seed=0, spread=60.0):
    """Sparse TF-IDF-like columns stacked with a stored timestamp (mean 1.7e9, spread of a minute)."""
    rng = np.random.default_rng(seed)
    text = sp.random(n, 12, density=0.1, format="csr", random_state=seed, data_rvs=lambda k: rng.random(k))
    seconds = rng.normal(size=n)
    X = sp.hstack([text, sp.csr_matrix(1.7e9 + spread * seconds[:, None])], format="csr")
    y = 2.0 * seconds + text @ np.linspace(-1.0, 1.0, 12) + 0.1 * rng.normal(size=n)
    return X, y, rng


@pytest.mark.parametrize("kind", ["regression", "binary"])
def test_a_stored_column_with_a_large_mean_fits_as_dense(kind):
    X, y, rng = _text_and_timestamp()
    weights = rng.integers(0, 3, X.shape[0]).astype(float)
    if kind == "regression":
        make = lambda: SparseLinearRegressor(alpha=1e-3, tol=1e-10, max_iter=300)  # noqa: E731
    else:
        y = (y > 0).astype(int)
        make = lambda: SparseLinearClassifier(alpha=1e-3, tol=1e-10, max_iter=300)  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning either
        sparse = make().fit(X, y, sample_weight=weights)
    dense = make().fit(X.toarray(), y, sample_weight=weights)
    assert np.all(np.isfinite(sparse.coef_)) and np.all(np.isfinite(sparse.intercept_))
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-7, atol=1e-9)
    score = "predict" if kind == "regression" else "decision_function"
    assert_allclose(getattr(sparse, score)(X), getattr(dense, score)(X.toarray()), rtol=1e-7, atol=1e-7)


def test_implicit_zeros_of_zero_weight_rows_do_not_stop_centring():
    X, y, rng = _text_and_timestamp()
    X = X.tolil()
    X[:5, -1] = 0.0  # the timestamp missing (stored as an implicit zero) in five rows ...
    X = X.tocsr()
    X.eliminate_zeros()
    weights = np.ones(X.shape[0])
    weights[:5] = 0.0  # ... that weigh nothing
    sparse = SparseLinearRegressor(alpha=1e-3, tol=1e-10, max_iter=300).fit(X, y, sample_weight=weights)
    dense = SparseLinearRegressor(alpha=1e-3, tol=1e-10, max_iter=300).fit(X[5:].toarray(), y[5:])
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-7, atol=1e-9)
    assert_allclose(sparse.intercept_, dense.intercept_, rtol=1e-9)


def test_a_column_the_solver_cannot_centre_is_refused_with_its_name():
    X, y, rng = _text_and_timestamp()
    X = X.tolil()
    X[0, -1] = 0.0  # one implicit zero in a row of positive (tiny) weight: mean / std ~ 1e5
    X = X.tocsr()
    X.eliminate_zeros()
    weights = np.ones(X.shape[0])
    weights[0] = 1e-19
    with pytest.raises(ValueError, match=r"x12.*mean more than 10000 times.*dense array"):
        SparseLinearRegressor(alpha=1e-3).fit(X, y, sample_weight=weights)
    # without an intercept nothing is centred, so nothing is refused
    model = SparseLinearRegressor(alpha=1e-3, fit_intercept=False).fit(X, y, sample_weight=weights)
    assert np.all(np.isfinite(model.coef_))
