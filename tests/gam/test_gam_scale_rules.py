"""Rules that keep large GAM fits affordable: outer_bags="auto" and the pair stage's row cap."""

import numpy as np
import pytest

import glassbox.gam._pairs as pairs_module
from glassbox import GAMClassifier
from glassbox.gam._base import auto_outer_bags
from glassbox.gam._pairs import pair_stage_bags


@pytest.mark.parametrize(
    "n_samples, expected",
    [(1, 8), (30_000, 8), (125_000, 8), (125_001, 7), (250_000, 4), (499_999, 2), (500_000, 2),
     (999_999, 1), (1_000_000, 1), (10_000_000, 1)],
)
def test_auto_outer_bags_keeps_bags_times_rows_near_a_million(n_samples, expected):
    assert auto_outer_bags(n_samples) == expected


def _pair_data(n, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 3))
    logit = 2 * np.sign(X[:, 1] * X[:, 2]) + X[:, 0]
    return X, (rng.rand(n) < 1 / (1 + np.exp(-logit))).astype(int)


def test_auto_outer_bags_fits_eight_bags_on_small_data_as_before():
    X, y = _pair_data(600)
    auto = GAMClassifier(interactions=1, max_rounds=60, random_state=0).fit(X, y)
    eight = GAMClassifier(interactions=1, max_rounds=60, outer_bags=8, random_state=0).fit(X, y)
    assert len(auto.n_rounds_["mains"]) == len(auto.n_rounds_["pairs"]) == 8
    np.testing.assert_array_equal(auto.decision_function(X), eight.decision_function(X))


def test_pair_stage_bags_leave_bags_within_the_cap_untouched():
    bags = [(np.arange(0, 90), np.arange(90, 100)), (np.arange(10, 100), np.arange(0, 10))]
    out = pair_stage_bags(bags, seed=3, max_rows=90)
    for (train, valid), (train_out, valid_out) in zip(bags, out):
        assert train_out is train and valid_out is valid


def test_pair_stage_bags_subsample_a_sorted_share_of_both_parts():
    rng = np.random.RandomState(0)
    order = rng.permutation(1000)
    bags = [(np.sort(order[:900]), np.sort(order[900:])), (np.sort(order[100:]), np.sort(order[:100]))]
    out = pair_stage_bags(bags, seed=5, max_rows=300)
    for (train, valid), (train_out, valid_out) in zip(bags, out):
        assert len(train_out) == 300 and len(valid_out) == round(100 * 300 / 900)
        for part, sub in ((train, train_out), (valid, valid_out)):
            assert np.all(np.diff(sub) > 0)  # sorted, no repeats
            assert np.isin(sub, part).all()
    assert not np.array_equal(out[0][0], out[1][0])  # each bag draws its own rows
    again = pair_stage_bags(bags, seed=5, max_rows=300)
    for a, b in zip(out, again):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])


def test_capped_pair_stage_still_learns_the_pair_and_keeps_the_model_exact(monkeypatch):
    X, y = _pair_data(4000)
    X_test, y_test = _pair_data(4000, seed=1)
    params = dict(interactions=[(1, 2)], outer_bags=2, random_state=0)
    full = GAMClassifier(**params).fit(X, y)
    monkeypatch.setattr(pairs_module, "PAIR_STAGE_MAX_ROWS", 1500)
    capped = GAMClassifier(**params).fit(X, y)
    # the cap applies to the pairs only: the mains are the same, the pair differs
    np.testing.assert_array_equal(capped.n_rounds_["mains"], full.n_rounds_["mains"])
    assert not np.array_equal(capped.decision_function(X), full.decision_function(X))
    # the pair is learnt from the share, and densities still count every training row
    assert capped.term_importances_[-1] > capped.term_importances_[:3].max()
    pair_term = capped.explain_global().terms[-1]
    assert pair_term.density.sum() == pytest.approx(len(X))
    accuracy = np.mean(capped.predict(X_test) == y_test)
    assert accuracy > np.mean(full.predict(X_test) == y_test) - 0.01
    explanation = capped.explain_global()
    np.testing.assert_allclose(explanation.decision_function(X_test), capped.decision_function(X_test), atol=1e-12)
