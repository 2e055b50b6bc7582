"""Multinomial SparseLinearClassifier: centred class coefficients where the penalty leaves them free,
and monotonic_cst refused as on a multiclass GAM."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from glassbox import GAMClassifier, SparseLinearClassifier, SparseLinearClassifierCV
from glassbox.linear import sparse_linear_path
from glassbox.linear._estimators import ClassifierStorage


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=600, n_features=5, n_informative=4, n_redundant=0, n_classes=3,
                               flip_y=0.1, random_state=0)
    # an offset column (like wine density ~ 1): its uncentred class coefficients are far apart
    X[:, 0] = 1.0 + 0.01 * X[:, 0]
    return pd.DataFrame(X, columns=[f"x{j}" for j in range(5)]), np.array(["a", "b", "c"])[y]


def _uncentred(model, X, y):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClassifierStorage, "_penalty_centred_across_classes", lambda self: False)
        return model.fit(X, y)


@pytest.mark.parametrize("params", [{"alpha": 0.0}, {"alpha": 0.0, "penalty": "l0"},
                                    {"alpha": 0.01, "penalty": "elasticnet", "l1_ratio": 0.0}])
def test_unpenalized_class_coefficients_are_centred(data, params):
    X, y = data
    model = SparseLinearClassifier(**params).fit(X, y)
    raw = _uncentred(SparseLinearClassifier(**params), X, y)
    assert np.abs(model.coef_.sum(axis=0)).max() < 1e-9 * np.abs(model.coef_).max()
    np.testing.assert_allclose(model.coef_, raw.coef_ - raw.coef_.mean(axis=0), rtol=0, atol=1e-12)
    np.testing.assert_allclose(model.predict_proba(X), raw.predict_proba(X), rtol=0, atol=1e-12)
    local = model.explain_local(X)
    np.testing.assert_allclose(local.base_value + local.contributions.sum(axis=1), model.decision_function(X),
                               rtol=1e-12, atol=1e-12)
    assert np.abs(local.contributions.sum(axis=2)).max() < 1e-9


def test_uncentred_fit_differs(data):
    """Without the centring the unpenalized fit leaves each term's shared shift where the solver stopped."""
    X, y = data
    raw = _uncentred(SparseLinearClassifier(alpha=0.0), X, y)
    assert np.abs(raw.coef_.sum(axis=0)).max() > 1e-3


def test_l1_fit_kept_as_found(data):
    """At alpha > 0 the lasso picks its own point (each term's median class coefficient 0): left alone."""
    X, y = data
    model = SparseLinearClassifier(alpha=0.01).fit(X, y)
    raw = _uncentred(SparseLinearClassifier(alpha=0.01), X, y)
    np.testing.assert_array_equal(model.coef_, raw.coef_)
    assert np.all(np.median(model.coef_, axis=0) == 0)


def test_cv_with_alpha_zero_centres(data):
    X, y = data
    model = SparseLinearClassifierCV(alphas=[0.0], cv=2).fit(X, y)
    assert model.alpha_ == 0.0
    assert np.abs(model.coef_.sum(axis=0)).max() < 1e-9 * np.abs(model.coef_).max()


@pytest.mark.parametrize("make", [lambda cst: SparseLinearClassifier(alpha=0.001, monotonic_cst=cst),
                                  lambda cst: SparseLinearClassifierCV(n_alphas=3, cv=2, monotonic_cst=cst)])
def test_monotonic_cst_refused_for_multiclass(data, make):
    X, y = data
    with pytest.raises(ValueError) as linear:
        make({"x1": 1}).fit(X, y)
    with pytest.raises(ValueError) as gam:
        GAMClassifier(monotonic_cst={"x1": 1}, outer_bags=1, max_rounds=2).fit(X, y)
    assert str(linear.value) == str(gam.value)
    assert "Fit one-vs-rest binary models instead" in str(linear.value)
    # no constraint (all 0) is no constraint; a binary target keeps its sign constraints
    make({"x1": 0}).fit(X, y)
    binary = make({"x1": 1}).fit(X, y == "a")
    assert binary.coef_[0, 1] >= 0


@pytest.mark.parametrize("params", [{}, {"penalty": "elasticnet", "l1_ratio": 0.0}])
def test_path_gives_the_estimators_coefficients(data, params):
    """Each solution of a multiclass path is stored as the estimator stores it at that alpha: centred
    intercepts, and centred coefficients where the penalty leaves their shared shift free (alpha=0, ridge)."""
    X, y = data
    alphas = [0.05, 0.01, 0.0]
    path = sparse_linear_path(SparseLinearClassifier(tol=1e-10, **params), X, y, alphas=alphas)
    for a, alpha in enumerate(path.alphas):
        model = SparseLinearClassifier(alpha=alpha, tol=1e-10, **params).fit(X, y)
        np.testing.assert_allclose(path.intercepts[a], model.intercept_, rtol=0, atol=1e-5)
        np.testing.assert_allclose(path.coefs[a], model.coef_.T, rtol=0, atol=1e-5)
        assert abs(path.intercepts[a].sum()) < 1e-12
