"""Review 26: the softmax passes' blocked single-precision gradients."""

import numpy as np

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
