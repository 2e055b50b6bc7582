"""The posterior predictive of Bayesian rule lists: thinned draws averaged (Letham et al. 2015)."""

from itertools import permutations

import numpy as np
import pandas as pd

from glassbox.rules import BayesianRuleListClassifier
from glassbox.rules._brl_sampler import POSTERIOR_DRAWS, ListPosterior
from glassbox.rules.mining import mask_from_bitset, mine_candidate_rules


def _tiny_problem(n=40, seed=3):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"a": rng.randint(0, 4, n).astype(float), "b": rng.randint(0, 3, n).astype(float)})
    y = ((1.2 * (X["a"] >= 2) - 1.0 * (X["b"] >= 1) + 0.6 * rng.normal(size=n)) > 0).astype(int)
    return X, np.asarray(y)


def _enumerated_predictive(clf, X, y, max_rules):
    """Exact Bayesian model average over every list: weights exp(log-posterior), by brute force."""
    gen = clf.condition_generator_
    cands = mine_candidate_rules(gen, gen.transform_bitsets(X), len(X), min_support=clf.min_support,
                                 max_rule_len=clf.max_rule_len, max_candidates=clf.max_candidates)
    alpha = np.full(2, float(clf.alpha))
    post = ListPosterior(cands.coverage, cands.widths, y, None, 2, alpha, clf.list_length_prior,
                         clf.list_width_prior, max_rules)
    covers = mask_from_bitset(cands.coverage, len(X))
    lists = [lst for m in range(max_rules + 1) for lst in permutations(range(len(cands)), m)]
    log_post = np.array([post.log_posterior(list(lst)) for lst in lists])
    weights = np.exp(log_post - log_post.max())
    weights /= weights.sum()
    out = np.zeros(len(X))
    for lst, weight in zip(lists, weights):
        decider = np.full(len(X), len(lst))
        for position in reversed(range(len(lst))):
            decider[covers[lst[position]]] = position
        counts = np.array([[np.sum(y[decider == p] == k) for k in (0, 1)] for p in range(len(lst) + 1)])
        probabilities = (counts + alpha) / (counts + alpha).sum(axis=1, keepdims=True)
        out += weight * probabilities[decider, 1]
    return out, len(cands)


def test_posterior_predictive_matches_the_enumerated_model_average():
    X, y = _tiny_problem()
    clf = BayesianRuleListClassifier(
        max_thresholds=1, min_support=0.05, max_rule_len=1, max_rules=3, n_iter=100_000, n_chains=4,
        list_length_prior=2.0, random_state=0,
    ).fit(X, y)
    exact, n_candidates = _enumerated_predictive(clf, X, y, max_rules=3)
    assert n_candidates == 4
    predictive = clf.predict_proba_posterior(X)
    assert np.allclose(predictive.sum(axis=1), 1.0)
    # About 1,000 thinned draws: Monte Carlo error of a few hundredths at most.
    assert np.max(np.abs(predictive[:, 1] - exact)) < 0.03
    # ... and clearly not the kept list's own probabilities, which a wrong average could fall back to.
    assert np.max(np.abs(clf.predict_proba(X)[:, 1] - exact)) > 0.03


def test_draws_are_thinned_lists_the_sampler_can_hold():
    X, y = _tiny_problem(n=80, seed=1)
    clf = BayesianRuleListClassifier(max_rules=4, n_iter=3001, n_chains=3, random_state=0).fit(X, y)
    kept, per_chain = 3001 - 3001 // 2, -(-POSTERIOR_DRAWS // 3)
    thin = -(-kept // per_chain)
    assert clf.n_posterior_draws_ == 3 * -(-kept // thin)
    posterior = clf._posterior
    assert np.isclose(posterior.weights.sum(), 1.0)
    assert len(posterior.starts) == len(posterior.weights) + 1
    assert posterior.probabilities.shape == (len(posterior.rules) + len(posterior.weights), 2)
    for start, stop in zip(posterior.starts[:-1], posterior.starts[1:]):
        rule_list = posterior.rules[start:stop]
        assert len(rule_list) <= 4 and len(set(rule_list.tolist())) == len(rule_list)


def test_posterior_predictive_of_the_empty_list_is_predict_proba():
    X, y = _tiny_problem(n=80, seed=2)
    clf = BayesianRuleListClassifier(max_rules=0, n_iter=500, random_state=0).fit(X, y)
    assert np.array_equal(clf.predict_proba_posterior(X), clf.predict_proba(X))


def test_posterior_predictive_is_deterministic_and_weighted_like_repeated_rows():
    X, y = _tiny_problem(n=60, seed=4)
    params = dict(max_rules=3, n_iter=4000, n_chains=2, random_state=0)
    first = BayesianRuleListClassifier(**params).fit(X, y).predict_proba_posterior(X)
    again = BayesianRuleListClassifier(**params, n_jobs=2).fit(X, y).predict_proba_posterior(X)
    assert np.array_equal(first, again)
    zero = np.ones(len(X))
    zero[:5] = 0.0
    weighted = BayesianRuleListClassifier(**params).fit(X, y, sample_weight=zero)
    dropped = BayesianRuleListClassifier(**params).fit(X.iloc[5:], y[5:])
    assert np.allclose(weighted.predict_proba_posterior(X), dropped.predict_proba_posterior(X))


def test_posterior_predictive_computed_lazily_survives_pickling():
    # The draws' class probabilities are computed at the first prediction, not in fit: a copy
    # pickled before that must predict exactly as the original does after it.
    import pickle

    X, y = _tiny_problem(n=80, seed=3)
    clf = BayesianRuleListClassifier(max_rules=3, n_iter=2000, n_chains=2, random_state=0).fit(X, y)
    copy = pickle.loads(pickle.dumps(clf))
    expected = clf.predict_proba_posterior(X)
    assert np.array_equal(copy.predict_proba_posterior(X), expected)
    assert np.allclose(expected.sum(axis=1), 1.0)
