"""The softmax passes' blocked single-precision gradients, and the warning when the
early-stopping split of a tiny table holds too few rows."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

from glassbox import GAMClassifier, GAMRegressor
from glassbox.gam._gam_fast import softmax_gradients_single
from glassbox.gam._reference import gradients_reference


def test_softmax_gradients_in_single_precision_match_reference():
    """The blocked softmax kernel of the boosting passes against the double-precision reference:
    ~1e-7 relative on the hessian even for confident rows, the top class's gradient keeps its small
    value, ties and the -87 clip of the exponential are handled, and blocks end mid-way (1,003 rows)."""
    rng = np.random.RandomState(3)
    for K in (2, 3, 5, 17):
        raw = np.concatenate([rng.randn(700, K) * 3, rng.randn(300, K) * 30, np.zeros((3, K))])
        raw[-2, : K // 2] = 40.0  # tied top classes
        raw[-1, 0] = 900.0  # far past the clip
        y = np.eye(K)[rng.randint(K, size=len(raw))]
        w = rng.rand(len(raw))
        g, h = np.empty_like(raw), np.empty_like(raw)
        softmax_gradients_single(raw, y, w, g, h)
        with np.errstate(over="ignore", under="ignore"):
            g_ref, _ = gradients_reference(raw, y, w, 2)
        # the hessian p (1 - p) in the form without cancellation: 1 - p_k is the others' share
        e = np.exp(raw - raw.max(axis=1, keepdims=True))
        s = e.sum(axis=1, keepdims=True)
        h_ref = w[:, None] * np.maximum(e / s * (e @ (1 - np.eye(K))) / s, 1e-16)
        np.testing.assert_allclose(g, g_ref, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(h, h_ref, rtol=1e-5)  # the exponent rounded to single precision: ~1e-5 at -87
        # the top class of a confident row: 1 - p is below 1e-8, and its gradient keeps that small value
        rest = s[:, 0] - 1.0
        confident = (rest > 1e-30) & (rest < 1e-8)
        assert confident.any()
        rows, top = np.flatnonzero(confident), raw.argmax(axis=1)[confident]
        q = (e @ (1 - np.eye(K)))[rows, top] / s[rows, 0]
        np.testing.assert_allclose(g[rows, top] / w[rows], np.where(y[rows, top] == 1, -q, 1 - q), rtol=1e-5)
        assert np.all(g * g_ref >= 0) and np.all(h > 0)  # never a step the wrong way


def _small_validation_warnings(model, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    return [str(w.message) for w in caught
            if issubclass(w.category, ConvergenceWarning) and "early stopping cannot be trusted" in str(w.message)]


def _table(n, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.standard_normal(n), "noise": rng.standard_normal(n)})
    return X, (X.a + rng.logistic(size=n) > 0).astype(int)


def test_tiny_table_warns_that_early_stopping_rests_on_a_few_rows():
    """15 rows: each bag's validation part holds 3 rows, 1 of the smaller class; the default GAM's
    held-out log-loss was worse than the base rate's on 16 of 20 such tables, silently."""
    X, y = _table(15)
    (message,) = _small_validation_warnings(GAMClassifier(random_state=0), X, y)
    assert "as few as 3 rows, 1 of them outside the most common class" in message
    assert "validation_fraction=None" in message and "max_rounds" in message and "SparseLinearClassifier" in message


def test_few_rows_of_the_smaller_class_warn_even_when_the_part_is_larger():
    X, y = _table(100, seed=1)
    y = pd.Series(np.where(np.arange(100) < 6, 1, 0))  # 6 positives: 1 per validation part
    (message,) = _small_validation_warnings(GAMClassifier(random_state=0, interactions=0, outer_bags=2), X, y)
    assert "as few as 24 rows, 1 of them outside the most common class" in message


def test_regressor_on_a_tiny_table_warns_and_points_at_the_linear_regressor():
    X, y = _table(30)
    (message,) = _small_validation_warnings(GAMRegressor(random_state=0, interactions=0), X, X.a + y)
    assert "as few as 4 rows" in message and "SparseLinearRegressor" in message


@pytest.mark.parametrize("params", [dict(), dict(validation_fraction=None, max_rounds=50)])
def test_enough_validation_rows_or_no_early_stopping_do_not_warn(params):
    X, y = _table(60)  # 14-15 validation rows, 5-7 of the smaller class: no longer worse than the base rate
    assert _small_validation_warnings(GAMClassifier(random_state=0, interactions=0, **params), X, y) == []
    X, y = _table(15)
    if params:
        assert _small_validation_warnings(GAMClassifier(random_state=0, interactions=0, **params), X, y) == []
