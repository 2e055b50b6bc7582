"""Best subset (L0): support recovery, brute force, L0 against L1 at equal size, the hard cap."""

import numpy as np
import pytest

from glassbox.linear import (
    SparseLinearClassifier,
    SparseLinearClassifierCV,
    SparseLinearRegressor,
    sparse_linear_path,
)
from glassbox.linear._reference import best_subset


def _correlated_design(seed, n=400, p=40, k=5, rho=0.6, noise=0.5):
    rng = np.random.RandomState(seed)
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.multivariate_normal(np.zeros(p), cov, size=n)
    support = np.sort(rng.choice(p, size=k, replace=False))
    beta = np.zeros(p)
    beta[support] = rng.choice([-1, 1], size=k) * rng.uniform(1, 2, size=k)
    return X, X @ beta + noise * rng.normal(size=n), support


@pytest.mark.parametrize("seed", range(4))
def test_l0_recovers_known_support(seed):
    X, y, support = _correlated_design(seed)
    model = SparseLinearRegressor(0.0, penalty="l0", max_features=len(support)).fit(X, y)
    np.testing.assert_array_equal(np.flatnonzero(model.coef_), support)


def test_l0_binary_recovers_known_support():
    X, y, support = _correlated_design(10, n=2000, noise=0.1)
    labels = (y + np.random.RandomState(0).logistic(size=len(y)) * 0.3 > 0).astype(int)
    model = SparseLinearClassifier(0.0, penalty="l0", max_features=len(support)).fit(X, labels)
    np.testing.assert_array_equal(np.flatnonzero(model.coef_[0]), support)


@pytest.mark.parametrize("seed", range(3))
def test_l0_with_swaps_matches_exhaustive_search(seed):
    X, y, _ = _correlated_design(seed + 20, n=60, p=10, k=3, rho=0.8, noise=1.5)
    model = SparseLinearRegressor(0.0, penalty="l0", max_features=3).fit(X, y)
    Z = (X - X.mean(0)) / X.std(0)
    expected = best_subset(Z, y - y.mean(), np.full(len(y), 1 / len(y)), 3)
    assert tuple(np.flatnonzero(model.coef_)) == expected


@pytest.mark.parametrize("seed", range(3))
def test_l0_beats_l1_at_equal_size(seed):
    X, y, support = _correlated_design(seed + 30, rho=0.8, noise=1.0)
    k = len(support)
    path = sparse_linear_path(SparseLinearRegressor(), X, y, n_alphas=100, eps=1e-4)
    at_k = np.flatnonzero(path.n_nonzero <= k)  # every lasso solution with at most k terms
    l1_mse = min(np.mean((y - X @ path.coefs[i] - path.intercepts[i]) ** 2) for i in at_k)
    l0 = SparseLinearRegressor(0.0, penalty="l0", max_features=k).fit(X, y)
    l0_mse = np.mean((y - l0.predict(X)) ** 2)
    assert l0.n_nonzero_ == k
    assert l0_mse < l1_mse


def test_swap_search_never_hurts():
    X, y, _ = _correlated_design(40, rho=0.9, noise=2.0)
    with_swaps = SparseLinearRegressor(0.0, penalty="l0", max_features=4).fit(X, y)
    without = SparseLinearRegressor(0.0, penalty="l0", max_features=4, local_search=False).fit(X, y)
    assert np.mean((y - with_swaps.predict(X)) ** 2) <= np.mean((y - without.predict(X)) ** 2) + 1e-12


@pytest.mark.parametrize("penalty", ["l1", "elasticnet", "l0"])
@pytest.mark.parametrize("k", [1, 3, 7])
def test_max_features_never_exceeded(penalty, k):
    X, y, _ = _correlated_design(50, p=20, k=10)
    labels = np.digitize(y, np.quantile(y, [0.3, 0.6]))
    for alpha in [0.0, 1e-4, 1e-2]:
        assert SparseLinearRegressor(alpha, penalty=penalty, max_features=k).fit(X, y).n_nonzero_ <= k
        model = SparseLinearClassifier(alpha, penalty=penalty, max_features=k).fit(X, labels)
        assert np.any(model.coef_ != 0, axis=0).sum() <= k
    path = sparse_linear_path(SparseLinearRegressor(penalty=penalty, max_features=k), X, y, n_alphas=15)
    assert path.n_nonzero.max() <= k
    cv = SparseLinearClassifierCV(penalty=penalty, max_features=k, n_alphas=5, cv=3).fit(X, labels > 0)
    assert cv.n_nonzero_ <= k


def test_l0_ridge_term_shrinks():
    X, y, support = _correlated_design(60)
    plain = SparseLinearRegressor(0.0, penalty="l0", max_features=5).fit(X, y)
    ridged = SparseLinearRegressor(0.0, penalty="l0", max_features=5, ridge_alpha=0.5).fit(X, y)
    assert np.abs(ridged.coef_).sum() < np.abs(plain.coef_).sum()


def test_l0_strength_controls_size():
    X, y, _ = _correlated_design(70)
    sizes = [SparseLinearRegressor(a, penalty="l0").fit(X, y).n_nonzero_ for a in [0.5, 0.05, 0.001]]
    assert sizes[0] <= sizes[1] <= sizes[2] and sizes[0] < sizes[2]
