"""Bayesian rule lists: prediction reads the fitted model and never writes to it.

A threaded server scores one fitted (or freshly unpickled) model from many
threads at once, so the posterior predictive's per-draw probabilities are
computed in ``fit`` and the model keeps no training rows for them.
"""

import pickle
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from glassbox.rules import BayesianRuleListClassifier
from glassbox.rules import _brl_sampler
from glassbox.rules._rule_model import list_class_counts

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")


def _problem(n=600, seed=0, n_classes=2):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"a": rng.randint(0, 6, n).astype(float), "b": rng.randint(0, 5, n).astype(float),
                      "c": rng.normal(size=n)})
    score = 0.8 * X["a"] - 0.9 * X["b"] + X["c"] + rng.normal(size=n)
    y = np.digitize(score, np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]))
    return X, y


@pytest.fixture(scope="module")
def fitted():
    X, y = _problem()
    model = BayesianRuleListClassifier(max_rules=6, n_iter=2000, n_chains=2, burn_in_temperature=10, random_state=0)
    return model.fit(X, y), X


def test_prediction_leaves_the_fitted_model_unchanged(fitted):
    model, X = fitted
    fresh = pickle.loads(pickle.dumps(model))
    before = pickle.dumps(fresh)
    fresh.predict_proba_posterior(X)
    fresh.predict_proba(X)
    fresh.explain_local(X.iloc[:5])
    assert pickle.dumps(fresh) == before


def test_the_fitted_posterior_holds_no_training_rows(fitted):
    model, X = fitted
    posterior = model._posterior
    n_words = -(-len(X) // 64)
    for name, value in vars(posterior).items():
        assert isinstance(value, np.ndarray) and not value.flags.writeable, name
        assert len(X) not in value.shape and n_words not in value.shape[1:], name
    more_rows = pd.concat([X] * 8, ignore_index=True)
    model_on_more_rows = BayesianRuleListClassifier(**model.get_params()).fit(more_rows, np.tile(_problem()[1], 8))
    assert len(pickle.dumps(model_on_more_rows)) < 1.5 * len(pickle.dumps(model))


@pytest.mark.parametrize("weighted", [False, True])
def test_per_draw_probabilities_are_those_of_each_list_counted_alone(monkeypatch, weighted):
    X, y = _problem(n=300, seed=1, n_classes=3)
    captured = {}
    build = _brl_sampler.PosteriorPredictive.__init__

    def spy(self, lists, counts, coverage, y_codes, sample_weight, n_classes, alpha):
        captured.update(lists=lists, coverage=coverage, y=y_codes, weight=sample_weight, k=n_classes, alpha=alpha)
        build(self, lists, counts, coverage, y_codes, sample_weight, n_classes, alpha)

    monkeypatch.setattr(_brl_sampler.PosteriorPredictive, "__init__", spy)
    monkeypatch.setattr(_brl_sampler, "_DECIDED_BLOCK_BYTES", 4096)  # many blocks
    weights = np.random.RandomState(2).uniform(0.2, 3.0, len(X)) if weighted else None
    model = BayesianRuleListClassifier(max_rules=12, n_iter=1500, n_chains=2, random_state=0)
    model.fit(X, y, sample_weight=weights)
    c = captured
    expected = []
    for rule_list in c["lists"]:
        counts = c["alpha"] + list_class_counts(c["coverage"][rule_list], len(c["y"]), c["y"], c["weight"], c["k"])
        expected.append(counts / counts.sum(axis=1, keepdims=True))
    assert len({len(rule_list) for rule_list in c["lists"]}) > 1
    np.testing.assert_array_equal(model._posterior.probabilities, np.concatenate(expected))


def test_concurrent_first_calls_on_a_loaded_model_equal_the_serial_call(fitted):
    model, X = fitted
    blob = pickle.dumps(model)
    serial = pickle.loads(blob).predict_proba_posterior(X)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: a shared lazy fill would be read half done
    try:
        for _ in range(3):
            fresh = pickle.loads(blob)
            with ThreadPoolExecutor(4) as pool:
                results = list(pool.map(lambda _: fresh.predict_proba_posterior(X), range(8)))
            for result in results:
                np.testing.assert_array_equal(result, serial)
    finally:
        sys.setswitchinterval(interval)


def test_a_model_pickled_with_the_lazy_posterior_loads_and_predicts_the_same():
    from glassbox.rules.mining import bitset_from_mask

    rng = np.random.default_rng(0)
    n, alpha = 300, np.ones(2)
    coverage = bitset_from_mask(rng.uniform(size=(6, n)) < 0.3)
    y = rng.integers(0, 2, n)
    lists, counts = [[0, 3], [2], [], [5, 1, 4]], [3, 1, 2, 4]
    posterior = _brl_sampler.PosteriorPredictive(lists, counts, coverage, y, None, 2, alpha)
    local = {c: i for i, c in enumerate(posterior.candidates.tolist())}
    old_state = {  # what a model fitted before the draws were counted in fit pickled
        "candidates": posterior.candidates, "weights": posterior.weights, "_probabilities": None,
        "lists": [np.array([local[c] for c in rule_list], dtype=np.intp) for rule_list in lists],
        "_training": (coverage[posterior.candidates], y, None, 2, alpha),
    }
    loaded = _brl_sampler.PosteriorPredictive.__new__(_brl_sampler.PosteriorPredictive)
    loaded.__setstate__(old_state)
    assert sorted(vars(loaded)) == sorted(vars(posterior))
    covered = rng.uniform(size=(50, len(posterior.candidates))) < 0.4
    np.testing.assert_array_equal(loaded.predict_proba(covered), posterior.predict_proba(covered))
