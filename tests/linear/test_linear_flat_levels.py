"""Every level of a categorical beside an intercept: the lasso's level coefficients are its optimum, not a drift."""

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize_scalar

import glassbox.linear._base as linear_base
from glassbox.linear import SparseLinearClassifier, SparseLinearRegressor, sparse_linear_path
from glassbox.linear._solver import _lowest_penalty_step


def _zones(seed=0, n=6000):
    """Six equally common zones with effects -3..3: every level is nonzero at the optimum but one."""
    rng = np.random.default_rng(seed)
    level = rng.integers(0, 6, n)
    zone = np.array(list("ABCDEF"), dtype=object)[level]
    X = pd.DataFrame({"zone": pd.Categorical(zone), "x": rng.normal(size=n)})
    signal = np.array([-3, -2, -1, 1, 2, 3.0])[level] + X.x.to_numpy()
    return X, signal + rng.normal(size=n), signal


def _zone_terms(model):
    return [i for i, term in enumerate(model.terms_) if term.feature == "zone"]


def _without_flat_groups(monkeypatch):
    monkeypatch.setattr(linear_base, "flat_level_groups", lambda *args: ())


@pytest.mark.parametrize("make", [
    lambda alpha: SparseLinearRegressor(alpha),
    lambda alpha: SparseLinearClassifier(alpha / 10),
    lambda alpha: SparseLinearRegressor(alpha / 10, loss="poisson"),
], ids=["squared", "logistic", "poisson"])
@pytest.mark.parametrize("alpha", [0.1, 0.01])
def test_level_coefficients_at_the_default_tol_are_the_optimum(make, alpha):
    # Adding t * scale to every zone's standardized coefficient changes no prediction; only the penalty
    # decides where the levels sit.  Coordinate descent drifted along that line: at tol=1e-6 the zones were
    # 0.39 (alpha 0.1) and 1.06 (0.01) off the optimum, which puts one zone at exactly 0.
    X, y, signal = _zones()
    if "Classifier" in type(make(alpha)).__name__:
        y = (signal > 0).astype(int)
    elif make(alpha).loss == "poisson":
        y = np.random.default_rng(1).poisson(np.exp(signal / 3))
    default = make(alpha).fit(X, y)
    tight = make(alpha).set_params(tol=1e-12, max_iter=1_000_000).fit(X, y)
    zones = _zone_terms(default)
    np.testing.assert_allclose(default.coef_.ravel()[zones], tight.coef_.ravel()[zones], atol=5e-3)
    assert np.count_nonzero(default.coef_.ravel()[zones] == 0.0) >= 1


