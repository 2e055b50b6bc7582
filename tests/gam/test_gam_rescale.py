"""mains_rescaling: per-term multipliers refitted on each bag's validation rows (glassbox/gam/_rescale.py)."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox import GAMClassifier, GAMRegressor
from glassbox.gam._boosting import LOSS_LOGISTIC, LOSS_SQUARED
from glassbox.gam._rescale import fit_multipliers

FAST = dict(interactions=0, outer_bags=2, max_rounds=300, random_state=0)


def _terms(n=600, T=4, seed=0):
    rng = np.random.RandomState(seed)
    return rng.randn(n, T), 0.3 * rng.randn(n), rng.uniform(0.5, 2.0, n), rng


def test_squared_loss_multipliers_solve_the_penalised_normal_equations():
    C, base, w, rng = _terms()
    y = base + 0.2 + C @ np.array([1.5, 0.5, 1.0, 2.0]) + 0.1 * rng.randn(len(base))
    strength = 3.0
    theta = fit_multipliers(C, base, y, w, LOSS_SQUARED, strength)
    Z = np.hstack([np.ones((len(y), 1)), C])
    gram = (Z * w[:, None]).T @ Z / w.sum()
    penalty = np.diag(np.concatenate([[0.0], strength * np.diag(gram)[1:]]))
    anchor = np.array([0.0, 1.0, 1.0, 1.0, 1.0])
    expected = np.linalg.solve(gram + penalty, Z.T @ (w * (y - base)) / w.sum() + penalty @ anchor)
    np.testing.assert_allclose(theta, expected, rtol=0, atol=1e-6)
    # the penalty pulls towards 1: every multiplier lies between 1 and its least-squares value
    free = fit_multipliers(C, base, y, w, LOSS_SQUARED, 0.0)
    assert np.all((theta[1:] - 1) * (free[1:] - theta[1:]) >= 0)


def test_unpenalised_logistic_multipliers_equal_the_maximum_likelihood_fit():
    C, _, w, rng = _terms(n=2000, T=3)
    y = (0.4 + C @ np.array([1.2, 0.6, 0.9]) + rng.logistic(size=len(w)) > 0).astype(float)
    theta = fit_multipliers(C, np.zeros(len(y)), y, w, LOSS_LOGISTIC, 0.0)
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(C, y, sample_weight=w)
    optimum = np.r_[reference.intercept_, reference.coef_[0]]
    # stopped when the Newton decrement is below 1e-9: the loss is that close to the optimum's
    np.testing.assert_allclose(theta, optimum, atol=1e-4)

    def loss(t):
        raw = t[0] + C @ t[1:]
        return np.sum(w * (np.logaddexp(0, raw) - y * raw)) / w.sum()

    assert loss(theta) - loss(optimum) < 1e-9


def test_multipliers_stay_non_negative():
    C, base, w, rng = _terms(T=2)
    y = base - 2.0 * C[:, 0] + C[:, 1] + 0.1 * rng.randn(len(w))  # term 0 points the wrong way
    theta = fit_multipliers(C, base, y, w, LOSS_SQUARED, 0.0)
    assert theta[1] == 0.0 and theta[2] > 0.5


def _classification(n=3000, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(n, 3))
    logit = 1.5 * np.tanh(2 * X[:, 0]) + 0.5 * X[:, 1] ** 2 - 0.3 * X[:, 2]
    return X, (logit + rng.logistic(size=n) > 0).astype(int)


def test_rescaled_classifier_is_additive_monotone_and_records_its_multipliers():
    X, y = _classification()
    model = GAMClassifier(mains_rescaling=10.0, monotonic_cst=[1, 0, -1], **FAST).fit(X, y)
    plain = GAMClassifier(monotonic_cst=[1, 0, -1], **FAST).fit(X, y)
    assert model.mains_multipliers_.shape == (2, 3) and np.all(model.mains_multipliers_ >= 0)
    assert not np.allclose(model.mains_multipliers_, 1.0)
    np.testing.assert_array_equal(plain.mains_multipliers_, np.ones((2, 3)))
    np.testing.assert_allclose(model.explain_global().decision_function(X), model.decision_function(X),
                               rtol=0, atol=1e-12)
    grid = np.column_stack([np.linspace(-2.5, 2.5, 2001), np.zeros(2001), np.linspace(-2.5, 2.5, 2001)])
    contributions = model.explain_local(grid).contributions
    assert np.all(np.diff(contributions[:, 0]) >= 0) and np.all(np.diff(contributions[:, 2]) <= 0)


def test_a_very_strong_penalty_only_refits_the_constant_and_multiclass_is_left_as_boosted():
    X, y = _classification()
    plain = GAMClassifier(**FAST).fit(X, y)
    held = GAMClassifier(mains_rescaling=1e12, **FAST).fit(X, y)
    np.testing.assert_allclose(held.mains_multipliers_, 1.0, atol=1e-9)
    shift = held.decision_function(X) - plain.decision_function(X)  # the unpenalised constant of each bag
    assert np.ptp(shift) < 1e-6 and abs(shift[0]) > 1e-4
    y3 = np.digitize(X[:, 0] + 0.5 * np.random.RandomState(1).randn(len(y)), [-0.5, 0.5])
    multi = GAMClassifier(mains_rescaling=10.0, **FAST).fit(X, y3)
    np.testing.assert_array_equal(multi.mains_multipliers_, 1.0)
    np.testing.assert_array_equal(multi.decision_function(X), GAMClassifier(**FAST).fit(X, y3).decision_function(X))


def test_rescaled_regressor_stays_exact_and_rejects_a_negative_strength():
    rng = np.random.RandomState(0)
    X = rng.uniform(-2, 2, size=(2000, 2))
    y = X[:, 0] ** 2 + np.sin(X[:, 1]) + 0.3 * rng.randn(2000)
    model = GAMRegressor(mains_rescaling=10.0, **FAST).fit(X, y)
    np.testing.assert_allclose(model.explain_global().decision_function(X), model.predict(X), atol=1e-12)
    assert model.score(X, y) > 0.9
    with pytest.raises(ValueError, match="mains_rescaling"):
        GAMRegressor(mains_rescaling=-1.0).fit(X, y)


@pytest.mark.parametrize("loss", [LOSS_SQUARED, LOSS_LOGISTIC])
def test_a_multiplier_held_at_zero_leaves_the_others_at_the_bounded_optimum(loss):
    # the bounded problem's optimum, found by a general bounded solver on the same objective:
    # a multiplier stuck at zero must not stall the others short of it
    from scipy.optimize import minimize

    C, base, w, rng = _terms(n=1500, T=4, seed=3)
    truth = base + 0.3 - 1.5 * C[:, 0] + C[:, 1] + 0.5 * C[:, 2] + 2.0 * C[:, 3]  # term 0 points the wrong way
    y = truth + 0.2 * rng.randn(len(w)) if loss == LOSS_SQUARED else (truth + rng.logistic(size=len(w)) > 0) * 1.0
    strength = 1.0
    theta = fit_multipliers(C, base, y, w, loss, strength)
    Z = np.hstack([np.ones((len(y), 1)), C])
    raw0 = base + C.sum(axis=1)
    p0 = 1 / (1 + np.exp(-raw0))
    h0 = np.ones_like(raw0) if loss == LOSS_SQUARED else p0 * (1 - p0)
    penalty = np.concatenate([[0.0], strength * (Z[:, 1:] ** 2 * (w * h0)[:, None]).sum(axis=0) / w.sum()])
    anchor = np.array([0.0, 1, 1, 1, 1])

    def objective(t):
        raw = base + Z @ t
        rows = 0.5 * (raw - y) ** 2 if loss == LOSS_SQUARED else np.logaddexp(0, raw) - y * raw
        return np.sum(w * rows) / w.sum() + 0.5 * np.sum(penalty * (t - anchor) ** 2)

    bounded = minimize(objective, anchor, method="L-BFGS-B", bounds=[(None, None)] + [(0, None)] * 4,
                       options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})
    assert theta[1] == 0.0 and bounded.x[1] < 1e-6
    assert objective(theta) <= bounded.fun + 1e-9
    np.testing.assert_allclose(theta, bounded.x, atol=2e-4)
