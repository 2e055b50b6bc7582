"""DecisionSetClassifier: fits that do not depend on how the labels are called, probabilities of the rows
each rule decides, and ``pos_label``."""

import os
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import DecisionSetClassifier
from glassbox.rules._decision_set_tuning import row_groups, validation_folds
from glassbox.rules.mining import bitset_from_mask

HEART = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "datasets", "heart.csv")


@pytest.fixture(scope="module")
def heart():
    if not os.path.exists(HEART):
        pytest.skip("the shared datasets are not part of the repository")
    frame = pd.read_csv(HEART)
    return frame.drop(columns="heart_disease"), frame["heart_disease"].to_numpy()


def _fitted_form(model, event):
    """The rules with their class read as 'the event or not', the trials' accuracies and the event's probabilities."""
    rules = [(str(rule), rule.predicted_class == event) for rule in model.rules_]
    trials = [(t["rule_classes"], t["validation_accuracy"]) for t in model.weight_search_]
    return rules, trials, model.rule_classes_


@pytest.mark.parametrize("names", [(1, 0), ("healthy", "disease"), ("b_healthy", "a_disease")])
def test_the_fitted_set_does_not_depend_on_the_labels_names(heart, names):
    # Renaming the labels reorders the class codes; the folds, candidates and ties must not follow them.
    X, y = heart
    reference = DecisionSetClassifier(random_state=0).fit(X, y)
    healthy, disease = names
    renamed = np.where(y == 1, disease, healthy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = DecisionSetClassifier(random_state=0).fit(X, renamed)
    assert _fitted_form(model, disease) == _fitted_form(reference, 1)
    event = list(model.classes_).index(disease)
    np.testing.assert_allclose(model.predict_proba(X)[:, event], reference.predict_proba(X)[:, 1], rtol=1e-12)


def test_validation_folds_do_not_follow_the_class_codes():
    rng = np.random.RandomState(3)
    y = rng.randint(0, 3, 300)
    weights = rng.randint(0, 3, 300).astype(float)
    bits = bitset_from_mask(rng.rand(12, 300) < 0.3)
    for recode in ([2, 0, 1], [1, 2, 0], [2, 1, 0]):
        recoded = np.asarray(recode)[y]
        for n_folds in (1, 2):
            same = validation_folds(y, weights, 3, n_folds, 0, row_groups(bits, y, 300))
            renamed = validation_folds(recoded, weights, 3, n_folds, 0, row_groups(bits, recoded, 300))
            np.testing.assert_array_equal(same, renamed)