def test_settling_converges_where_the_drift_did_not(monkeypatch):
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    X, y, _ = _zones()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        settled = SparseLinearRegressor(0.01).fit(X, y)
    tight = SparseLinearRegressor(0.01, tol=1e-12, max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(settled.predict(X), tight.predict(X), atol=1e-4)
    _without_flat_groups(monkeypatch)
    with pytest.warns(ConvergenceWarning, match="did not reach"):
        drifted = SparseLinearRegressor(0.01).fit(X, y)
    assert np.abs(settled.coef_ - drifted.coef_).max() > 0.5  # the drift along the zones' flat direction
    np.testing.assert_allclose(settled.predict(X), drifted.predict(X), atol=1e-3)  # which no prediction sees


def test_path_solutions_are_settled_too():
    X, y, _ = _zones()
    estimator = SparseLinearRegressor()
    path = sparse_linear_path(estimator, X, y, n_alphas=8, eps=1e-3)
    for alpha, coef in zip(path.alphas[-3:], path.coefs[-3:]):
        single = SparseLinearRegressor(alpha, tol=1e-12, max_iter=1_000_000).fit(X, y)
        np.testing.assert_allclose(coef, single.coef_, atol=5e-3)


def _flat_groups(model, X, y):
    table, y_checked, weights = model._validate_fit_input(X, y, None)
    _, Y = model._target_blocks(y_checked)
    return model._make_problem(table, Y, weights).problem.flat_groups


def test_flat_directions_are_found_only_with_an_intercept():
    # without an intercept the design is not centred and the indicators sum to one, not zero: no flat line
    X, y, _ = _zones()
    assert _flat_groups(SparseLinearRegressor(0.01, fit_intercept=False), X, y) == ()
    model = SparseLinearRegressor(0.01)
    (columns, direction), = _flat_groups(model, X, y)
    assert list(columns) == _zone_terms(model.fit(X, y))
    np.testing.assert_allclose(direction, model.term_stds_[columns])  # the standardized design's scales
    (_, direction), = _flat_groups(SparseLinearRegressor(0.01, standardize=False), X, y)
    np.testing.assert_array_equal(direction, 1.0)


@pytest.mark.parametrize("seed", range(40))
def test_lowest_penalty_step_matches_a_scalar_minimiser(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(2, 9))
    beta = rng.normal(size=m) * (rng.random(m) < 0.8)
    direction = rng.uniform(0.2, 2.0, size=m)
    l1, ridge = rng.uniform(0.01, 1.0), (0.0 if seed % 2 else rng.uniform(0.01, 1.0))
    signs = np.zeros(m, dtype=np.int8)
    if seed % 5 == 0:  # sign-constrained levels keep their sign: the current point stays feasible
        signs = np.where(beta > 0, 1, np.where(beta < 0, -1, 0)).astype(np.int8) * (rng.random(m) < 0.5)

    def penalty(t):
        moved = beta + t * direction
        return l1 * np.abs(moved).sum() + 0.5 * ridge * (moved @ moved)

    lower = np.max(-beta[signs > 0] / direction[signs > 0], initial=-50.0)
    upper = np.min(-beta[signs < 0] / direction[signs < 0], initial=50.0)
    step = _lowest_penalty_step(beta, direction, l1, ridge, signs)
    assert lower - 1e-12 <= step <= upper + 1e-12
    best = minimize_scalar(penalty, bounds=(lower, upper), method="bounded", options={"xatol": 1e-12})
    assert penalty(step) <= best.fun + 1e-10
    assert penalty(step) <= penalty(0.0) + 1e-15


def test_unpenalized_fit_holds_the_lasso_limit_reference_level_at_zero():
    # At alpha=0 every point of the flat line is optimal; the sweeps left a logistic fit with all
    # four levels nonzero.  The fit now takes the lasso's limit as alpha -> 0: one level at exactly 0.
    rng = np.random.RandomState(16)
    n = 300
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n) * 100,
                      "zone": pd.Categorical(rng.choice(list("pqrs"), n))})
    eta = 0.3 + 0.5 * X["a"] + 0.002 * X["b"] + X["zone"].map({"p": 0, "q": 0.2, "r": -0.3, "s": 0.5}).astype(float)
    y = (rng.poisson(np.exp(eta)) > 1).astype(int)
    unpenalized = SparseLinearClassifier(alpha=0).fit(X, y)
    limit = SparseLinearClassifier(alpha=1e-12).fit(X, y)
    levels = unpenalized.coef_[0, 2:]
    assert np.sum(levels == 0) == 1
    np.testing.assert_allclose(unpenalized.coef_, limit.coef_, atol=1e-9)
    np.testing.assert_allclose(unpenalized.decision_function(X), limit.decision_function(X), atol=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_two_level_categorical_at_alpha_0_has_a_reference_level(seed):
    # The two indicators of a two-level feature have equal spreads, so the least sum |b_j| is flat between
    # their kinks; taking t = 0 there left both levels nonzero (one at a residue of 1e-16) in about half of
    # these data sets, and coefficient_inference refused the fit as collinear.
    rng = np.random.RandomState(seed)
    n = 400
    X = pd.DataFrame({"x": rng.normal(size=n), "zone": pd.Categorical(rng.choice(["a", "b"], n))})
    y = X["x"] + 0.5 * (X["zone"] == "b") + rng.normal(size=n)
    model = SparseLinearRegressor(alpha=0).fit(X, y)
    levels = dict(zip(model.term_names_, model.coef_))
    assert (levels["zone == a"] == 0) != (levels["zone == b"] == 0)
    assert levels["zone == b"] - levels["zone == a"] == pytest.approx(
        np.linalg.lstsq(np.column_stack([np.ones(n), X["x"], X["zone"] == "b"]), y, rcond=None)[0][2], abs=1e-6)


def test_a_flat_stretch_settles_at_its_kink_nearest_zero():
    # |b_1 + t| + |b_2 + t| is flat for t in [-0.3, 0.1]: the nearer end, t = 0.1, zeroes b_2.
    beta, direction = np.array([0.3, -0.1]), np.ones(2)
    assert _lowest_penalty_step(beta, direction, 1.0, 0.0, np.zeros(2)) == pytest.approx(0.1)
    assert _lowest_penalty_step(-beta, direction, 1.0, 0.0, np.zeros(2)) == pytest.approx(-0.1)
    # a minimiser already at a kink stays
    assert _lowest_penalty_step(np.array([0.3, 0.0]), direction, 1.0, 0.0, np.zeros(2)) == 0.0
