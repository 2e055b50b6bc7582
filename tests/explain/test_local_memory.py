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


@pytest.mark.parametrize("family", list(FAMILIES))
def test_a_contributions_table_larger_than_memory_is_refused_naming_a_batch(family, monkeypatch):
    # A GAM of 50 classes explaining a million rows asks for a 1,000,000 x 20 x 50 table (7.5 GiB): beyond the
    # machine's memory that was a bare numpy MemoryError, or the system ended the process
    import glassbox.base

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 4)), columns=["a", "b", "c", "d"])
    y = np.digitize(X["a"] - X["b"] + rng.logistic(size=300), [-1.0, 1.0])  # three classes where the family can
    if family in ("risk score", "decision set"):
        y = (y > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = FAMILIES[family]().fit(X, y)
    n_terms, n_outputs = len(model.term_names_), np.size(model._base_value())
    monkeypatch.setattr(glassbox.base, "physical_memory", lambda: 100 * 8 * n_terms * n_outputs)  # 100 rows' worth
    with pytest.raises(MemoryError) as raised:
        model.explain_local(X)
    per_class = f" x {n_outputs} classes" if n_outputs > 1 else ""
    assert f"Explaining 300 rows of {type(model).__name__} needs a 300 x {n_terms} terms{per_class} table of " \
           "contributions" in str(raised.value)
    assert "Explain the rows in batches of at most 25 " in str(raised.value)
    local = model.explain_local(X.iloc[:25])
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), model.decision_function(X.iloc[:25])
                               if hasattr(model, "decision_function") else model.predict(X.iloc[:25]), rtol=1e-12)
    assert len(model.predict(X)) == 300  # predictions need no such table
