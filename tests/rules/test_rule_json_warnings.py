"""A rule model shipped as JSON warns of unseen categories and unexpected missing values as the estimator does."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import BayesianRuleListClassifier, DecisionSetClassifier
from glassbox.explain._untrained import TrainingValues

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")


def _data(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "purpose": rng.choice(["car", "home", "edu"], n),
        "code": rng.choice([1, 2, 3], n).astype(object),  # integer-coded categories
        "noise": rng.normal(size=n),
    })
    y = ((X.age > 55) | (X.purpose == "car") | (X.code == 2)).astype(int).to_numpy() ^ (rng.random(n) < 0.05)
    return X, y


def _fit(family, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if family == "list":
            return BayesianRuleListClassifier(n_iter=3000, random_state=0, categorical_features=["purpose", "code"]).fit(X, y)
        return DecisionSetClassifier(random_state=0, categorical_features=["purpose", "code"]).fit(X, y)


def _warnings_of(predict, X):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = predict(X)
    return out, [(str(w.message), w.category, w.filename) for w in caught]


@pytest.fixture(scope="module", params=["list", "set"])
def fitted(request):
    X, y = _data()
    return _fit(request.param, X, y), X


def test_shipped_model_warns_as_the_estimator_does(fitted):
    model, X = fitted
    shipped = glassbox.from_json(model.to_json())
    read = {c.feature for rule in shipped.rules for c in rule.conditions}
    assert {"age", "purpose"} <= read, shipped  # the rows below test features the rules read
    new = pd.DataFrame({"age": [np.nan, 30.0, 70.0], "purpose": ["car", "Car ", "home"], "code": ["2", 2, 1],
                        "noise": [np.nan, 0.0, 1.0]})
    expected, from_model = _warnings_of(model.predict_proba, new)
    got, from_json = _warnings_of(shipped.predict_proba, new)
    np.testing.assert_array_equal(got, expected)
    assert from_json == from_model  # same texts, categories, and both point at this file
    texts = [text for text, _, _ in from_json]
    assert any(t.startswith("Feature 'age' has missing values, but none in training") for t in texts)
    assert any(t.startswith("Feature 'purpose' has categories not seen in training: ['Car ']") for t in texts)
    assert all(category is UserWarning and filename == __file__ for _, category, filename in from_json)
    assert not any("'noise'" in t for t in texts)  # no rule reads it: its missing value changes nothing
    # "2" (a string) is not the training level 2: warned about exactly when a rule reads the feature
    assert any("'code'" in t and "['2']" in t for t in texts) == ("code" in read)
    # decision_function and predict warn too; clean rows do not
    for method in ("decision_function", "predict"):
        assert _warnings_of(getattr(shipped, method), new)[1] == _warnings_of(getattr(model, method), new)[1]
    assert _warnings_of(shipped.predict_proba, X.iloc[:50])[1] == []


def test_training_values_round_trip_and_old_payloads_load_without_them(fitted):
    model, X = fitted
    explanation = model.explain_global()
    seen = {v.feature: v for v in explanation.training_values}
    read = {c.feature for rule in explanation.rules for c in rule.conditions}
    assert set(seen) == read  # exactly the features the rules read
    assert "purpose" not in seen or sorted(seen["purpose"].categories) == ["car", "edu", "home"]
    assert "age" not in seen or (seen["age"].categories is None and not seen["age"].had_missing)
    payload = json.loads(explanation.to_json())
    again = glassbox.from_json(json.dumps(payload))
    assert again.to_dict() == explanation.to_dict()
    assert again.training_values == explanation.training_values
    del payload["content"]["training_values"]  # as written before it was recorded
    old = glassbox.from_json(json.dumps(payload))
    assert old.training_values is None
    new = pd.DataFrame({"age": [np.nan], "purpose": ["Car "], "code": [9], "noise": [0.0]})
    proba, caught = _warnings_of(old.predict_proba, new)
    assert caught == []
    np.testing.assert_array_equal(proba, _warnings_of(model.predict_proba, new)[0])


def test_training_values_read_missing_and_levels():
    seen = TrainingValues("f", had_missing=False, categories=["a", 1, True])
    missing, unseen = seen.untrained(np.array(["a", None, "b", 1, "1", np.nan], dtype=object))
    assert missing and list(unseen) == ["b", "1"]
    missing, unseen = TrainingValues("f", had_missing=True).untrained(np.array([np.nan, 1.0]))
    assert not missing and len(unseen) == 0
    assert TrainingValues.from_dict(seen.to_dict()) == seen
