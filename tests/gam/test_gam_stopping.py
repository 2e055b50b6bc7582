"""Early stopping of the GAM stages: the tolerance is a share of the intercept-only validation loss."""

import numpy as np
from sklearn.metrics import log_loss

from glassbox import GAMClassifier
from glassbox.gam._boosting import reference_losses
from glassbox.gam._gam_fast import boost_bags, mean_loss


def _separable(n, seed):
    """Classes split by feature 0 with a margin, so the mains alone separate every row."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n, 3)
    X[:, 0] += np.sign(X[:, 0])
    return X, (X[:, 0] > 0).astype(int)


def test_pair_stage_stops_within_bounded_rounds_on_separable_data():
    # Measured against the pair stage's own (near-zero) starting loss, the tolerance
    # shrank with the mains' fit and the pairs ran 2,000-5,000 rounds here for gains
    # of a few thousandths of a nat; against the intercept-only loss they stop at once.
    X, y = _separable(300, 0)
    X_test, y_test = _separable(4000, 1)
    params = dict(outer_bags=2, random_state=0)
    model = GAMClassifier(interactions=[(0, 1)], **params).fit(X, y)
    patience, warm_up = model.early_stopping_rounds, model.smoothing_rounds
    assert model.n_rounds_["pairs"].max() <= warm_up + patience
    mains_only = GAMClassifier(interactions=0, **params).fit(X, y)
    np.testing.assert_array_equal(model.n_rounds_["mains"], mains_only.n_rounds_["mains"])
    # stopping early loses nothing against the mains, and the fit still separates the test rows
    assert log_loss(y_test, model.predict_proba(X_test)) <= log_loss(y_test, mains_only.predict_proba(X_test)) + 1e-12
    assert log_loss(y_test, model.predict_proba(X_test)) < 0.05
    assert np.mean(model.predict(X_test) == y_test) > 0.99


def test_pairs_that_help_still_boost_past_the_warm_up():
    rng = np.random.RandomState(2)
    X = rng.uniform(-1, 1, size=(3000, 3))
    logit = 3 * np.sign(X[:, 1] * X[:, 2]) + X[:, 0]
    y = (rng.rand(3000) < 1 / (1 + np.exp(-logit))).astype(int)
    model = GAMClassifier(interactions=[(1, 2)], outer_bags=2, random_state=0).fit(X, y)
    assert model.n_rounds_["pairs"].min() > model.smoothing_rounds
    assert model.term_importances_[-1] > model.term_importances_[:3].max()


def test_reference_losses_are_intercept_only_validation_losses():
    rng = np.random.RandomState(0)
    y = (rng.rand(200) < 0.3).astype(float)[:, None]
    w = rng.uniform(0.5, 2, 200)
    raw = np.full((200, 1), np.log(0.3 / 0.7))
    bags = [(np.arange(150), np.arange(150, 200)), (np.arange(200), np.array([], dtype=np.intp))]
    out = reference_losses(raw, y, w, bags, 1)
    p = 0.3
    rows = slice(150, 200)
    expected = -np.average(y[rows, 0] * np.log(p) + (1 - y[rows, 0]) * np.log(1 - p), weights=w[rows])
    np.testing.assert_allclose(out, [expected, -1.0], rtol=1e-12)


def _boost_one_feature(codes, y, valid, reference_loss, tolerance):
    n, n_bins = len(codes), 21
    train = np.setdiff1d(np.arange(n), valid)
    scores, best, used = np.zeros((1, n_bins, 1)), np.zeros((1, n_bins, 1)), np.zeros(1, dtype=np.intp)
    raw_start = np.full((1, n, 1), 0.0)
    boost_bags(np.asfortranarray(codes[:, None].astype(np.uint16)), y, np.ones(n), train[None, :].astype(np.intp),
               np.array([len(train)], dtype=np.intp), valid[None, :].astype(np.intp),
               np.array([len(valid)], dtype=np.intp), raw_start[:, : len(train)].copy(),
               raw_start[:, : len(valid)].copy(), np.zeros(1, dtype=np.intp), np.array([0, n_bins], dtype=np.intp),
               np.array([n_bins], dtype=np.intp), np.ones(1, dtype=np.intp), np.array([20], dtype=np.intp),
               np.ones(1, dtype=np.intp), np.zeros(1, dtype=np.int8), np.zeros(1, dtype=np.int8),
               scores, best, used, 1, 0.1, 2000, 10, tolerance, 1.0, 3, 0.0, 1, 0, 0, reference_loss)
    return best[0, :, 0], int(used[0])


def test_kernel_tolerance_scales_with_the_reference_loss():
    rng = np.random.RandomState(4)
    codes = rng.randint(20, size=1000)
    y = (codes >= 10).astype(float)[:, None]  # separable by the bins
    valid = np.arange(800, 1000)
    start = mean_loss(np.zeros((200, 1)), y[valid], np.ones(200), 1)
    # no reference means the stage's starting loss (here the same number): identical fits
    np.testing.assert_array_equal(_boost_one_feature(codes, y, valid, None, 1e-3)[0],
                                  _boost_one_feature(codes, y, valid, np.array([start]), 1e-3)[0])
    # a hundred times smaller reference, as a later stage's start would be, means many more rounds
    _, rounds_at_start = _boost_one_feature(codes, y, valid, np.array([start]), 1e-3)
    _, rounds_small = _boost_one_feature(codes, y, valid, np.array([start / 100]), 1e-3)
    assert rounds_small > 1.5 * rounds_at_start
