"""Parity with scikit-learn at the same alpha, and with the NumPy reference solver."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression

from glassbox.linear import SparseLinearClassifier, SparseLinearRegressor
from glassbox.linear._cd_objective_fast import ElasticNetPenalty, L0Penalty, L1Penalty
from glassbox.linear._reference import coordinate_minimizer, proximal_gradient


def _regression(seed=0, n=200, p=15):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 5, size=p) + rng.normal(size=p)
    y = X[:, 0] - 0.5 * X[:, 3] + 0.2 * X[:, 7] + rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("alpha", [0.003, 0.05, 0.5])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_parity(alpha, fit_intercept):
    X, y = _regression()
    ours = SparseLinearRegressor(alpha, standardize=False, fit_intercept=fit_intercept, tol=1e-10).fit(X, y)
    ref = Lasso(alpha=alpha, fit_intercept=fit_intercept, tol=1e-14, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert abs(ours.intercept_ - ref.intercept_) < 1e-6


@pytest.mark.parametrize("l1_ratio", [0.2, 0.7])
def test_elastic_net_parity_with_weights(l1_ratio):
    X, y = _regression(seed=1)
    w = np.random.RandomState(2).uniform(0, 3, size=len(y))
    ours = SparseLinearRegressor(0.05, penalty="elasticnet", l1_ratio=l1_ratio, standardize=False, tol=1e-10)
    ours.fit(X, y, sample_weight=w)
    ref = ElasticNet(alpha=0.05, l1_ratio=l1_ratio, tol=1e-14, max_iter=100_000).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)


@pytest.mark.parametrize("C", [0.02, 0.3, 3.0])
def test_logistic_l1_parity(C):
    # sklearn minimizes C * sum(logloss) + |b|_1; dividing by C * n gives ours with alpha = 1 / (C n)
    X, y = _regression(seed=3)
    X = X / X.std(axis=0)
    labels = (y + np.random.RandomState(4).logistic(size=len(y)) > np.median(y)).astype(int)
    ours = SparseLinearClassifier(1.0 / (C * len(y)), standardize=False, tol=1e-10).fit(X, labels)
    # older scikit-learn reads l1_ratio only with penalty="elasticnet"; newer ones deprecate penalty
    lasso = {"l1_ratio": 1.0} if LogisticRegression().penalty == "deprecated" else {"penalty": "l1"}
    ref = LogisticRegression(**lasso, C=C, solver="saga", tol=1e-13, max_iter=200_000).fit(X, labels)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-6)


def test_multinomial_matches_reference_solver():
    X, y = _regression(seed=5, n=150, p=8)
    Z = (X - X.mean(0)) / X.std(0)
    labels = np.digitize(y, np.quantile(y, [0.33, 0.66]))
    model = SparseLinearClassifier(0.02, tol=1e-11).fit(X, labels)
    Y = (labels[None, :] == np.arange(3)[:, None]).astype(float)
    coef, _ = proximal_gradient(Z, Y, np.full(len(y), 1 / len(y)), "multinomial", "l1", 0.02, n_iter=200_000)
    np.testing.assert_allclose(model.coef_ * X.std(0), coef, atol=1e-6)


def test_sign_constrained_solution_matches_reference_solver():
    X, y = _regression(seed=6, n=120, p=8)
    signs = np.array([-1, 1, 1, -1, 0, 1, -1, 0])
    model = SparseLinearRegressor(0.01, monotonic_cst=signs, tol=1e-11).fit(X, y)
    Z = (X - X.mean(0)) / X.std(0)
    coef, _ = proximal_gradient(Z, (y - y.mean())[None], np.full(len(y), 1 / len(y)), "squared", "l1", 0.01,
                                signs=signs, n_iter=200_000)
    np.testing.assert_allclose(model.coef_ * X.std(0), coef[0], atol=1e-6)


@pytest.mark.parametrize("sign", [-1, 0, 1])
def test_compiled_coordinate_updates_match_reference(sign):
    rng = np.random.RandomState(7)
    for _ in range(200):
        z, L, alpha, ratio, ridge = rng.normal() * 3, rng.uniform(0.1, 3), rng.uniform(0, 2), rng.uniform(0.01, 1), rng.uniform(0, 1)
        cases = [
            (L1Penalty(alpha), ("l1", alpha, 1.0, 0.0)),
            (ElasticNetPenalty(alpha, ratio), ("elasticnet", alpha, ratio, 0.0)),
            (L0Penalty(alpha, ridge), ("l0", alpha, 1.0, ridge)),
        ]
        for compiled, (name, a, r, l2) in cases:
            expected = coordinate_minimizer(name, z, L, sign, a, r, l2)
            assert compiled.py_minimize(z, L, sign) == pytest.approx(expected, abs=1e-14)
            # the returned value is a fixed point: its violation is zero
            b = compiled.py_minimize(z, L, sign)
            assert compiled.py_violation(b, L * (b - z), L, sign) == pytest.approx(0.0, abs=1e-12)
