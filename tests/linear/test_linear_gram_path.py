"""Squared-loss paths from working-set covariances with batched KKT checks (``_gram_path``)."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import lasso_path

from glassbox.linear import SparseLinearRegressor, SparseLinearRegressorCV, sparse_linear_path
from glassbox.linear import _gram_path, _solver
from glassbox.linear._path import run_path


def _design(seed=0, n=600, p=120, k=12):
    """Correlated columns (a shared factor) and k true terms: many columns enter late in the path."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, p)) + 0.7 * rng.normal(size=(n, 1))
    beta = np.zeros(p)
    beta[rng.choice(p, size=k, replace=False)] = rng.uniform(-2, 2, size=k)
    return X, X @ beta + rng.normal(size=n)


@pytest.fixture
def small_windows(monkeypatch):
    """Tiny start set and windows, so the path fails verification and grows its set several times."""
    monkeypatch.setattr(_gram_path, "_WINDOW", 3)
    monkeypatch.setattr(_gram_path, "_MIN_START", 1)
    grown = []
    original = _gram_path.WorkingGram.add

    def add(self, new):
        grown.append(len(new))
        original(self, new)

    monkeypatch.setattr(_gram_path.WorkingGram, "add", add)
    return grown


def _rows_path(monkeypatch, estimator, X, y, w, alphas):
    monkeypatch.setattr(_solver, "_GRAM_MAX_TERMS", 0)
    path = sparse_linear_path(estimator, X, y, w, alphas=alphas)
    monkeypatch.undo()
    return path


def test_working_gram_matches_numpy_and_grows_past_its_capacity():
    rng = np.random.RandomState(1)
    Z, w = rng.normal(size=(50, 30)), rng.uniform(0, 1, size=50)
    problem = _solver.Problem(Z=Z, Y=np.zeros((1, 50)), w=w, signs=np.zeros(30, dtype=np.int8), fit_intercept=True,
                              loss="squared")
    working = _gram_path.WorkingGram(problem, capacity=4)
    for batch in ([7, 2], [11, 0, 29, 5], [3], list(range(12, 20))):
        working.add(np.array(batch))
    S = working.columns
    assert working.G.shape[0] >= len(S) > 4
    np.testing.assert_allclose(working.G[: len(S), : len(S)], Z[:, S].T @ (w[:, None] * Z[:, S]), atol=1e-12)
    np.testing.assert_array_equal(working.ZS[:, : len(S)], Z[:, S])


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_path_matches_row_solver_with_weights_and_signs(monkeypatch, small_windows, penalty):
    X, y = _design()
    w = np.random.RandomState(2).uniform(0, 2, size=len(y))
    w[::9] = 0.0
    signs = np.where(np.arange(X.shape[1]) % 4 == 0, 1, np.where(np.arange(X.shape[1]) % 4 == 1, -1, 0))
    estimator = SparseLinearRegressor(penalty=penalty, l1_ratio=0.7, monotonic_cst=signs, tol=1e-10,
                                      max_iter=100_000)
    gram = sparse_linear_path(estimator, X, y, w, n_alphas=25, eps=1e-3)
    assert len(small_windows) >= 3  # the set grew several times: the verification loop ran
    rows = _rows_path(monkeypatch, estimator, X, y, w, gram.alphas)
    np.testing.assert_allclose(gram.coefs, rows.coefs, atol=1e-7)
    np.testing.assert_allclose(gram.intercepts, rows.intercepts, atol=1e-7)
    assert np.all(gram.coefs[:, signs > 0] >= 0) and np.all(gram.coefs[:, signs < 0] <= 0)
    assert gram.n_nonzero[-1] > 40


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_every_solution_meets_kkt_on_every_column(small_windows, fit_intercept):
    X, y = _design(seed=3)
    model = SparseLinearRegressor(standardize=False, fit_intercept=fit_intercept, tol=1e-8)
    table, y_checked, w = model._validate_fit_input(X, y, None)
    fitted = model._make_problem(table, y_checked[None, :], w)
    problem = fitted.problem
    alphas = np.geomspace(1.0, 1e-3, 20)
    states, _ = run_path(model, fitted, alphas, all_etas=True)
    tol_abs = 1e-8 * problem.tolerance_scale()
    Z = problem.standardized()
    for alpha, state in zip(alphas, states):
        eta = Z @ state.coef[0] + state.intercept[0]
        np.testing.assert_allclose(state.eta[0], eta, atol=1e-9)
        grad = -Z.T @ (w * (y - eta))
        b = state.coef[0]
        violation = np.where(b != 0, np.abs(grad + alpha * np.sign(b)), np.maximum(np.abs(grad) - alpha, 0))
        # the sweep measures violations before its own updates: the end point meets tol up to a small factor
        assert violation.max() <= 10 * tol_abs
        if fit_intercept:
            assert abs(w @ (y - eta)) <= 10 * tol_abs


