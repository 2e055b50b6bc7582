"""The compiled GAM kernels against their slow NumPy references."""

import numpy as np
import pytest

from glassbox.gam._gam_fast import (
    bin_statistics,
    boost_bags,
    gradients,
    logistic_gradients_single,
    lookup_contributions,
    pair_gains,
    pava,
)
from glassbox.gam._reference import (
    gradients_reference,
    histogram_reference,
    lookup_reference,
    pair_gain_reference,
    pava_reference,
)


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("seed", range(5))
def test_pava_matches_reference_and_is_exactly_monotone(direction, seed):
    rng = np.random.RandomState(seed)
    values = rng.randn(60).cumsum() * 0.3 + rng.randn(60)
    weights = rng.choice([0.0, 0.5, 1.0, 3.0], size=60)
    fast = values.copy()
    pava(fast, weights, direction)
    np.testing.assert_allclose(fast, pava_reference(values, weights, direction), rtol=1e-10, atol=1e-12)
    assert np.all(direction * np.diff(fast) >= 0)
    # the weighted mean is preserved by pooling
    np.testing.assert_allclose(weights @ fast, weights @ values, rtol=1e-9, atol=1e-9)


def test_pava_leaves_monotone_input_unchanged():
    values = np.linspace(-1, 1, 30)
    out = values.copy()
    pava(out, np.ones(30), 1)
    np.testing.assert_array_equal(out, values)


@pytest.mark.parametrize("loss, K", [(0, 1), (1, 1), (2, 4)])
def test_gradients_match_reference(loss, K):
    rng = np.random.RandomState(0)
    raw = rng.randn(500, K) * 3
    raw[:6, 0] = [0.0, -0.0, 40.0, -40.0, 900.0, -900.0]  # exact zero, saturation, the clamp of exp
    y = rng.rand(500, K) if loss == 0 else np.eye(K)[rng.randint(K, size=500)] if K > 1 else (rng.rand(500, 1) > 0.5) * 1.0
    w = rng.rand(500)
    g, h = np.empty_like(raw), np.empty_like(raw)
    gradients(raw, np.ascontiguousarray(y, dtype=float), w, g, h, loss, 2)
    with np.errstate(over="ignore"):  # the reference's exp(900) overflows to a probability of 0, as it should
        g_ref, h_ref = gradients_reference(raw, y, w, loss)
    # the logistic kernel's own exp (a polynomial, so its loop vectorises) is good to ~1e-11
    rtol = 1e-10 if loss == 1 else 1e-12
    np.testing.assert_allclose(g, g_ref, rtol=rtol, atol=1e-15)
    np.testing.assert_allclose(h, h_ref, rtol=rtol, atol=1e-15)


def test_boosting_pass_logistic_gradients_in_single_precision_match_reference():
    rng = np.random.RandomState(1)
    raw = np.concatenate([rng.randn(3000) * 3, rng.randn(600) * 30, [0.0, -0.0, 86.9, -86.9, 87.1, -87.1, 900.0, -900.0]])
    y = (rng.rand(len(raw)) > 0.5) * 1.0
    w = rng.rand(len(raw))
    g, h = np.empty_like(raw), np.empty_like(raw)
    logistic_gradients_single(raw, y, w, g, h)
    # reference in double precision, in the form that keeps the small probability q = min(p, 1 - p)
    m = np.exp(-np.abs(raw))
    q = m / (1 + m)
    p = np.where(raw >= 0, 1 - q, q)
    np.testing.assert_allclose(g, w * (p - y), rtol=0, atol=2e-7)  # single-precision sigmoid: ~6e-8 absolute
    np.testing.assert_allclose(h, w * np.maximum(q / (1 + m), 1e-16), rtol=1e-5)  # relative, even where tiny
    assert np.all(g * (p - y) >= 0) and np.all(h > 0)  # never a step the wrong way


def test_lookup_and_bin_statistics_match_reference():
    rng = np.random.RandomState(1)
    sizes = np.array([5, 9, 3])
    offset = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
    codes = np.asfortranarray(np.column_stack([rng.randint(s, size=200) for s in sizes]).astype(np.uint16))
    scores = rng.randn(offset[-1], 2)
    out = np.empty((200, 3, 2))
    lookup_contributions(codes, scores, offset, out, 2)
    np.testing.assert_array_equal(out, lookup_reference(codes, scores, offset))
    w = rng.rand(200)
    mass = np.zeros(offset[-1])
    bin_statistics(codes, w, offset, mass, 2)
    for t, s in enumerate(sizes):
        np.testing.assert_allclose(mass[offset[t] : offset[t + 1]], np.bincount(codes[:, t], weights=w, minlength=s))


