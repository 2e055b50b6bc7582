"""A multiclass Wald report reads each class against a reference class: the interval plot says so.

Asking it for the reference class (or for no class) used to answer that the model had 2 classes,
[0, 1], when it has three (-1, 0, 1) and -1 is the one the others are read against.
"""

import warnings

import pytest

from glassbox import SparseLinearClassifier, coefficient_inference
from glassbox.plotting import CoefficientIntervalDisplay
from banded_targets import ratings


@pytest.fixture(scope="module")
def bands():
    X, y = ratings(400, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SparseLinearClassifier(alpha=0.0).fit(X, y)
    return X, y, model, coefficient_inference(model, X, y)


def test_the_reference_class_is_named_as_such(bands):
    *_, report = bands
    assert report.reference_class == -1
    with pytest.raises(ValueError) as caught:
        CoefficientIntervalDisplay.from_explanation(report, target_class=-1)
    message = str(caught.value)
    assert "target_class=-1 has no rows: the report reads each class against the reference class -1" in message
    assert "Pass one of [0, 1], or compute the report with reference_class=<another class>" in message
    assert "model's classes" not in message


def test_no_target_class_is_answered_with_the_contrasts(bands):
    *_, report = bands
    with pytest.raises(ValueError, match=r"reads each class against the reference class -1; pass target_class=<one "
                                         r"of \[0, 1\]>"):
        CoefficientIntervalDisplay.from_explanation(report)


def test_the_reference_class_is_drawn_once_another_is_the_reference(bands):
    X, y, model, _ = bands
    display = CoefficientIntervalDisplay.from_estimator(model, X, y, target_class=-1, reference_class=1)
    assert "odds of -1 against 1" in display.ax_.get_xlabel()
