"""Covariance (Gram) mode of the squared loss: same solutions as scikit-learn and as the row-space solver."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, enet_path

from glassbox.linear import SparseLinearRegressor, sparse_linear_path
from glassbox.linear import _solver


def _regression(seed=0, n=300, p=20):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 5, size=p) + rng.normal(size=p) + rng.normal(size=(n, 1))
    y = X[:, 0] - 0.5 * X[:, 3] + 0.2 * X[:, 7] + rng.normal(size=n)
    return X, y


@pytest.fixture(params=["gram", "rows"])
def mode(request, monkeypatch):
    """Run a test with covariance mode on (the default for n >= 2p) or forced off."""
    if request.param == "rows":
        monkeypatch.setattr(_solver, "_GRAM_MAX_TERMS", 0)
    return request.param


def _uses_gram(model, X, y, w=None):
    table, y_checked, weights = model._validate_fit_input(X, y, w)
    _, Y = model._target_blocks(y_checked)
    return model._make_problem(table, Y, weights).problem.uses_gram()


@pytest.mark.parametrize("alpha", [0.002, 0.05, 0.4])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_parity_in_both_modes(mode, alpha, fit_intercept):
    X, y = _regression()
    model = SparseLinearRegressor(alpha, standardize=False, fit_intercept=fit_intercept, tol=1e-10)
    assert _uses_gram(model, X, y) == (mode == "gram")
    model.fit(X, y)
    ref = Lasso(alpha=alpha, fit_intercept=fit_intercept, tol=1e-14, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-6)
    assert abs(model.intercept_ - ref.intercept_) < 1e-6
    np.testing.assert_allclose(model.predict(X), ref.predict(X), atol=1e-5)


@pytest.mark.parametrize("l1_ratio", [0.1, 0.6])
def test_weighted_elastic_net_parity_in_both_modes(mode, l1_ratio):
    X, y = _regression(seed=1)
    w = np.random.RandomState(2).uniform(0, 3, size=len(y))
    w[::7] = 0.0  # zero weights drop rows exactly
    ours = SparseLinearRegressor(0.03, penalty="elasticnet", l1_ratio=l1_ratio, standardize=False, tol=1e-10)
    ours.fit(X, y, sample_weight=w)
    ref = ElasticNet(alpha=0.03, l1_ratio=l1_ratio, tol=1e-14, max_iter=100_000).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert abs(ours.intercept_ - ref.intercept_) < 1e-6


def test_path_parity_with_sklearn_enet_path(mode):
    # standardized inside glassbox; sklearn gets the same weighted-standardized design
    X, y = _regression(seed=3, n=400, p=30)
    estimator = SparseLinearRegressor(penalty="elasticnet", l1_ratio=0.8, tol=1e-10, max_iter=10_000)
    path = sparse_linear_path(estimator, X, y, n_alphas=15, eps=1e-3)
    Z = (X - X.mean(0)) / X.std(0)
    _, coefs, _ = enet_path(Z, y - y.mean(), l1_ratio=0.8, alphas=path.alphas, tol=1e-14, max_iter=100_000)
    np.testing.assert_allclose(path.standardized_coefs, coefs.T, atol=1e-6)
    assert path.n_nonzero[0] == 0 and path.n_nonzero[-1] > 10


def test_modes_agree_on_sign_constrained_weighted_standardized_fits(monkeypatch):
    X, y = _regression(seed=4)
    w = np.random.RandomState(5).exponential(size=len(y))
    signs = np.where(np.arange(X.shape[1]) % 3 == 0, 1, np.where(np.arange(X.shape[1]) % 3 == 1, -1, 0))
    model = SparseLinearRegressor(0.01, monotonic_cst=signs, tol=1e-11)
    gram = model.fit(X, y, sample_weight=w)
    gram_coef, gram_intercept = gram.coef_.copy(), gram.intercept_
    assert np.all(gram_coef[signs > 0] >= 0) and np.all(gram_coef[signs < 0] <= 0)
    monkeypatch.setattr(_solver, "_GRAM_MAX_TERMS", 0)
    rows = model.fit(X, y, sample_weight=w)
    np.testing.assert_allclose(gram_coef, rows.coef_, atol=1e-7)
    assert abs(gram_intercept - rows.intercept_) < 1e-7


def test_gram_columns_are_computed_only_for_working_set_terms():
    X, y = _regression(seed=6, n=500, p=60)
    model = SparseLinearRegressor(0.3, standardize=False, tol=1e-10)
    table, y_checked, w = model._validate_fit_input(X, y, None)
    fitted = model._make_problem(table, y_checked[None, :].astype(float), w)
    state, _, _ = model._solve_at(fitted, 0.3)
    gram = fitted.problem.gram()
    assert gram.known.sum() < X.shape[1]  # lazily: most columns never needed
    known = np.flatnonzero(gram.known)
    Z, w = fitted.problem.standardized(), fitted.problem.w
    np.testing.assert_allclose(gram.G[:, known], Z.T @ (w[:, None] * Z[:, known]), atol=1e-12)
    # eta kept in step with the coefficients although the solver never touched the rows
    np.testing.assert_allclose(state.eta[0], Z @ state.coef[0] + state.intercept[0], atol=1e-10)


def _nested_levels(seed=1, n=4000):
    """Categoricals whose indicators are collinear with the intercept and with each other (season = month // 3)."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    month, hour = rng.integers(1, 13, n), rng.integers(0, 24, n)
    X = pd.DataFrame({"month": pd.Categorical(month), "season": pd.Categorical((month - 1) // 3),
                      "hour": pd.Categorical(hour), "temp": rng.normal(size=n)})
    y = 3 * np.sin(hour / 24 * 2 * np.pi) + 0.5 * ((month - 1) // 3) + 0.3 * month % 5 + X.temp + rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("alpha", [0.03, 0.01])
def test_gram_mode_converges_on_collinear_one_hot_levels(alpha, monkeypatch):
    # Every level of a categorical beside an intercept (and season nested in month) leaves flat directions
    # along which plain sweeps crawl: without the Anderson extrapolation of gram_cd the default
    # max_iter=1000 ran out here (ConvergenceWarning); the rows' solver agrees on the fit.
    X, y = _nested_levels()
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    model = SparseLinearRegressor(alpha)
    assert _uses_gram(model, X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        gram = model.fit(X, y)
    gram_prediction, gram_objective = gram.predict(X), _lasso_objective(gram, X, y, alpha)
    monkeypatch.setattr(_solver, "_GRAM_MAX_TERMS", 0)
    rows = SparseLinearRegressor(alpha, tol=1e-10, max_iter=100_000).fit(X, y)
    assert gram_objective <= _lasso_objective(rows, X, y, alpha) * (1 + 1e-7)
    np.testing.assert_allclose(gram_prediction, rows.predict(X), atol=2e-3)


def _lasso_objective(model, X, y, alpha):
    """Half mean squared error plus alpha times the L1 norm of the standardized coefficients."""
    residual = y - model.predict(X)
    return 0.5 * np.mean(residual**2) + alpha * np.abs(model.coef_ * model.term_stds_).sum()