@pytest.mark.parametrize("K", [1, 3])
def test_pair_gain_matches_brute_force(K):
    rng = np.random.RandomState(2)
    n, rows, cols = 300, 5, 4
    c1, c2 = rng.randint(rows, size=n), rng.randint(cols, size=n)
    g, h = rng.randn(n, K) + (c1[:, None] > 2) * (c2[:, None] < 2), rng.rand(n, K) + 0.1
    w = (rng.rand(n) > 0.1) * 1.0
    codes = np.asfortranarray(np.column_stack([c1, c2]).astype(np.uint16))
    gains = np.zeros(1)
    pair_gains(codes, g, h, w, np.array([rows, cols], dtype=np.intp), np.array([0], dtype=np.intp),
               np.array([1], dtype=np.intp), 5.0, gains, 2)
    np.testing.assert_allclose(gains[0], pair_gain_reference(c1, c2, g, h, w, rows, cols, 5), rtol=1e-9)


def _one_term(codes, n_bins, kind, y, lr, rounds, cst=0, max_leaves=3, min_leaf=1.0, smoothing_rounds=0, seed=0):
    n = len(y)
    args = dict(
        term_codes=np.asfortranarray(codes[:, None].astype(np.uint16)),
        y=np.ascontiguousarray(y[:, None], dtype=float),
        w=np.ones(n),
        train_rows=np.arange(n, dtype=np.intp)[None, :],
        n_train=np.array([n], dtype=np.intp),
        valid_rows=np.zeros((1, 1), dtype=np.intp),
        n_valid=np.array([0], dtype=np.intp),
        raw_train=np.zeros((1, n, 1)),
        raw_valid=np.zeros((1, 1, 1)),
    )
    meta = [np.array([v], dtype=np.intp) for v in (kind, 0)] + [np.array([0, n_bins], dtype=np.intp)]
    scores, best, used = np.zeros((1, n_bins, 1)), np.zeros((1, n_bins, 1)), np.zeros(1, dtype=np.intp)
    one = np.array([1], dtype=np.intp)
    boost_bags(*args.values(), meta[0], meta[2], np.array([n_bins], dtype=np.intp), one,
               np.array([n_bins - 1], dtype=np.intp), one, np.array([cst], dtype=np.int8), np.zeros(1, dtype=np.int8),
               scores, best, used, 0, lr, rounds, 10, 0.0, min_leaf, max_leaves, 0.0, 1, smoothing_rounds, seed)
    return best[0, :, 0], args["raw_train"][0, :, 0]


