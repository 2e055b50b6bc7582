"""A label that only rows of weight zero hold: no class of a teacher fitted here, and named when a given teacher knows it."""

import warnings

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from glassbox import DistilledClassifier, SparseLinearClassifier


def _data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] > 0).astype(int)
    y[:10] = 7  # a label whose rows weigh nothing
    weights = np.ones(len(y))
    weights[:10] = 0.0
    return X, y, weights


@pytest.mark.parametrize("target", ["probabilities", "labels"])
def test_a_class_a_given_teacher_knows_but_no_weighted_row_holds_is_named(target):
    X, y, weights = _data()
    teacher = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y, sample_weight=weights)
    model = DistilledClassifier(teacher, student=SparseLinearClassifier(), target=target)
    with pytest.raises(ValueError) as refusal:
        model.fit(X, y, sample_weight=weights)
    message = str(refusal.value)
    assert "knows the classes [0, 1, 7]" in message and "no weight to [7]" in message
    assert "np.int64" not in message
    # only a copy of labels is told to copy probabilities instead
    assert ("target='probabilities'" in message) == (target == "labels")


@pytest.mark.parametrize("target", ["probabilities", "labels"])
def test_a_teacher_fitted_here_leaves_out_a_class_held_only_by_weightless_rows(target):
    X, y, weights = _data()
    teacher = HistGradientBoostingClassifier(max_iter=20, random_state=0)
    model = DistilledClassifier(teacher, student=SparseLinearClassifier(), target=target)
    with pytest.warns(UserWarning, match=r"Class 7 has sample_weight 0 in every row \(10 rows\)"):
        model.fit(X, y, sample_weight=weights)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the rows dropped: nothing to warn of
        dropped = DistilledClassifier(teacher, student=SparseLinearClassifier(), target=target).fit(X[10:], y[10:])
    assert model.classes_.tolist() == model.teacher_.classes_.tolist() == [0, 1]
    assert model.explain_global().to_json() == dropped.explain_global().to_json()
