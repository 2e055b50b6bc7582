"""A local explanation keeps the rows x terms table its model computed, not a copy, and to_frame copies it once."""

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier

from glassbox import (
    BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier, SparseLinearClassifier,
    SparseLinearRegressor,
)
from glassbox.surrogate import DistilledClassifier

FAMILIES = {
    "sparse linear": SparseLinearClassifier,
    "GAM": lambda: GAMClassifier(random_state=0),
    "risk score": RiskScoreClassifier,
    "rule list": lambda: BayesianRuleListClassifier(random_state=0),
    "decision set": lambda: DecisionSetClassifier(random_state=0),
    "distilled copy": lambda: DistilledClassifier(RandomForestClassifier(n_estimators=5, random_state=0),
                                                  GAMClassifier(random_state=0), random_state=0),
}


def _peak(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_explain_local_and_to_frame_hold_no_extra_copy_of_the_contributions():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(20000, 50)), columns=[f"f{i}" for i in range(50)])
    model = SparseLinearRegressor(alpha=0.0).fit(X, X.sum(axis=1))
    table = X.shape[0] * X.shape[1] * 8
    model.explain_local(X.iloc[:10])  # imports and caches out of the measure
    local, peak = _peak(lambda: model.explain_local(X))
    # the design and the table (and the object rows' share) are needed; a read-only copy of the table was 4.2x
    assert peak < 3.6 * table, peak / table
    assert not local.contributions.flags.writeable
    frame, peak = _peak(local.to_frame)
    assert peak < 3.9 * table, peak / table  # the rows, the terms, the values: 4.5x while pandas copied them
    np.testing.assert_array_equal(frame["contribution"].to_numpy(), local.contributions.reshape(-1))


@pytest.mark.parametrize("family, relative_to",
                         [(family, None) for family in FAMILIES] + [("sparse linear", "mean")])
def test_every_family_hands_its_table_to_the_explanation_frozen_not_copied(family, relative_to, monkeypatch):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 4)), columns=["a", "b", "c", "d"])
    y = (X["a"] - X["b"] + rng.logistic(size=300) > 0).astype(int).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence remarks of the rule list's short chains
        model = FAMILIES[family]().fit(X, y)
    computed = []
    term_contributions = model._term_contributions
    monkeypatch.setattr(model, "_term_contributions",
                        lambda prepared: computed.append(term_contributions(prepared)) or computed[-1])
    local = model.explain_local(X, relative_to=relative_to)
    assert np.shares_memory(local.contributions, computed[0]), "the explanation copied the model's table"
    assert not local.contributions.flags.writeable
