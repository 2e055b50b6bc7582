"""Covariance mode on the raw design: one-pass statistics and products mapped by offsets and scales."""

import numpy as np
import pytest
from sklearn.linear_model import Lasso

from glassbox.linear import SparseLinearRegressor
from glassbox.linear import _cd_fast
from glassbox.linear._design import build_design, fit_statistics, standardize


def _regression(seed=0, n=400, p=25, offset=0.0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 3, size=p) + rng.normal(size=(n, 1)) + offset
    y = X[:, 0] - 0.5 * X[:, 3] + 0.2 * X[:, 7] + rng.normal(size=n)
    return X, y


def _problem(model, X, y, w=None):
    table, y_checked, weights = model._validate_fit_input(X, y, w)
    _, Y = model._target_blocks(y_checked)
    return model._make_problem(table, Y, weights)


def test_column_statistics_match_numpy_with_zero_weights():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 7)) * 4 + 50.0
    X[:, 2] = 3.0
    X[5, 2] = -1e3  # only on a row of zero weight: the column is constant where it counts
    w = rng.uniform(0, 1, size=300)
    w[5] = w[::7] = 0.0
    w /= w.sum()
    y = rng.normal(size=300)
    out = np.zeros((5, 7))
    out[3], out[4] = np.inf, -np.inf
    shift = X[1:3].mean(axis=0)
    _cd_fast.column_statistics(X, w, shift, w * y, out)
    kept = X[w > 0]
    np.testing.assert_allclose(out[0], w @ (X - shift), atol=1e-12)
    np.testing.assert_allclose(out[1], w @ (X - shift) ** 2, rtol=1e-12)
    np.testing.assert_allclose(out[2], (w * y) @ (X - shift), atol=1e-12)
    np.testing.assert_array_equal(out[3], kept.min(axis=0))
    np.testing.assert_array_equal(out[4], kept.max(axis=0))

    from glassbox.utils.tabular import validate_tabular

    model = SparseLinearRegressor()
    table = validate_tabular(model, X, reset=True, categorical_features=None, allow_missing=False)
    design = build_design(table, w)
    target = fit_statistics(design, X, w, w * y)
    means = w @ X
    np.testing.assert_allclose(design.means, means, rtol=1e-13)
    expected_stds = np.sqrt(w @ (X - means) ** 2)
    assert design.constant.tolist() == [False, False, True] + [False] * 4
    np.testing.assert_allclose(design.stds[~design.constant], expected_stds[~design.constant], rtol=1e-11)
    assert design.stds[2] == 0.0
    np.testing.assert_allclose(target, (w * y) @ (X - means), atol=1e-10)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardize_terms", [True, False])
def test_raw_design_products_equal_the_standardized_copy(fit_intercept, standardize_terms):
    X, y = _regression(offset=30.0)
    X[:, 5] = 2.0  # a constant term reads as a zero column
    w = np.random.RandomState(1).uniform(0, 2, size=len(y))
    model = SparseLinearRegressor(fit_intercept=fit_intercept, standardize=standardize_terms)
    with pytest.warns(UserWarning, match="constant"):
        fitted = _problem(model, X, y, w)
    problem = fitted.problem
    assert problem.offsets is not None and problem.Z is not None and problem.uses_gram()
    Z, _, _ = standardize(fitted.design, X, center=fit_intercept, scale=standardize_terms)
    np.testing.assert_allclose(problem.standardized(), Z, atol=1e-12)
    np.testing.assert_array_equal(problem.standardized()[:, 5], 0.0)
    M = np.random.RandomState(2).normal(size=(len(y), 3))
    np.testing.assert_allclose(problem.correlate(M), Z.T @ M, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(problem.correlate(M[:, 0]), Z.T @ M[:, 0], rtol=1e-10, atol=1e-10)
    weights = w / w.sum()
    np.testing.assert_allclose(problem.gram().q, Z.T @ (weights * y), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("offset, raw", [(500.0, True), (1e6, False)])
def test_large_means_match_sklearn_lasso(offset, raw):
    """Far-off means: raw products while they are accurate, a centred copy beyond (same answer)."""
    X, y = _regression(seed=3, offset=offset)
    model = SparseLinearRegressor(0.05, standardize=False, tol=1e-10)
    assert (_problem(model, X, y).problem.offsets is not None) == raw
    model.fit(X, y)
    ref = Lasso(alpha=0.05, tol=1e-14, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-6)
    np.testing.assert_allclose(model.intercept_, ref.intercept_, atol=1e-6 * max(1.0, offset))
