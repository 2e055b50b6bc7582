"""Bags that keep no boosting cycle: a constant model says so, and its flat terms are exactly 0."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

from glassbox import GAMRegressor
from glassbox.gam._boosting import _weighted_means


def _small_book(n=3000, seed=0):
    """A small claims book (256 claims): region S carries a +0.4 log effect that most bags' validation misses."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"age": rng.uniform(18, 80, n), "region": pd.Categorical(rng.choice(list("NSEW"), n))})
    exposure = rng.uniform(0.1, 1, n)
    claims = rng.poisson(np.exp(-2 + 0.4 * (X.region == "S")) * exposure)
    return X, claims / exposure, exposure


def _fit(outer_bags, **params):
    X, y, exposure = _small_book()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = GAMRegressor(loss="poisson", interactions=0, outer_bags=outer_bags, random_state=0,
                             **params).fit(X, y, sample_weight=exposure)
    return model, X, [w for w in caught if issubclass(w.category, ConvergenceWarning)]


def test_a_model_that_kept_no_cycle_says_it_is_its_intercept():
    model, X, caught = _fit(outer_bags=1)
    assert model.n_rounds_["mains"].tolist() == [0]
    assert np.unique(model.predict(X)).size == 1
    assert len(caught) == 1, [str(w.message) for w in caught]
    message = str(caught[0].message)
    assert "no bag kept a boosting cycle" in message and "the model is its intercept" in message
    assert "validation_fraction=None and max_rounds" in message
    assert caught[0].filename == __file__


def test_flat_log_link_terms_are_exactly_zero():
    model, _, _ = _fit(outer_bags=1)
    shapes = model.explain_global()
    for term in shapes.terms:
        assert np.all(term.scores == 0) and term.importance == 0  # not 2.22e-16 from centring exp(0)
    assert "e-16" not in str(shapes)
    rng = np.random.default_rng(1)
    mass = rng.uniform(0.1, 3, 257)
    for log_link in (False, True):
        for value in (0.0, -0.37):
            flat = np.full((2, 257, 1), value)
            assert np.all(_weighted_means(flat, mass, log_link) == value)


def test_most_bags_without_a_cycle_are_named():
    model, _, caught = _fit(outer_bags=8)
    empty = np.flatnonzero(model.n_rounds_["mains"] == 0)
    assert 2 * len(empty) > 8
    assert len(caught) == 1
    message = str(caught[0].message)
    assert f"bags {', '.join(map(str, empty))} of 8 kept no boosting cycle of the main effects" in message
    assert f"about {8 - len(empty)}/8" in message


def test_boosting_without_early_stopping_recovers_the_effect_without_a_warning():
    model, _, caught = _fit(outer_bags=2, validation_fraction=None, max_rounds=50)
    assert caught == []
    region = model.explain_global().terms[model.term_names_.index("region")]
    levels = list(region.bins[0].categories)
    assert region.scores[levels.index("S")] - region.scores[levels.index("E")] == pytest.approx(0.42, abs=0.05)


@pytest.mark.parametrize("outer_bags", [1, 2])
def test_flat_mains_beside_fitted_pairs_say_the_model_is_its_pairs(outer_bags):
    # a target that is one interaction: no bag's mains keep a cycle, the pair does; there are no other bags'
    # mains to average with, so the warning says the mains are flat (it said "about 0/1 of those bags' average")
    rng = np.random.default_rng(3)  # a draw on which neither bag's mains keep a cycle
    X = rng.normal(size=(400, 2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = GAMRegressor(interactions=[(0, 1)], outer_bags=outer_bags, random_state=0).fit(X, X[:, 0] * X[:, 1])
    assert not model.n_rounds_["mains"].any() and model.n_rounds_["pairs"].all()
    messages = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert len(messages) == 1, messages
    assert "every main effect is flat, and the model is its intercept and its interaction pairs" in messages[0]
    assert ("the bag kept" if outer_bags == 1 else "every bag (all 2) kept") in messages[0]
    assert "/1 of" not in messages[0] and "other bags" not in messages[0]
