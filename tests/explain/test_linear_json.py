"""A sparse linear model shipped as JSON warns of unseen levels and refuses missing values as the estimator does."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import glassbox
from glassbox import SparseLinearClassifier, SparseLinearRegressor


def _data(n=600, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"x": rng.normal(size=n), "region": rng.choice(["north", "south"], n),
                      "code": rng.choice([1, 2, 3], n)})  # integer-coded levels
    eta = X["x"] + (X["code"] == 3) + (X["region"] == "south")
    return X, eta


def _warnings_of(predict, X):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = predict(X)
    return out, [(str(w.message), w.category, w.filename) for w in caught]


def _quote():
    """Quote-time rows: a new region and an integer level sent as text (as read from a CSV or a JSON request)."""
    return pd.DataFrame({"x": [0.1, -0.4, 1.2], "region": ["east", "north", "south"],
                         "code": np.array(["3", 2, 1], dtype=object)})


@pytest.fixture(scope="module")
def fitted():
    X, eta = _data()
    rng = np.random.RandomState(1)
    classifier = SparseLinearClassifier(alpha=0.001, categorical_features=["region", "code"])
    classifier.fit(X, eta + rng.logistic(size=len(X)) > 0.5)
    regressor = SparseLinearRegressor(alpha=0.001, loss="gamma", categorical_features=["region", "code"])
    regressor.fit(X, np.exp(0.3 * eta) * rng.gamma(2.0, 1.0, len(X)))
    return classifier, regressor, X


@pytest.mark.parametrize("which,method", [("classifier", "predict_proba"), ("classifier", "predict"),
                                          ("classifier", "decision_function"), ("regressor", "predict")])
def test_shipped_linear_model_warns_of_unseen_levels_as_the_estimator_does(fitted, which, method):
    classifier, regressor, _ = fitted
    model = classifier if which == "classifier" else regressor
    shipped = glassbox.from_json(model.to_json())
    expected, from_model = _warnings_of(getattr(model, method), _quote())
    got, from_json = _warnings_of(getattr(shipped, method), _quote())
    np.testing.assert_array_equal(got, expected)
    assert from_json == from_model  # same texts, categories and order, and both point at this file
    assert [text for text, _, _ in from_json] == [
        "Feature 'region' has categories not seen in training: ['east']; they score zero on every indicator of "
        "that feature.",
        "Feature 'code' has categories not seen in training: ['3']; they score zero on every indicator of that "
        "feature. 1 of them is a training level written another way ('3' for 3): pass X['code'] as it was at fit "
        "(the levels' type, case and spacing).",
    ]
    assert all(category is UserWarning and filename == __file__ for _, category, filename in from_model)


def test_trained_levels_warn_of_nothing_and_old_payloads_load_without_warnings(fitted):
    model, _, X = fitted
    shipped = glassbox.from_json(model.to_json())
    assert _warnings_of(shipped.predict, X)[1] == []
    assert [(seen.feature, sorted(seen.categories)) for seen in shipped.training_values] == [
        ("region", ["north", "south"]), ("code", [1, 2, 3])]
    payload = json.loads(model.to_json())
    del payload["content"]["training_values"]  # a model saved before the levels were recorded
    older = glassbox.GlobalExplanation.from_dict(payload)
    assert older.training_values is None
    np.testing.assert_array_equal(older.predict_proba(_quote()), _warnings_of(shipped.predict_proba, _quote())[0])
    assert _warnings_of(older.predict_proba, _quote())[1] == []
    assert glassbox.from_json(model.to_json()) == shipped
    assert glassbox.from_json(shipped.to_json()).to_json() == shipped.to_json()


@pytest.mark.parametrize("which,method", [("classifier", "predict_proba"), ("classifier", "predict"),
                                          ("classifier", "decision_function"), ("regressor", "predict")])
@pytest.mark.parametrize("column,blank", [("x", np.nan), ("region", None), ("code", np.nan)])
def test_shipped_linear_model_refuses_a_missing_value_with_the_estimators_message(fitted, which, method, column,
                                                                                   blank):
    classifier, regressor, X = fitted
    model = classifier if which == "classifier" else regressor
    shipped = glassbox.from_json(model.to_json())
    row = X.iloc[:2].astype(object)
    row.iloc[1, row.columns.get_loc(column)] = blank
    with pytest.raises(ValueError) as from_model:
        getattr(model, method)(row)
    with pytest.raises(ValueError) as from_json:
        getattr(shipped, method)(row)
    assert str(from_json.value) == str(from_model.value)
    assert f"Input X contains NaN (missing values) in columns ['{column}']" in str(from_json.value)
    # the table the estimator returns refuses the row too (older payloads as well: nothing new is needed)
    with pytest.raises(ValueError, match="does not handle missing values"):
        model.explain_global().decision_function(row)


def test_shipped_model_fitted_on_sparse_input_refuses_nan_entries():
    rng = np.random.RandomState(0)
    X = sp.random(300, 8, density=0.2, format="csr", random_state=0)
    y = 3 * X[:, 0].toarray().ravel() + 0.1 * rng.normal(size=300)
    model = SparseLinearRegressor(alpha=0.001).fit(X, y)
    shipped = glassbox.from_json(model.to_json())
    blank = X[:3].copy().tolil()
    blank[1, 5] = np.nan
    with pytest.raises(ValueError) as from_model:
        model.predict(blank.tocsr())
    with pytest.raises(ValueError) as from_json:
        shipped.predict(blank.tocsr())
    assert str(from_json.value) == str(from_model.value)
    np.testing.assert_allclose(shipped.predict(X[:3]), model.predict(X[:3]), rtol=1e-12)
