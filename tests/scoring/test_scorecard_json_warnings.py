"""A risk score shipped as JSON warns of unseen levels and new missing values exactly as the estimator does."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import RiskScoreClassifier


def _data(n=800, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "vclass": pd.Categorical(rng.choice([1, 2, 3], n)),  # integer-coded levels
        "noise": rng.normal(size=n),
    })
    y = ((X.age > 55) | (X.vclass == 2)).astype(int).to_numpy() ^ (rng.random(n) < 0.05)
    return X, y


def _warnings_of(predict, X):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = predict(X)
    return out, [(str(w.message), w.category, w.filename) for w in caught]


@pytest.fixture(scope="module")
def fitted():
    X, y = _data()
    model = RiskScoreClassifier(max_features=3).fit(X, y)
    read = {c.feature for c in model.conditions_}
    assert {"age", "vclass"} <= read and "noise" not in read, model.conditions_
    return model, X


def test_shipped_card_warns_as_the_estimator_does(fitted):
    model, X = fitted
    shipped = glassbox.from_json(model.to_json())
    # the rating-engine mistake: levels fitted as integers, sent as text; and missing values never seen in training
    new = X.iloc[:4].assign(vclass=X.vclass.iloc[:4].astype(int).astype(str), age=[np.nan, 30.0, 70.0, 40.0],
                            noise=np.nan)
    expected, from_model = _warnings_of(model.predict_proba, new)
    got, from_json = _warnings_of(shipped.predict_proba, new)
    np.testing.assert_array_equal(got, expected)
    assert from_json == from_model  # same texts, categories, and both point at this file
    texts = [text for text, _, _ in from_json]
    assert any("'vclass' has categories not seen in training: ['1', '2', '3']" in t for t in texts), texts
    assert any("'age' has missing values, but none in training" in t and "none of its points" in t for t in texts)
    assert not any("'noise'" in t for t in texts)  # the card does not read it: nothing to warn about
    assert all(w[2] == __file__ for w in from_model)


def test_trained_values_warn_of_nothing_and_old_payloads_load_without_warnings(fitted):
    model, X = fitted
    shipped = glassbox.from_json(model.to_json())
    assert _warnings_of(shipped.predict_proba, X)[1] == []
    payload = json.loads(model.to_json())
    del payload["content"]["training_values"]  # a card saved before the values were recorded
    older = glassbox.GlobalExplanation.from_dict(payload)
    assert older.training_values is None
    new = X.iloc[:2].assign(vclass=["9", "9"])
    np.testing.assert_array_equal(older.predict_proba(new), shipped.predict_proba(new))
    assert _warnings_of(older.predict_proba, new)[1] == []
    assert glassbox.from_json(model.to_json()) == shipped



@pytest.mark.parametrize("scale", [1.0, 1e16, 1e300])
def test_a_card_on_huge_values_loads_without_an_edit_warning(scale):
    # the card's lowest region is probed below its first threshold: t - 1 rounds back to t beyond 2**53, which
    # read the unedited card's scores as edited ("model file was edited after fitting") on from_json
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4)) * scale
    y = (X[:, 0] / scale + 0.5 * rng.normal(size=300) > 0).astype(int)
    model = RiskScoreClassifier().fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = glassbox.from_json(model.to_json())
    np.testing.assert_array_equal(loaded.decision_function(X), model.decision_function(X))
