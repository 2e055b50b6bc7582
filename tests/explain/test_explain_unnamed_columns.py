"""Explanations read a DataFrame without string column labels as their estimator does: by position.

scikit-learn records feature names only when every column label is a string;
a model fitted on ``pd.DataFrame(ndarray)`` (labels 0, 1, 2) calls its
features x0, x1, x2 and reads such a frame by position.  Its explanation and
the model loaded from JSON must read it too, not ask for columns "x0".
"""

import json

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import GAMClassifier, RiskScoreClassifier, SparseLinearClassifier
from glassbox.explain import GlobalExplanation

ESTIMATORS = [
    GAMClassifier(outer_bags=1, interactions=0, max_rounds=100, random_state=0),
    SparseLinearClassifier(),
    RiskScoreClassifier(max_features=2),
]


def _unnamed_frame(n=200, seed=23):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 3)))
    X[3] = rng.choice(["a", "b", "c"], n)  # an object column too: read by position, as a category
    y = ((X[0] + X[1] + (X[3] == "a")) > 0.5).astype(int)
    return X, y


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_unnamed_frame_is_read_by_position(estimator):
    X, y = _unnamed_frame()
    model = estimator.fit(X, y)
    assert not hasattr(model, "feature_names_in_")
    expected = model.decision_function(X)
    explanation = model.explain_global()
    restored = glassbox.from_json(model.to_json())
    reloaded = GlobalExplanation.from_dict(json.loads(json.dumps(explanation.to_dict())))
    for reader in (explanation, restored, reloaded):
        assert np.array_equal(reader.decision_function(X), expected)
        # a frame of other non-string labels (what pd.get_dummies or a pipeline may give) reads the same
        assert np.array_equal(reader.decision_function(X.set_axis([10, 11, 12, 13], axis=1)), expected)
        assert np.array_equal(reader.decision_function(X.to_numpy()), expected)
    assert np.array_equal(restored.predict_proba(X), model.predict_proba(X))


def test_unnamed_frame_with_the_wrong_number_of_columns_is_refused():
    X, y = _unnamed_frame()
    explanation = SparseLinearClassifier().fit(X, y).explain_global()
    with pytest.raises(ValueError, match="X has 3 columns but the model was fitted on 4 features"):
        explanation.decision_function(X.iloc[:, :3])


def test_errors_for_missing_columns_say_what_to_do():
    X, y = _unnamed_frame()
    unnamed = SparseLinearClassifier().fit(X, y).explain_global()
    # string labels other than x0, x1, ...: the estimator warns and reads by position; the explanation asks
    with pytest.raises(ValueError, match=r"fitted without column names.*X\.to_numpy\(\)"):
        unnamed.decision_function(X.set_axis(["p", "q", "r", "s"], axis=1))
    named_X = X.set_axis(["a", "b", "c", "d"], axis=1)
    named = SparseLinearClassifier().fit(named_X, y).explain_global()
    with pytest.raises(ValueError, match=r"lacks the columns \['d'\].*X\.to_numpy\(\)"):
        named.decision_function(named_X.drop(columns="d"))
    with pytest.raises(ValueError, match=r"not named .*fitted on the named columns \['a', 'b', 'c', 'd'\]"):
        named.decision_function(X)
    with pytest.raises(TypeError, match=r"mix strings and other types.*astype\(str\)"):
        named.decision_function(X.set_axis(["a", "b", "c", 3], axis=1))
    # a frame with every named column is read by name, whatever else it holds
    assert np.array_equal(named.decision_function(named_X.assign(**{"extra": 1.0})[["d", "extra", "c", "b", "a"]]),
                          named.decision_function(named_X))
