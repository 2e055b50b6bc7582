"""A multiclass GAM's edits name the class by its label: a boolean or a list is refused, not read as class 1."""

import warnings

import numpy as np
import pytest

from glassbox import GAMClassifier
from banded_targets import ratings


@pytest.fixture(scope="module")
def bands():
    X, y = ratings(300, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return X, GAMClassifier(interactions=0, outer_bags=1, random_state=0).fit(X, y)


@pytest.mark.parametrize("target_class", [True, np.array([1]), np.bool_(False)], ids=["True", "array", "np.False_"])
def test_a_value_only_equal_to_a_label_is_refused(bands, target_class):
    X, model = bands
    before = model.predict_proba(X)
    with pytest.raises(ValueError, match=r"is not a class of this model; the classes are \[-1, 0, 1\]"):
        model.clip_scores("age", upper=0.0, target_class=target_class)
    np.testing.assert_array_equal(model.predict_proba(X), before)  # nothing was edited


def test_the_label_edits_its_own_column(bands):
    X, model = bands
    import copy

    before = np.asarray(model.explain_global().terms[0].scores)
    explanation = copy.deepcopy(model).clip_scores("age", upper=0.0, target_class=np.int64(1)).explain_global()
    assert explanation.terms[0].name == "age" and explanation.edits[0].parameters["target_class"] == 1
    changed = np.abs(np.asarray(explanation.terms[0].scores) - before).max(axis=0) > 0
    assert changed.tolist() == [c == 1 for c in model.classes_]
