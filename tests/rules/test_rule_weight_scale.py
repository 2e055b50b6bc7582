"""Rule models read sample_weight as counts: weights far below one per row draw a warning saying how to rescale."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import BayesianRuleListClassifier, DecisionSetClassifier
from glassbox.rules._rule_model import LOW_WEIGHT_SHARE

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")

ESTIMATORS = {
    "list": lambda: BayesianRuleListClassifier(n_iter=2000, random_state=0),
    "set": lambda: DecisionSetClassifier(random_state=0, tune_weights=False),
}


def _data(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"age": rng.integers(18, 80, n).astype(float)})
    return X, ((X.age > 50).to_numpy() ^ (rng.random(n) < 0.1)).astype(int)


def _fit(family, X, y, weights):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = ESTIMATORS[family]().fit(X, y, sample_weight=weights)
    return model, [w for w in caught if "sample_weight sums to" in str(w.message)]


@pytest.mark.parametrize("family", ["list", "set"])
def test_normalised_weights_warn_and_the_suggested_rescaling_restores_the_unit_fit(family):
    X, y = _data()
    n = len(y)
    weights = np.ones(n)
    weights[:50] = 0.0  # zero-weight rows do not count as rows
    unit, caught = _fit(family, X, y, weights)
    assert caught == []
    relative = weights / weights.sum()
    shrunk, caught = _fit(family, X, y, relative)
    assert len(caught) == 1 and caught[0].category is UserWarning and caught[0].filename == __file__
    message = str(caught[0].message)
    assert message.startswith(f"sample_weight sums to 1 over {n - 50} rows of positive weight")
    factor = float(re.search(r"multiply them by n / sum\(w\) = ([0-9.e+]+)", message).group(1))
    assert factor == pytest.approx(n - 50)
    # the reading is counts: the scale changed the probabilities (nothing was silently rescaled) ...
    assert not np.allclose(shrunk.predict_proba(X), unit.predict_proba(X), atol=1e-3)
    # ... and the rescaling the message names gives back the fit with unit weights
    rescaled, caught = _fit(family, X, y, relative * factor)
    assert caught == []
    np.testing.assert_allclose(rescaled.predict_proba(X), unit.predict_proba(X), rtol=1e-9)


@pytest.mark.parametrize("family", ["list", "set"])
def test_the_threshold_is_a_tenth_of_the_rows_of_positive_weight(family):
    X, y = _data(300)
    n = len(y)
    assert _fit(family, X, y, np.full(n, LOW_WEIGHT_SHARE))[1] == []  # exactly a tenth: count-like enough
    assert len(_fit(family, X, y, np.full(n, 0.99 * LOW_WEIGHT_SHARE))[1]) == 1
    assert _fit(family, X, y, np.random.default_rng(1).integers(0, 4, n))[1] == []  # repeats
    assert _fit(family, X, y, np.full(n, 1e3))[1] == []  # large weights are counts too


def test_keep_rules_with_normalised_weights_warns():
    X, y = _data()
    model, _ = _fit("list", X, y, None)
    with pytest.warns(UserWarning, match="sample_weight sums to 1 over 600 rows"):
        model.keep_rules(np.arange(len(model.rules_)), X, y, sample_weight=np.full(len(y), 1 / len(y)))


def test_credible_intervals_of_huge_weighted_counts_come_without_scipy_warnings():
    # Weights of 1e12 per row made scipy's Beta quantile give up ('Error in function boost::math::tgamma<d>(%1%,%1%):
    # Series evaluation exceeded %1% iterations') in RuntimeWarnings from the fit
    from scipy.stats import beta

    from glassbox.rules.bayesian_rule_list import _beta_interval

    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=400) > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.filterwarnings("ignore", message="The MCMC chains disagree")
        warnings.simplefilter("error", RuntimeWarning)
        model = BayesianRuleListClassifier(n_iter=500, n_chains=2, random_state=0).fit(
            X, y, sample_weight=np.full(len(X), 1e12))
        _beta_interval(0.025, np.array([4e14 + 0.5]), np.array([1e12 + 0.5]))
    low, high = model.rule_intervals_[:, 0], model.rule_intervals_[:, 1]
    assert np.all(np.isfinite(model.rule_intervals_)) and np.all(low <= high)
    # beyond 1e8 the normal approximation is the Beta quantile to well within a standard deviation's 1e-4
    a, b = np.array([3e8, 5e9, 2e8]), np.array([7e8, 1e9, 2e8])
    got = np.stack(_beta_interval(0.025, a, b))
    expected = np.stack([beta.ppf(0.025, a, b), beta.ppf(0.975, a, b)])
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert np.all(np.abs(got - expected) < 1e-3 * sd)
