"""Regression tests for the eleventh review of the surrogate module."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox.surrogate import DistilledClassifier, fidelity_report
from surrogate_toys import ToyLogisticClassifier


def _labelled_rows(labels, n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.where(X[:, 0] + 0.5 * X[:, 1] + 0.3 * rng.normal(size=n) > 0, labels[1], labels[0])
    return X, y


class _ServedClient:
    """A served model's client: predict_proba only, no classes_ and no predict."""

    def __init__(self, model):
        self.model = model

    def predict_proba(self, X):
        return self.model.predict_proba(X)


# -- 1. a teacher that does not know its classes gets the copy's --------------------------
@pytest.mark.parametrize("labels", [("no", "yes"), (-1, 1), (1, 2)])
@pytest.mark.parametrize("wrap", ["function", "client"])
def test_teacher_without_classes_keeps_the_labels_of_y(labels, wrap):
    X, y = _labelled_rows(labels)
    model = LogisticRegression().fit(X, y)
    teacher = (lambda Z: model.predict_proba(Z)) if wrap == "function" else _ServedClient(model)
    copy = DistilledClassifier(teacher, ToyLogisticClassifier(), random_state=0).fit(X, y)
    assert list(copy.classes_) == sorted(labels)
    assert copy.fidelity_.agreement > 0.95
    report = copy.fidelity_report(X)
    assert report.metrics == copy.fidelity_.metrics
    assert [c for c, _, _ in report.per_class] == sorted(labels)
    np.testing.assert_array_equal(copy.predict(X), model.predict(X))


def test_fidelity_report_names_a_functions_columns_with_classes():
    X, y = _labelled_rows(("no", "yes"))
    model = LogisticRegression().fit(X, y)
    report = fidelity_report(lambda Z: model.predict_proba(Z), model, X, task="classification",
                             classes=model.classes_)
    assert report.agreement == 1.0
    assert report.probability_r2 == pytest.approx(1.0)
    with pytest.raises(ValueError, match="probabilities for 2 classes, but 3 class labels"):
        fidelity_report(lambda Z: model.predict_proba(Z), model, X, task="classification", classes=["a", "b", "c"])
