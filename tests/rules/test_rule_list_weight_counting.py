"""Bayesian rule lists with one weight per class (class_weight, a weight for every row) count weights
by popcount: the same lists, probabilities and log-posteriors as summing the rows' weights one by one."""

import numpy as np
import pandas as pd
import pytest

from glassbox.rules import BayesianRuleListClassifier, _brl_sampler
from glassbox.rules._brl_sampler import ListPosterior
from glassbox.rules._reference import log_posterior_reference
from glassbox.rules.mining import bitset_from_mask, mask_from_bitset

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")


def _three_classes(n=900, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.integers(0, 6, n).astype(float), "b": rng.normal(size=n), "c": rng.integers(0, 3, n)})
    logits = 0.8 * X.a - 1.5 * (X.b > 0.3) + (X.c == 1) + rng.normal(scale=1.0, size=n)
    y = np.digitize(logits, [1.5, 3.5])
    return X, np.array(["low", "mid", "high"])[y]


def _fit(X, y, class_weight=None, sample_weight=None):
    model = BayesianRuleListClassifier(n_iter=3000, random_state=3, class_weight=class_weight)
    return model.fit(X, y, sample_weight=sample_weight)


def _unbalanced_weights(y):
    # A weight per class that is no short binary fraction (row-order sums of 0.1 are not 0.1 * n),
    # and zero-weight rows in one class.
    weights = np.select([y == "low", y == "mid"], [0.1, 2.0 / 3.0], 3.7)
    weights[(y == "mid") & (np.arange(len(y)) % 7 == 0)] = 0.0
    return weights


CASES = {
    "class_weight='balanced'": dict(class_weight="balanced"),
    "class_weight dict": dict(class_weight={"low": 0.3, "mid": 1.0, "high": 2.9}),
    "2.0 for every row": dict(sample_weight="two"),
    "one weight per class, some rows 0": dict(sample_weight="per class"),
}


def _weights(case, y):
    kind = CASES[case].get("sample_weight")
    return {None: None, "two": np.full(len(y), 2.0), "per class": _unbalanced_weights(y)}[kind]


@pytest.mark.parametrize("case", list(CASES))
def test_per_class_weight_counts_give_the_row_by_row_fit_bit_for_bit(case, monkeypatch):
    X, y = _three_classes()
    weights = _weights(case, y)
    class_weight = CASES[case].get("class_weight")
    fast = _fit(X, y, class_weight, weights)
    monkeypatch.setattr(_brl_sampler, "_MAX_WEIGHT_LEVELS", 0)  # every weighted fit sums rows one by one
    by_rows = _fit(X, y, class_weight, weights)
    assert str(fast.explain_global()) == str(by_rows.explain_global())
    np.testing.assert_array_equal(fast.predict_proba(X), by_rows.predict_proba(X))
    assert fast.log_posterior_ == by_rows.log_posterior_
    assert (fast.rhat_, fast.posterior_mean_length_) == (by_rows.rhat_, by_rows.posterior_mean_length_)


def _posterior(y_codes, weights, coverage, widths, n_classes=3):
    return ListPosterior(coverage, widths, y_codes, weights, n_classes, np.ones(n_classes), 3.0, 1.0, 8)


def _candidates(seed=0, n=700, n_candidates=12):
    rng = np.random.default_rng(seed)
    masks = rng.random((n_candidates, n)) < rng.uniform(0.05, 0.5, (n_candidates, 1))
    return bitset_from_mask(masks), rng.integers(1, 3, n_candidates), rng.integers(0, 3, n)


def test_one_weight_per_class_is_counted_by_popcount_and_other_weights_row_by_row():
    coverage, widths, y = _candidates()
    per_class = np.array([0.1, 2.0 / 3.0, 3.7])[y]
    varied = np.random.default_rng(1).choice([0.5, 1.0, 2.0], len(y))
    assert _posterior(y, per_class, coverage, widths).levels[2].tolist() == np.cumsum(
        [0] + [int(np.sum(y == k)) + 1 for k in range(3)]).tolist()
    assert _posterior(y, np.full(len(y), 2.0), coverage, widths).levels[2].size == 4
    assert _posterior(y, varied, coverage, widths).levels[2].size == 1  # rows summed one by one
    assert _posterior(y, None, coverage, widths).levels[2].size == 1  # unit weights: popcounts of classes


@pytest.mark.parametrize("weights", ["per class", "one class all zero"])
def test_per_class_weight_log_posterior_matches_the_reference(weights, monkeypatch):
    coverage, widths, y = _candidates(seed=4)
    w = np.array([0.1, 2.0 / 3.0, 3.7])[y]
    if weights == "one class all zero":
        w[y == 1] = 0.0
    fast = _posterior(y, w, coverage, widths)
    assert fast.levels[2].size == 4
    monkeypatch.setattr(_brl_sampler, "_MAX_WEIGHT_LEVELS", 0)
    by_rows = _posterior(y, w, coverage, widths)
    masks = mask_from_bitset(coverage, len(y))
    totals = {v: int(np.sum(widths == v)) for v in set(widths.tolist())}

    def reference(rule_list):
        return log_posterior_reference(masks[rule_list], y, w, 3, np.ones(3), widths[rule_list], totals, 3.0, 1.0,
                                       fast.max_length)

    rng = np.random.default_rng(5)
    for _ in range(20):
        rule_list = rng.permutation(len(widths))[: rng.integers(0, 6)].tolist()
        assert fast.log_posterior(rule_list) == by_rows.log_posterior(rule_list)
        # the compiled log-posterior drops a constant: differences between lists are the reference's
        assert fast.log_posterior(rule_list) - fast.log_posterior([]) == pytest.approx(
            reference(rule_list) - reference([]), rel=1e-10, abs=1e-9)
        start = fast.polish(rule_list, max_steps=5)
        assert start == by_rows.polish(rule_list, max_steps=5)
