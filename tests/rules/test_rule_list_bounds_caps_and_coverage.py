"""Rule lists: printed probabilities that never round to 0 or 1, refusals that count what overflowed,
and a coverage the climb polishes in place without a second copy."""

import re

import numpy as np
import pandas as pd
import pytest

from glassbox import BayesianRuleListClassifier
from glassbox.explain._render import format_open_probability
from glassbox.rules import mining
from glassbox.rules.mining import TooManyCandidates


def test_probabilities_strictly_inside_0_1_never_print_as_0_or_1():
    assert [format_open_probability(p) for p in (0.99977, 0.991, 6.68e-05, 0.99995, 0.9999999, 0.0, 1.0)] == [
        "0.9998", "0.991", "6.68e-05", "0.99995", ">0.999999", "0", "1"]
    # a rule that decides 120 rows, all of class 1: posterior Beta(121, 1), 97.5% bound 0.99979
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": np.r_[np.full(120, 5.0), rng.normal(size=180)], "b": rng.normal(size=300)})
    y = np.r_[np.ones(120, int), (rng.random(180) < 0.3).astype(int)]
    model = BayesianRuleListClassifier(random_state=0).fit(X, y)
    highs = model.rule_intervals_[:, 1, 1]
    assert (highs > 0.9995).any() and (highs < 1).all(), highs
    explanation = model.explain_global()
    for text in (str(explanation), explanation._repr_html_()):
        assert "0.9998]" in text and ", 1]" not in text, text


def _numeric_table(n_rows=2000, n_cols=6, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n_rows, n_cols)), columns=[f"x{i}" for i in range(n_cols)])
    return X, (X.x0 + 0.5 * X.x1 + rng.normal(size=n_rows) > 0).astype(int)


def test_refusal_counts_the_candidates_of_every_length_and_names_a_cap_that_would_do():
    # Pairs fit under the cap, triples overflow: the refusal must count the triples and name the cap they need.
    X, y = _numeric_table()
    settings = dict(random_state=0, max_rule_len=3, max_thresholds=4, n_iter=200, n_chains=1)
    with pytest.raises(TooManyCandidates) as refused:
        BayesianRuleListClassifier(max_candidates=1000, **settings).fit(X, y)
    message = str(refused.value)
    n_needed = int(re.search(r"max_candidates=(\d+) would do", message).group(1))
    singles, pairs, triples = refused.value.n_by_length
    assert n_needed == refused.value.n_candidates == singles + pairs + triples and singles + pairs < 1000 < n_needed
    assert f"({singles} of 1 condition, {pairs} of 2 conditions, {triples} of 3 conditions)" in message, message
    assert BayesianRuleListClassifier(max_candidates=n_needed, **settings).fit(X, y).n_candidates_ == n_needed
    with pytest.raises(TooManyCandidates):
        BayesianRuleListClassifier(max_candidates=n_needed - 1, **settings).fit(X, y)


def test_refusal_says_when_counting_stopped(monkeypatch):
    X, y = _numeric_table()
    monkeypatch.setattr(mining, "_COUNT_AT_LEAST", 0)
    monkeypatch.setattr(mining, "_COUNT_FACTOR", 2)
    with pytest.raises(TooManyCandidates, match=r"Counting stopped at 2000 candidates \(\d+ of 1 condition, .* so far\): "
                                                r"max_candidates would have to exceed that") as refused:
        BayesianRuleListClassifier(random_state=0, max_rule_len=3, max_thresholds=4, max_candidates=1000).fit(X, y)
    assert refused.value.n_candidates is None and sum(refused.value.n_by_length) == 2000


def test_polish_reorders_the_coverage_in_place_and_leaves_it_as_it_was():
    # The climb sorts the candidates' rows by the start list's flows; it used to sort a copy of every
    # candidate's bitset, doubling the fit's peak memory.  Same climb, same coverage after, either restore.
    from glassbox.rules._brl_sampler import ListPosterior
    from glassbox.utils import ConditionGenerator

    X, y = _numeric_table(n_rows=3000, n_cols=4)
    y = y.to_numpy()
    generator = ConditionGenerator(max_thresholds=6).fit(X)
    candidates = mining.mine_candidate_rules(generator, generator.transform_bitsets(X), len(y), min_support=0.05)
    original = candidates.coverage.copy()
    results = []
    for rebuild in (None, candidates.rebuild_coverage):
        post = ListPosterior(candidates.coverage, candidates.widths, y, None, 2, np.ones(2), 3.0, 1.0, 10,
                             rebuild_coverage=rebuild)
        assert post.coverage is candidates.coverage  # no copy
        start = post.sample(2, 300, np.random.RandomState(0), 1).map_list()[0]
        assert start
        results.append(post.polish(start, max_steps=20))
        np.testing.assert_array_equal(candidates.coverage, original)
    assert results[0] == results[1]


def test_the_climb_holds_no_second_copy_of_the_candidates_coverage(monkeypatch):
    import tracemalloc

    climb = BayesianRuleListClassifier._point_estimate
    growth = []

    def measured(self, *args):
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = climb(self, *args)
        growth.append(tracemalloc.get_traced_memory()[1] - before)
        return result

    monkeypatch.setattr(BayesianRuleListClassifier, "_point_estimate", measured)
    X, y = _numeric_table(n_rows=40_000, n_cols=8)
    tracemalloc.start()
    try:
        model = BayesianRuleListClassifier(random_state=0, n_iter=300, n_chains=1).fit(X, y)
    finally:
        tracemalloc.stop()
    coverage_bytes = model.n_candidates_ * 8 * -(-len(X) // 64)
    assert coverage_bytes > 10 * 2**20
    assert growth[0] < 0.5 * coverage_bytes, (growth, coverage_bytes)  # a sorted copy: more than 1x
