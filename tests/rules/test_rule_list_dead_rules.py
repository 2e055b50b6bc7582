"""Bayesian rule lists keep no rule that decides no training row (a "dead" rule)."""

import numpy as np
import pandas as pd
import pytest

from glassbox.rules import BayesianRuleListClassifier
from glassbox.rules._brl_sampler import ListPosterior
from glassbox.rules._rule_model import list_class_counts

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")


def _one_threshold_problem(n=400, seed=0):
    """The truth is one threshold (age > 50), so every rule below a first "age < t" rule that
    nests inside it (age < 28 under age < 52) decides nothing: lists padded that way hold much
    posterior mass, since such a rule costs only prior."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"age": rng.integers(18, 80, n).astype(float)})
    y = ((X.age > 50).to_numpy() ^ (rng.random(n) < 0.2)).astype(int)
    return X, y


@pytest.mark.parametrize("point_estimate", ["brl-point", "map"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kept_list_has_no_rule_deciding_no_training_row(point_estimate, seed):
    # BRL-point used to keep [age < 52, age < 28] (support 202, 0, 198) on every seed: lists padded
    # with rules nested in an earlier one cost only prior, and the length constraint of the polish
    # filled the list with one.
    X, y = _one_threshold_problem()
    clf = BayesianRuleListClassifier(n_iter=5000, random_state=seed, point_estimate=point_estimate).fit(X, y)
    assert np.all(clf.rule_support_[:-1] > 0), clf.explain_global()
    assert [str(c) for rule in clf.rules_ for c in rule] in (["age < 52"], ["age >= 52"])
    # the log-posterior is that of the list kept (recomputed after the dead rules were dropped)
    assert np.isfinite(clf.log_posterior_)


def _posterior(seed=0, weights=None):
    rng = np.random.RandomState(seed)
    n, n_candidates = 90, 8
    masks = rng.rand(n_candidates, n) < 0.4
    masks[3] = masks[0] & masks[1]  # nests inside candidate 0: dead below it
    from glassbox.rules.mining import bitset_from_mask

    y = rng.randint(0, 2, n)
    post = ListPosterior(bitset_from_mask(masks), np.ones(n_candidates, dtype=int), y, weights, 2, np.ones(2),
                         3.0, 1.0, 6)
    return post, masks, y


def test_dead_rules_are_those_deciding_no_weight_and_dropping_them_changes_only_the_prior():
    weights = np.random.RandomState(3).choice([0.0, 1.0, 2.5], 90)
    for sample_weight in (None, weights):
        post, masks, y = _posterior(weights=sample_weight)
        rule_list = [0, 3, 2, 1, 5]
        counts = list_class_counts(post.coverage[rule_list], len(y), y, sample_weight, 2)
        np.testing.assert_array_equal(post.live_rules(rule_list), counts[:-1].sum(axis=1) > 0)
        assert not post.live_rules(rule_list)[1]  # candidate 3 nests inside candidate 0
        kept, lp = post.without_dead_rules(rule_list, post.log_posterior(rule_list))
        assert kept == [c for c, live in zip(rule_list, counts[:-1].sum(axis=1) > 0) if live]
        assert lp == pytest.approx(post.log_posterior(kept), abs=1e-12)
        # every remaining rule (and the default) decides the same training weight of each class
        live_counts = list_class_counts(post.coverage[kept], len(y), y, sample_weight, 2)
        np.testing.assert_allclose(live_counts, counts[np.append(post.live_rules(rule_list), True)])
        # a list without dead rules comes back as given, with the log-posterior passed in
        assert post.without_dead_rules(kept, -1.5) == (kept, -1.5)


def test_a_rule_deciding_only_zero_weight_rows_is_dead():
    post, masks, y = _posterior()
    only = np.flatnonzero(masks[2] & ~masks[0])
    weights = np.ones(90)
    weights[only] = 0.0
    weighted, _, _ = _posterior(weights=weights)
    assert post.live_rules([0, 2]).tolist() == [True, True]
    assert weighted.live_rules([0, 2]).tolist() == [True, False]
