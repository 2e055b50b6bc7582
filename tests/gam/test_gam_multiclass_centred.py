"""A multiclass GAM's class scores are centred across the classes.

Softmax ignores an amount added to every class's score in a bin, so the
probabilities do not fix it; before, a multiclass explanation read one class's
column as the fit happened to leave it, and two models with identical
probabilities gave different contributions and reason codes.  Every bin's
class scores now sum to 0 (as fitted and after an edit of every class).
"""

import copy

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

import glassbox
from glassbox import GAMClassifier
from glassbox.explain import reason_codes
from glassbox.gam import _base


@pytest.fixture(scope="module")
def data():
    X, y = load_iris(return_X_y=True, as_frame=True)
    rng = np.random.default_rng(0)
    X = X.copy()
    X["grade"] = pd.Categorical(rng.choice(["A", "B", "C"], size=len(X)))
    X.loc[rng.random(len(X)) < 0.1, "sepal width (cm)"] = np.nan
    return X, y.map({0: "setosa", 1: "versicolor", 2: "virginica"})


def _model(X, y):
    return GAMClassifier(interactions=[("sepal length (cm)", "grade")], outer_bags=2, random_state=0).fit(X, y)


@pytest.fixture(scope="module")
def centred(data):
    return _model(*data)


@pytest.fixture(scope="module")
def uncentred(data):
    """The same fit with the class centring switched off: what a model fitted before it holds."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_base, "centred_across_classes", lambda fitted: fitted)
        return _model(*data)


def test_every_bin_class_scores_sum_to_zero(centred, uncentred):
    for part in centred._fitted_parts_:
        assert np.abs(part.scores.sum(axis=1)).max() < 1e-12
        np.testing.assert_allclose(part.upper - part.lower, 2 * np.abs(part.upper - part.scores), atol=1e-12)
    assert abs(centred.intercept_.sum()) < 1e-12
    # the fit itself leaves the shift anywhere: without the centring the sums are far from 0
    assert max(np.abs(part.scores.sum(axis=1)).max() for part in uncentred._fitted_parts_) > 0.1
    for part, raw in zip(centred._fitted_parts_, uncentred._fitted_parts_):
        np.testing.assert_allclose(part.scores, raw.scores - raw.scores.mean(axis=1, keepdims=True), atol=1e-15)
        np.testing.assert_array_equal(part.mass, raw.mass)


def test_predictions_unchanged_and_explanation_exact(centred, uncentred, data):
    X, _ = data
    np.testing.assert_allclose(centred.predict_proba(X), uncentred.predict_proba(X), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(centred.predict(X), uncentred.predict(X))
    np.testing.assert_array_equal(centred.explain_global().decision_function(X), centred.decision_function(X))
    local = centred.explain_local(X)
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), centred.decision_function(X),
                               rtol=1e-12, atol=1e-12)
    # empty bins (the unseen-level bin) still score 0 in every class
    grade = centred.explain_global().terms[centred.term_names_.index("grade")]
    assert np.all(np.asarray(grade.scores)[-1] == 0.0)


def test_probability_identical_twin_explains_alike(centred, data):
    """A probability-identical twin: the same amount added to every class in each bin of a term (softmax ignores it)."""
    X, _ = data
    term = "petal length (cm)"
    scores = np.asarray(centred.explain_global().terms[centred.term_names_.index(term)].scores)
    twin = copy.deepcopy(centred).replace_scores(term, scores - scores[:, [0]])
    np.testing.assert_allclose(twin.predict_proba(X), centred.predict_proba(X), rtol=0, atol=1e-15)
    np.testing.assert_allclose(twin.explain_local(X).contributions, centred.explain_local(X).contributions,
                               rtol=0, atol=1e-12)
    ours = reason_codes(centred, X, reference=X, adverse="virginica", n_reasons=3).to_frame()
    theirs = reason_codes(twin, X, reference=X, adverse="virginica", n_reasons=3).to_frame()
    pd.testing.assert_frame_equal(ours[["row", "rank", "reason"]], theirs[["row", "rank", "reason"]])
    np.testing.assert_allclose(ours["shortfall"], theirs["shortfall"], rtol=0, atol=1e-12)


def test_one_class_edit_changes_that_column_only(centred):
    model = copy.deepcopy(centred).clip_scores("petal width (cm)", upper=0.5, target_class="setosa")
    t = centred.term_names_.index("petal width (cm)")
    before = np.asarray(centred.explain_global().terms[t].scores)
    after = np.asarray(model.explain_global().terms[t].scores)
    np.testing.assert_array_equal(after[:, 1:], before[:, 1:])
    assert not np.array_equal(after[:, 0], before[:, 0])


def test_refit_intercept_stays_centred(centred, data):
    X, y = data
    model = copy.deepcopy(centred).remove_terms(["petal width (cm)"]).refit_intercept(X, y)
    assert abs(model.intercept_.sum()) < 1e-12
    shares = y.value_counts(normalize=True).reindex(model.classes_).to_numpy()
    np.testing.assert_allclose(model.predict_proba(X).mean(axis=0), shares, atol=1e-9)


def test_json_of_an_uncentred_model_still_loads(uncentred, centred, data):
    """A model saved before the centring keeps its scores: it loads and predicts as saved."""
    X, _ = data
    loaded = glassbox.from_json(uncentred.explain_global().to_json())
    np.testing.assert_array_equal(loaded.decision_function(X), uncentred.decision_function(X))
    np.testing.assert_allclose(loaded.predict_proba(X), centred.predict_proba(X), rtol=0, atol=1e-15)