def test_per_bin_step_is_newton_step_on_the_histogram():
    rng = np.random.RandomState(3)
    codes = rng.randint(6, size=400)
    y = rng.randn(400) + codes
    scores, raw = _one_term(codes, 7, 1, y, 0.3, 1)
    g, h = histogram_reference(codes, -y[:, None], np.ones((400, 1)), 7)
    expected = np.where(h[:, 0] > 0, -0.3 * g[:, 0] / (h[:, 0] + 1e-12), 0.0)
    np.testing.assert_allclose(scores, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(raw, scores[codes], rtol=1e-12)  # raw scores follow the shape exactly



def test_logistic_cyclic_passes_match_a_numpy_reference():
    """Two categorical terms boosted in turn with the logistic loss (1,003 training rows: the
    passes' blocks of four rows end in a partial block) equal the same Newton steps in NumPy,
    and the validation rows' raw scores follow the shapes exactly."""
    rng = np.random.RandomState(8)
    n, n_valid, bins, lr, rounds = 1003, 101, (5, 9), 0.4, 3
    codes = np.asfortranarray(np.column_stack([rng.randint(b, size=n + n_valid) for b in bins]).astype(np.uint16))
    y = (rng.rand(n + n_valid) < 0.2 + 0.1 * codes[:, 0]).astype(float)[:, None]
    w = rng.uniform(0.5, 2.0, size=n + n_valid)
    offset = np.array([0, bins[0], sum(bins)], dtype=np.intp)
    scores, best, used = np.zeros((1, sum(bins), 1)), np.zeros((1, sum(bins), 1)), np.zeros(1, dtype=np.intp)
    raw_valid = np.zeros((1, n_valid, 1))
    boost_bags(codes, y, w, np.arange(n, dtype=np.intp)[None, :], np.array([n], dtype=np.intp),
               np.arange(n, n + n_valid, dtype=np.intp)[None, :], np.array([n_valid], dtype=np.intp),
               np.zeros((1, n, 1)), raw_valid, np.ones(2, dtype=np.intp), offset,
               np.array(bins, dtype=np.intp), np.ones(2, dtype=np.intp), np.array(bins, dtype=np.intp),
               np.ones(2, dtype=np.intp), np.zeros(2, dtype=np.int8), np.zeros(2, dtype=np.int8),
               scores, best, used, 1, lr, rounds, 100, -1.0, 1.0, 3, 0.0, 1)
    expected, raw = np.zeros(sum(bins)), np.zeros(n)
    for _ in range(rounds):
        for t in range(2):
            p = 1.0 / (1.0 + np.exp(-raw))
            g, h = histogram_reference(codes[:n, t], (w[:n] * (p - y[:n, 0]))[:, None],
                                       (w[:n] * p * (1 - p))[:, None], bins[t])
            step = -lr * g[:, 0] / (h[:, 0] + 1e-12)
            expected[offset[t] : offset[t + 1]] += step
            raw += step[codes[:n, t]]
    assert used[0] == rounds
    np.testing.assert_allclose(scores[0, :, 0], expected, rtol=1e-5, atol=1e-9)  # sigmoid in single precision
    np.testing.assert_array_equal(best, scores)
    looked_up = scores[0, codes[n:, 0], 0] + scores[0, bins[0] + codes[n:, 1], 0]
    np.testing.assert_allclose(raw_valid[0, :, 0], looked_up, rtol=1e-12, atol=1e-15)

def _step_of_cut(codes, y, cut, lr):
    """Newton steps of the two leaves ``codes < cut`` and ``codes >= cut`` (squared loss, start 0)."""
    left, right = y[codes < cut], y[codes >= cut]
    return np.where(np.arange(codes.max() + 1) < cut, lr * left.mean(), lr * right.mean())


def test_smoothing_rounds_cut_at_random_valid_points_with_newton_leaves():
    rng = np.random.RandomState(6)
    codes = np.repeat(np.arange(10), 50)
    y = 3.0 * (codes >= 2) + 0.1 * rng.randn(500)  # the greedy cut is at bin 2
    greedy, _ = _one_term(codes, 11, 0, y, 0.5, 1, max_leaves=2)
    np.testing.assert_allclose(greedy[:10], _step_of_cut(codes, y, 2, 0.5), rtol=1e-12)
    cuts = set()
    for seed in range(12):
        scores, raw = _one_term(codes, 11, 0, y, 0.5, 1, max_leaves=2, min_leaf=100.0, smoothing_rounds=1, seed=seed)
        cut = int(np.flatnonzero(np.diff(scores[:10]))[0]) + 1
        assert 2 <= cut <= 8  # both leaves keep min_leaf = 100 rows (two bins)
        np.testing.assert_allclose(scores[:10], _step_of_cut(codes, y, cut, 0.5), rtol=1e-12)
        np.testing.assert_allclose(raw, scores[codes], rtol=1e-12)
        cuts.add(cut)
    assert len(cuts) >= 4  # the cut is drawn, not chosen by gain
    again, _ = _one_term(codes, 11, 0, y, 0.5, 1, max_leaves=2, min_leaf=100.0, smoothing_rounds=1, seed=11)
    np.testing.assert_array_equal(again, scores)  # the seed fixes the draw
    # after the smoothing rounds the cuts are greedy again: the step at bin 2 shows up
    smoothed, _ = _one_term(codes, 11, 0, y, 0.5, 30, max_leaves=2, smoothing_rounds=3, seed=0)
    assert smoothed[2] - smoothed[1] > 2.5


def test_constrained_term_stays_monotone_every_round():
    rng = np.random.RandomState(4)
    codes = rng.randint(30, size=2000)
    y = np.sin(codes / 4.0) + rng.randn(2000) * 0.3  # not monotone
    for rounds in (1, 2, 7, 40):
        scores, raw = _one_term(codes, 31, 0, y, 0.5, rounds, cst=1)
        assert np.all(np.diff(scores[:30]) >= 0)
        np.testing.assert_allclose(raw, scores[codes], rtol=1e-10, atol=1e-12)


def test_row_chunks_make_the_fit_independent_of_the_thread_count():
    rng = np.random.RandomState(5)
    n = 120_000  # enough rows for the threaded row chunks of a single bag
    codes = np.asfortranarray(rng.randint(20, size=(n, 2)).astype(np.uint16))
    y = ((codes[:, 0] > 9) ^ (rng.rand(n) < 0.3)).astype(float)[:, None]
    results = []
    for threads in (1, 2):
        scores, best, used = np.zeros((1, 42, 1)), np.zeros((1, 42, 1)), np.zeros(1, dtype=np.intp)
        boost_bags(codes, y, np.ones(n), np.arange(n, dtype=np.intp)[None, :], np.array([n], dtype=np.intp),
                   np.zeros((1, 1), dtype=np.intp), np.array([0], dtype=np.intp), np.zeros((1, n, 1)),
                   np.zeros((1, 1, 1)), np.zeros(2, dtype=np.intp), np.array([0, 21, 42], dtype=np.intp),
                   np.array([21, 21], dtype=np.intp), np.ones(2, dtype=np.intp), np.array([20, 20], dtype=np.intp),
                   np.ones(2, dtype=np.intp), np.zeros(2, dtype=np.int8), np.zeros(2, dtype=np.int8),
                   scores, best, used, 1, 0.1, 5, 10, 0.0, 1.0, 3, 0.0, threads)
        results.append(best.copy())
    np.testing.assert_array_equal(results[0], results[1])
    assert np.abs(results[0]).max() > 0


def _fit_with_kernel(monkeypatch, kernel, estimator, X, y):
    from glassbox.gam import _boosting

    monkeypatch.setattr(_boosting, "boost_bags", kernel.boost_bags)
    model = estimator.fit(X, y)
    return model._flat_scores_.copy(), {stage: rounds.copy() for stage, rounds in model.n_rounds_.items()}


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression", "poisson", "tweedie"])
def test_avx2_build_fits_the_same_bits_as_the_sse2_build(monkeypatch, task):
    from glassbox import GAMClassifier, GAMRegressor
    from glassbox.gam import _boosting, _gam_fast

    if not _gam_fast.cpu_has_avx2():
        pytest.skip("this CPU has no AVX2")
    from glassbox.gam import _gam_avx2_fast

    assert _boosting.boost_bags is _gam_avx2_fast.boost_bags  # the fits use the AVX2 build here
    rng = np.random.RandomState(7)
    n = 3000
    X = rng.randn(n, 4)
    X[:, 3] = rng.randint(5, size=n)  # a per-bin (categorical) term
    X[rng.rand(n) < 0.05, 0] = np.nan  # a missing bin
    logit = np.sin(2 * X[:, 0]) + X[:, 1] + 0.5 * X[:, 1] * X[:, 2]
    logit = np.nan_to_num(logit)
    params = dict(interactions=2, outer_bags=2, max_rounds=300, categorical_features=[3], random_state=0)
    if task == "regression":
        estimator, y = GAMRegressor(monotonic_cst=[0, 1, 0, 0], **params), logit + rng.randn(n) * 0.3
    elif task in ("poisson", "tweedie"):  # the log-link kernels' exponential in plain arithmetic
        counts = rng.poisson(np.exp(0.5 * logit)) * (rng.gamma(2.0, 1.0, size=n) if task == "tweedie" else 1.0)
        estimator, y = GAMRegressor(loss=task, monotonic_cst=[0, 1, 0, 0], **params), counts
    elif task == "binary":
        estimator, y = GAMClassifier(monotonic_cst=[0, 1, 0, 0], **params), (logit + rng.logistic(size=n) > 0)
    else:
        estimator, y = GAMClassifier(**params), np.digitize(logit + rng.logistic(size=n), [-1.0, 1.0])
    sse2 = _fit_with_kernel(monkeypatch, _gam_fast, estimator, X, y)
    avx2 = _fit_with_kernel(monkeypatch, _gam_avx2_fast, estimator, X, y)
    np.testing.assert_array_equal(avx2[0], sse2[0])
    assert avx2[1].keys() == sse2[1].keys()
    for stage in sse2[1]:
        np.testing.assert_array_equal(avx2[1][stage], sse2[1][stage])
    assert np.abs(sse2[0]).max() > 0.1