def test_path_matches_sklearn_lasso_path(small_windows):
    X, y = _design(seed=4, n=500, p=60)
    Z = (X - X.mean(0)) / X.std(0)
    path = sparse_linear_path(SparseLinearRegressor(tol=1e-12, max_iter=100_000), X, y, n_alphas=20, eps=1e-3)
    _, coefs, _ = lasso_path(Z, y - y.mean(), alphas=path.alphas, tol=1e-14, max_iter=100_000)
    np.testing.assert_allclose(path.standardized_coefs, coefs.T, atol=1e-6)


@pytest.mark.parametrize("k", [1, 5])
def test_hard_cap_holds_along_the_path(small_windows, k):
    X, y = _design(seed=5)
    path = sparse_linear_path(SparseLinearRegressor(max_features=k), X, y, n_alphas=20, eps=1e-3)
    assert path.n_nonzero.max() == k


def test_gram_objective_change_equals_row_objective_difference():
    from glassbox.linear._l0_swaps import _GramTrials
    from glassbox.linear._solver import State, make_penalty, objective

    X, y = _design(seed=6, n=400, p=40)
    w = np.random.RandomState(7).uniform(0, 2, size=len(y))
    model = SparseLinearRegressor(penalty="l0")
    table, y_checked, weights = model._validate_fit_input(X, y, w)
    problem = model._make_problem(table, y_checked[None, :], weights).problem
    assert problem.uses_gram()
    penalty = make_penalty("l0", 0.05, ridge_alpha=0.3)
    rng = np.random.RandomState(8)

    def random_state(support):
        coef = np.zeros((1, problem.n_terms))
        coef[0, support] = rng.normal(size=len(support))
        intercept = np.array([rng.normal()])
        return State(coef, intercept, (problem.standardized() @ coef[0] + intercept)[None, :])

    anchor = random_state([1, 4, 9])
    scorer = _GramTrials(problem, penalty, anchor)
    for support in ([1, 4, 9], [1, 4, 30], [2, 3, 5, 7], []):
        trial = random_state(support)
        expected = objective(problem, penalty, trial) - objective(problem, penalty, anchor)
        np.testing.assert_allclose(scorer.change(trial), expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("ridge", [0.0, 0.1])
def test_l0_swap_search_agrees_in_both_modes(monkeypatch, ridge):
    X, y = _design(seed=18, n=800, p=60, k=8)
    model = SparseLinearRegressor(0.0, penalty="l0", ridge_alpha=ridge, max_features=8, tol=1e-10)
    gram = model.fit(X, y)
    gram_coef, gram_swaps = gram.coef_.copy(), gram.n_swaps_
    monkeypatch.setattr(_solver, "_GRAM_MAX_TERMS", 0)
    rows = model.fit(X, y)
    np.testing.assert_allclose(gram_coef, rows.coef_, atol=1e-7)
    assert gram_swaps == rows.n_swaps_ >= 2  # swaps were made and scored the same way


@pytest.mark.parametrize("target", ["constant", "varying"])
def test_an_empty_working_set_makes_no_blas_call(capfd, target):
    """A path whose working set gains no column (a constant target, or constant features) calls no BLAS
    routine with an empty matrix: OpenBLAS printed an illegal-parameter error for it, and a reference BLAS
    stops the process."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 2)) if target == "constant" else np.ones((20, 2))
    y = np.ones(20) if target == "constant" else rng.normal(size=20)
    path = sparse_linear_path(SparseLinearRegressor(), X, y, n_alphas=3)
    assert np.all(path.coefs == 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the constant features are warned of
        SparseLinearRegressorCV(cv=2, n_alphas=3).fit(X, y)
    captured = capfd.readouterr()
    assert "DSYRK" not in captured.out + captured.err
