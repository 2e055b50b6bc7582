"""A GAM shipped as JSON warns of unseen levels and new missing values exactly as the estimator does."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import GAMClassifier, GAMRegressor


def _data(n=1200, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "vclass": pd.Categorical(rng.choice([1, 2, 3], n)),  # integer-coded levels
        "region": pd.Categorical(rng.choice(["N", "S", "E"], n)),
        "income": rng.lognormal(3, 0.5, n),
    })
    X.loc[rng.random(n) < 0.05, "income"] = np.nan  # missing in training: a new missing value draws no warning
    rate = np.exp(-1 + 0.6 * (X.vclass == 2).astype(float) + 0.3 * (X.region == "S") + 0.01 * (X.age - 50))
    return X, rng.poisson(rate)


def _warnings_of(predict, X):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = predict(X)
    return out, [(str(w.message), w.category, w.filename) for w in caught]


def _quote(X):
    """Quote-time rows: levels sent as text, a new region, and missing values where training had none."""
    return X.iloc[:5].assign(vclass=X.vclass.iloc[:5].astype(int).astype(str), age=[np.nan, 30.0, 70.0, 40.0, 50.0],
                             region=pd.Categorical(["boat", None, "N", "S", "E"]), income=np.nan)


@pytest.fixture(scope="module")
def fitted():
    X, y = _data()
    settings = dict(outer_bags=2, max_rounds=200, random_state=0, interactions=[("age", "region")])
    return GAMRegressor(loss="poisson", **settings).fit(X, y), GAMClassifier(**settings).fit(X, y > 0), X


@pytest.mark.parametrize("which", ["regressor", "classifier"])
def test_shipped_gam_warns_as_the_estimator_does(fitted, which):
    regressor, classifier, X = fitted
    model = regressor if which == "regressor" else classifier
    predict = "predict" if which == "regressor" else "predict_proba"
    shipped = glassbox.from_json(model.to_json())
    new = _quote(X)
    expected, from_model = _warnings_of(getattr(model, predict), new)
    got, from_json = _warnings_of(getattr(shipped, predict), new)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert from_json == from_model  # same texts, categories and order, and both point at this file
    texts = [text for text, _, _ in from_json]
    assert len(texts) == 4, texts
    # integer-coded levels sent as text: unseen, and named with the levels they meant
    assert ("Feature 'vclass' has categories not seen in training: ['1', '2', '3']; they score zero in every "
            "term of it (its main effect and its pairs). "
            "3 of them are training levels written another way ('1' for 1, '2' for 2, '3' for 3): pass X['vclass'] "
            "as it was at fit (the levels' type, case and spacing).") in texts
    assert ("Feature 'region' has categories not seen in training: ['boat']; they score zero in every term of it "
            "(its main effect and its pairs).") in texts
    missing = [t for t in texts if "has missing values, but none in training" in t]
    assert [t.split("'")[1] for t in missing] == ["age", "region"]  # income was missing in training: no warning
    assert all("they score zero in every term of it (its main effect and its pairs)" in t for t in missing)
    assert all(category is UserWarning and filename == __file__ for _, category, filename in from_model)


def test_explanation_local_and_global_warn_alike(fitted):
    model, _, X = fitted
    new = _quote(X)
    _, from_local = _warnings_of(model.explain_local, new)
    _, from_global = _warnings_of(model.explain_global().decision_function, new)
    assert from_local == from_global and len(from_local) == 4


def test_trained_values_warn_of_nothing_and_old_payloads_load_without_warnings(fitted):
    model, _, X = fitted
    shipped = glassbox.from_json(model.to_json())
    assert _warnings_of(shipped.predict, X)[1] == []
    assert _warnings_of(model.predict, X)[1] == []
    assert [seen.feature for seen in shipped.training_values] == ["age", "vclass", "region", "income"]
    assert [seen.had_missing for seen in shipped.training_values] == [False, False, False, True]
    payload = json.loads(model.to_json())
    del payload["content"]["training_values"]  # a GAM saved before the values were recorded
    older = glassbox.GlobalExplanation.from_dict(payload)
    assert older.training_values is None
    new = X.iloc[:2].assign(vclass=["9", "9"])
    np.testing.assert_array_equal(older.predict(new), _warnings_of(shipped.predict, new)[0])
    assert _warnings_of(older.predict, new)[1] == []
    assert glassbox.from_json(model.to_json()) == shipped
    assert glassbox.from_json(shipped.to_json()).to_json() == shipped.to_json()
