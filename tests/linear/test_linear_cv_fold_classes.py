"""SparseLinearClassifierCV: a fold whose training rows lack a class its held-out rows hold does not choose alpha."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold, StratifiedKFold

from glassbox import SparseLinearClassifierCV


def _data(labels):
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=len(labels)), "b": rng.normal(size=len(labels))})
    return X, np.asarray(labels)


def test_binary_folds_trained_on_one_class_are_refused_naming_stratified_folds():
    X, y = _data([0] * 30 + [1] * 30)  # rows sorted by class: each unshuffled half holds one class
    with pytest.raises(ValueError) as refused:
        SparseLinearClassifierCV(cv=KFold(2), n_alphas=5).fit(X, y)
    message = str(refused.value)
    assert "every fold" in message and "StratifiedKFold" in message and "shuffle" in message


def test_multiclass_fold_without_a_class_is_left_out_with_a_warning():
    X, y = _data(["x"] * 28 + ["y"] * 29 + ["z"] * 3)
    with pytest.warns(UserWarning, match=r"fold 3 of 3.*class 'z'") as caught:
        model = SparseLinearClassifierCV(cv=KFold(3), n_alphas=5).fit(X, y)
    assert "StratifiedKFold" in str(caught[0].message)
    assert len(caught) == 1 and "That fold is left out of the choice of alpha" in str(caught[0].message)
    # the unshuffled thirds: only the last (held-out y and z) was trained without z
    assert np.all(np.isnan(model.cv_losses_[:, 2]))
    assert np.all(np.isfinite(model.cv_losses_[:, :2]))
    kept = np.argmin(model.cv_losses_[:, :2].mean(axis=1))
    assert model.alpha_ == model.alphas_[kept]


def test_stratified_folds_are_not_warned_of():
    X, y = _data(["x"] * 28 + ["y"] * 29 + ["z"] * 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = SparseLinearClassifierCV(cv=StratifiedKFold(3), n_alphas=5).fit(X, y)
    assert np.all(np.isfinite(model.cv_losses_))


def test_a_class_missing_from_a_fold_s_training_and_held_out_rows_is_no_harm():
    """A class only rows of weight zero hold in a fold, on both sides, changes none of that fold's losses."""
    X, y = _data(["x", "y"] * 30)
    w = np.ones(60)
    folds = [(np.arange(0, 40), np.arange(40, 60)), (np.arange(20, 60), np.arange(0, 20))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = SparseLinearClassifierCV(cv=folds, n_alphas=5).fit(X, y, sample_weight=w)
    assert np.all(np.isfinite(model.cv_losses_))
