"""Rows of sample_weight zero are as good as absent in the cross-validated linear models.

The folds are dealt out among the rows of positive weight only, so the held-out
losses, alpha_ and the refitted model equal those of the fit without the rows.
"""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import GroupKFold, KFold

from glassbox.linear import SparseLinearClassifierCV, SparseLinearRegressorCV


def _data(n_samples=300, n_features=8, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features))
    score = X @ np.r_[1.0, -0.6, 0.3, np.zeros(n_features - 3)] + rng.normal(size=n_samples)
    dropped = rng.rand(n_samples) < 0.2
    return X, score, dropped, rng.randint(0, 25, size=n_samples)


def _assert_same_fit(weighted, dropped):
    np.testing.assert_allclose(weighted.cv_losses_, dropped.cv_losses_, rtol=1e-10, atol=1e-12)
    assert weighted.alpha_ == pytest.approx(dropped.alpha_, rel=1e-12)
    np.testing.assert_allclose(weighted.coef_, dropped.coef_, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(weighted.intercept_, dropped.intercept_, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("cv", [3, 5])
def test_regressor_zero_weight_rows_leave_the_folds_alone(cv):
    X, y, dropped, _ = _data()
    weights = np.where(dropped, 0.0, 1.0)
    weighted = SparseLinearRegressorCV(cv=cv).fit(X, y, sample_weight=weights)
    _assert_same_fit(weighted, SparseLinearRegressorCV(cv=cv).fit(X[~dropped], y[~dropped]))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_classifier_zero_weight_rows_leave_the_stratified_folds_alone(n_classes):
    X, score, dropped, _ = _data(seed=1)
    y = np.searchsorted(np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]), score)
    weights = np.where(dropped, 0.0, 1.0)
    weighted = SparseLinearClassifierCV(cv=4).fit(X, y, sample_weight=weights)
    _assert_same_fit(weighted, SparseLinearClassifierCV(cv=4).fit(X[~dropped], y[~dropped]))


def test_group_folds_split_the_groups_of_the_rows_that_count():
    X, y, dropped, groups = _data(seed=2)
    weights = np.where(dropped, 0.0, 2.5)  # the positive weights' scale does not matter either
    weighted = SparseLinearRegressorCV(cv=GroupKFold(4)).fit(X, y, sample_weight=weights, groups=groups)
    kept = SparseLinearRegressorCV(cv=GroupKFold(4)).fit(X[~dropped], y[~dropped], groups=groups[~dropped])
    _assert_same_fit(weighted, kept)


def test_folds_given_as_indices_are_used_as_given():
    X, y, dropped, _ = _data(seed=3)
    folds = list(KFold(3, shuffle=True, random_state=0).split(X))
    weights = np.where(dropped, 0.0, 1.0)
    given = SparseLinearRegressorCV(cv=folds).fit(X, y, sample_weight=weights)
    # the same folds without their zero-weight rows: those rows neither train nor score
    kept = [(train[~dropped[train]], test[~dropped[test]]) for train, test in folds]
    np.testing.assert_allclose(given.cv_losses_, SparseLinearRegressorCV(cv=kept).fit(
        X, y, sample_weight=weights).cv_losses_, rtol=1e-10, atol=1e-12)


def test_too_few_weighted_rows_for_the_folds_say_so():
    X, y, _, _ = _data(n_samples=12)
    weights = np.r_[np.ones(3), np.zeros(9)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="3 rows of positive sample_weight.*fewer folds"):
            SparseLinearRegressorCV(cv=5).fit(X, y, sample_weight=weights)
