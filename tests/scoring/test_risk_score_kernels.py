"""The compiled risk-score kernels agree with their NumPy references."""

import numpy as np
import pytest

from glassbox.scoring import _logistic_fast as fast
from glassbox.scoring import _reference as ref


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n, p = 300, 7
    Z = np.asfortranarray(rng.random((n, p)) < 0.4, dtype=np.uint8)
    y = np.where(rng.random(n) < 0.4, 1.0, -1.0)
    weight = rng.random(n)
    weight /= weight.sum()
    margin = y * rng.normal(0, 1, n)
    return Z, y, weight, margin


def test_logistic_loss(data):
    Z, y, weight, margin = data
    assert fast.logistic_loss(margin, weight) == pytest.approx(ref.logistic_loss(margin, weight), rel=1e-13)


def test_screen_conditions_near_exact_optimum(data):
    Z, y, weight, margin = data
    p = Z.shape[1]
    lower, upper = np.full(p, -5.0), np.full(p, 5.0)
    lower[2], upper[3] = 0.0, 0.0  # sign constraints
    allowed = np.ones(p, dtype=np.uint8)
    allowed[5] = 0
    step, decrease = np.zeros(p), np.zeros(p)
    fast.screen_conditions(Z, y, weight, margin, lower, upper, allowed, 4, step, decrease, 1)
    assert step[5] == 0 and decrease[5] == 0
    for j in range(p):
        if not allowed[j]:
            continue
        ref_step, ref_decrease = ref.best_single_move(Z, y, weight, margin, lower, upper, j)
        assert lower[j] <= step[j] <= upper[j]
        assert 0 <= decrease[j] <= ref_decrease + 1e-12
        assert decrease[j] == pytest.approx(ref_decrease, rel=1e-4, abs=1e-9)


def test_pattern_codes(data):
    Z = data[0]
    columns = np.array([4, 0, 2], dtype=np.intp)
    out = np.empty(Z.shape[0], dtype=np.int64)
    fast.pattern_codes(Z, columns, out)
    np.testing.assert_array_equal(out, ref.pattern_codes(Z, columns))


def test_fit_patterns_matches_lbfgsb(data):
    Z, y, weight, _ = data
    columns = np.array([0, 1, 3], dtype=np.intp)
    codes = ref.pattern_codes(Z, columns)
    distinct, inverse = np.unique(codes, return_inverse=True)
    pos = np.bincount(inverse, weights=weight * (y > 0))
    neg = np.bincount(inverse, weights=weight * (y < 0))
    P = np.ascontiguousarray((distinct[:, None] >> np.arange(3)) & 1, dtype=np.uint8)
    lower, upper = np.array([-5.0, 0.0, -5.0]), np.array([5.0, 5.0, 0.0])
    beta, intercept = np.zeros(3), np.zeros(1)
    loss = fast.fit_patterns(P, pos, neg, beta, intercept, lower, upper, 500, 1e-14)
    ref_beta, ref_intercept, ref_loss = ref.fit_patterns(P.astype(float), pos, neg, lower, upper)
    assert loss == pytest.approx(ref_loss, rel=1e-8)
    assert np.all(beta >= lower) and np.all(beta <= upper)
    np.testing.assert_allclose(beta, ref_beta, atol=1e-4)


def test_condition_gradient_and_margin_update(data):
    Z, y, weight, margin = data
    out = np.empty(Z.shape[1])
    fast.condition_gradient(Z, y, weight, margin, out, 2)
    np.testing.assert_allclose(out, ref.condition_gradient(Z, y, weight, margin), rtol=1e-12, atol=1e-15)
    moved = margin.copy()
    fast.add_to_margin(Z, 3, 0.7, y, moved)
    np.testing.assert_allclose(moved, margin + 0.7 * y * Z[:, 3], rtol=0, atol=1e-15)
    fast.add_to_margin(Z, -1, 0.2, y, moved)
    np.testing.assert_allclose(moved, margin + 0.7 * y * Z[:, 3] + 0.2 * y, atol=1e-15)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_enumerated_supports_bound_the_brute_force_optimum(data, k):
    from glassbox.scoring._enumeration_fast import enumerate_supports

    Z, y, weight, _ = data
    Z = Z.copy(order="F")
    Z[:, 6] = 1 - Z[:, 5]  # a complement pair: never in one support
    partner = np.array([-1, -1, -1, -1, -1, 6, 5], dtype=np.intp)
    lower = np.array([-5.0, 0.0, -5.0, -0.3, -5.0, -5.0, -5.0])
    upper = np.array([5.0, 5.0, 0.0, 0.3, 5.0, 5.0, 5.0])
    optimum, support = ref.best_support_loss(Z, y, weight, partner, lower, upper, k)
    bound, best_support, n_leaves = np.inf, None, 0
    out = np.full(k, -1, dtype=np.intp)
    for first in range(Z.shape[1]):
        value, leaves = enumerate_supports(Z, weight * (y > 0), weight * (y < 0), partner, lower, upper, -50.0, 50.0, first, k, out)
        n_leaves += leaves
        if value < bound:
            bound, best_support = value, tuple(int(j) for j in out if j >= 0)
    assert bound <= optimum + 1e-12  # a lower bound ...
    assert bound >= optimum - 1e-7  # ... and a tight one
    assert best_support == support
    assert n_leaves >= 1
