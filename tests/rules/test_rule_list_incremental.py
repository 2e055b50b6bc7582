"""Bayesian rule lists: the sampler's incremental log-posterior against a full evaluation.

The compiled sampler updates a list's log-posterior from the first position a
move changes; a swap of positions i < j also reuses the stored terms below j
(the rules above j + 1 are the same set, so they decide the same rows).  Every
list the chains keep must score what a fresh evaluation (itself checked
against the NumPy reference in ``test_rule_list_posterior.py``) gives.
"""

import numpy as np
import pandas as pd
import pytest

from glassbox.rules._brl_sampler import ListPosterior
from glassbox.utils import ConditionGenerator
from glassbox.rules.mining import mine_candidate_rules

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")


def _posterior(n_classes, weighted, seed=0, n=700):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(rng.normal(size=(n, 4)), columns=list("abcd"))
    logits = X["a"] - 0.8 * X["b"] * (X["c"] > 0) + 0.5 * rng.normal(size=n)
    y = np.digitize(logits, [-0.4, 0.5]) if n_classes == 3 else (logits > 0).astype(int)
    weights = rng.uniform(0.2, 2.0, size=n) if weighted else None
    generator = ConditionGenerator(max_thresholds=4).fit(X)
    bits = generator.transform_bitsets(X)
    candidates = mine_candidate_rules(generator, bits, n, sample_weight=weights, min_support=0.05, max_rule_len=2)
    post = ListPosterior(
        candidates.coverage, candidates.widths, y, weights, n_classes, np.ones(n_classes), 6.0, 1.0, 12,
    )
    return post, candidates, y, weights


@pytest.mark.parametrize("n_classes, weighted", [(2, False), (2, True), (3, False), (3, True)])
def test_sampled_lists_score_what_a_full_evaluation_gives(n_classes, weighted):
    post, _, _, _ = _posterior(n_classes, weighted)
    chains = post.sample(4, 6000, np.random.RandomState(1), 2)
    assert chains.n_accept.sum() > 200  # many moves (swaps among them) were applied incrementally
    for rule_list, lp in zip(chains.best_lists, chains.best_log_posteriors):
        assert len(rule_list) >= 3
        assert lp == pytest.approx(post.log_posterior(rule_list), rel=1e-12, abs=1e-9)
    # the kept draws too (lists reached through every kind of move)
    for draw in chains.tracker.draws()[::50]:
        assert np.isfinite(post.log_posterior(draw))


@pytest.mark.parametrize("seed", [0, 1])
def test_polish_scores_what_a_full_evaluation_gives(seed):
    post, _, _, _ = _posterior(2, False, seed=seed)
    start = post.sample(2, 500, np.random.RandomState(seed), 1).map_list()[0]
    polished, lp = post.polish(start, max_steps=20)
    assert lp == pytest.approx(post.log_posterior(polished), rel=1e-12, abs=1e-9)
    assert lp >= post.log_posterior(start) - 1e-9


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("shaped", [False, True])
def test_polish_from_row_flows_matches_the_direct_scan(n_classes, shaped):
    # With unit weights the add / replace neighbours are scored from the rows' flows between the
    # list's levels; weights of 1.0 take the direct scan (every neighbour evaluated from its
    # bitsets).  Both must climb through the same lists to the same result.
    flows, _, _, _ = _posterior(n_classes, False, seed=3)
    direct, _, _, _ = _posterior(n_classes, False, seed=3)
    direct = ListPosterior(
        direct.coverage, direct.widths, direct.y[: 700], np.ones(700), n_classes, np.ones(n_classes), 6.0, 1.0, 12,
    )
    assert flows.uniform and not direct.uniform
    chains = flows.sample(4, 300, np.random.RandomState(5), 1)
    shape = dict(zip(("lengths", "widths"), chains.brl_point_shape())) if shaped else {}
    for start in chains.best_lists + [[], [0], list(range(6))]:
        for n_threads in (1, 2):
            got, got_lp = flows.polish(start, max_steps=30, n_threads=n_threads, **shape)
            want, want_lp = direct.polish(start, max_steps=30, n_threads=n_threads, **shape)
            assert got == want
            assert got_lp == pytest.approx(want_lp, rel=1e-12, abs=1e-9)
