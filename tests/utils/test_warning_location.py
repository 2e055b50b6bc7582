"""Predict-time warnings about values never seen in training point at the user's line, not inside glassbox."""

import os
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline

import glassbox
from glassbox import BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier


def _data(n=200):
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"age": rng.normal(size=n), "sex": pd.Categorical(rng.choice(["f", "m"], n))})
    return X, ((X["age"] > 0) ^ (X["sex"] == "m")).astype(int).to_numpy()


@pytest.fixture(scope="module", params=["GAMClassifier", "BayesianRuleListClassifier", "DecisionSetClassifier"])
def fitted(request):
    X, y = _data()
    make = {"GAMClassifier": lambda: GAMClassifier(outer_bags=2, interactions=0, random_state=0),
            "BayesianRuleListClassifier": lambda: BayesianRuleListClassifier(n_iter=500, random_state=0),
            "DecisionSetClassifier": lambda: DecisionSetClassifier(max_rules=4, n_restarts=1, random_state=0)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make[request.param]().fit(X, y), X


def _untrained_rows(X):
    rows = X.iloc[:3].copy()
    rows["age"] = rows["age"].astype(object)
    rows.iloc[0, 0] = np.nan
    rows["sex"] = rows["sex"].astype(object)
    rows.iloc[1, 1] = "x"
    return rows


@pytest.mark.parametrize("method", ["predict", "predict_proba", "explain_local"])
def test_untrained_value_warnings_name_the_callers_file(fitted, method):
    model, X = fitted
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        getattr(model, method)(_untrained_rows(X))
    found = [w for w in caught if "in training" in str(w.message)]
    assert found, "expected a warning about values never seen in training"
    assert {w.filename for w in found} == {__file__}


def test_inside_a_pipeline_the_warning_points_at_the_pipeline_call():
    X, y = _data()
    pipe = make_pipeline(GAMClassifier(outer_bags=2, interactions=0, random_state=0)).fit(X, y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pipe.predict(_untrained_rows(X))
    found = [w for w in caught if "in training" in str(w.message)]
    package = os.path.dirname(glassbox.__file__)
    assert found and not any(os.path.abspath(w.filename).startswith(package) for w in found)
