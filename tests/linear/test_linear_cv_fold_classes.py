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


def test_rows_of_weight_zero_count_as_absent_on_each_side_of_a_fold():
    """Class z weightless in fold 1's training rows: that fold is left out; weightless only where fold 1 holds it
    out: no fold is (its held-out rows then lack z too)."""
    X, _ = _data([0] * 60)
    y = np.array(["x", "y", "z"] * 20)
    folds = [(np.arange(0, 40), np.arange(40, 60)), (np.arange(20, 60), np.arange(0, 20))]
    in_training = np.where((y == "z") & (np.arange(60) < 40), 0.0, 1.0)
    with pytest.warns(UserWarning, match=r"fold 1 of 2 \(class 'z'\)"):
        model = SparseLinearClassifierCV(cv=folds, n_alphas=5).fit(X, y, sample_weight=in_training)
    assert np.isnan(model.cv_losses_).all(axis=0).tolist() == [True, False]
    held_out_only = np.where((y == "z") & (np.arange(60) >= 40), 0.0, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = SparseLinearClassifierCV(cv=folds, n_alphas=5).fit(X, y, sample_weight=held_out_only)
    assert np.all(np.isfinite(model.cv_losses_))


def test_a_class_of_one_row_is_named_as_the_cause_not_the_folds():
    # stratified folds are already the default: advising them for a class of one row pointed at no fix
    X, _ = _data([0] * 100)
    y = np.where(X["a"] > 0, "x", "y")
    y[7] = "z"
    with pytest.warns(UserWarning, match=r"Class 'z' has a single row of positive weight.*give it more rows") as caught:
        SparseLinearClassifierCV(n_alphas=5).fit(X, y)
    assert not any("StratifiedKFold" in str(w.message) for w in caught)
