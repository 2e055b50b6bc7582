"""Explanations compare field by field (arrays by value), not through their JSON form.

A model fitted on levels JSON refuses (an Enum member) still has explanations that
compare with ``==``; the refusal stays where JSON is written.
"""

import dataclasses
import enum

import numpy as np
import pandas as pd
import pytest

from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier,
                      SparseLinearClassifier)


class Grade(enum.Enum):
    A = "A"
    B = "B"
    C = "C"


def _enum_data(n=300, seed=1):
    rng = np.random.default_rng(seed)
    column = np.empty(n, dtype=object)
    column[:] = [list(Grade)[i] for i in rng.integers(0, 3, n)]
    X = pd.DataFrame({"a": rng.normal(size=n), "k": column})
    y = ((X["a"] + 1.5 * (X["k"] == Grade.A)) > 0.5).astype(int)
    return X, y


ESTIMATORS = [
    GAMClassifier(outer_bags=1, interactions=0, max_rounds=50, random_state=0),
    SparseLinearClassifier(),
    RiskScoreClassifier(max_features=2),
    BayesianRuleListClassifier(n_iter=500, random_state=0),
    DecisionSetClassifier(max_rules=3, random_state=0),
]


@pytest.fixture(scope="module")
def enum_data():
    return _enum_data()


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_explanations_of_a_model_with_enum_levels_compare(enum_data, estimator):
    X, y = enum_data
    model = estimator.fit(X, y)
    first, second = model.explain_global(), model.explain_global()
    assert first == second and not first != second
    shifted = dataclasses.replace(first, base_value=first.base_value + 1.0)
    assert first != shifted
    assert first != dataclasses.replace(first, model="Other")
    local = model.explain_local(X.iloc[:5])
    assert local == model.explain_local(X.iloc[:5])
    assert local != model.explain_local(X.iloc[1:6])
    # JSON still refuses the levels: equality does not go through it
    with pytest.raises(TypeError, match="feature 'k'"):
        first.to_dict()


def test_equality_reads_arrays_by_value_and_missing_as_equal():
    X, y = _enum_data()
    X.loc[:20, "a"] = np.nan
    model = GAMClassifier(outer_bags=1, interactions=0, max_rounds=50, random_state=0).fit(X, y)
    first = model.explain_global()
    copied = dataclasses.replace(first, terms=tuple(dataclasses.replace(t, scores=t.scores.copy())
                                                    for t in first.terms))
    assert copied == first  # equal values in other arrays
    nan_scores = dataclasses.replace(first.terms[0], scores=np.full_like(first.terms[0].scores, np.nan))
    assert nan_scores == dataclasses.replace(first.terms[0], scores=np.full_like(first.terms[0].scores, np.nan))
    assert nan_scores != first.terms[0]
    assert first.terms[0] != first.terms[1]
    assert first != "a string" and first != None  # noqa: E711
