"""A teacher whose classes_ are not sorted (a severity order, ['yes', 'no']) is copied like any other.

The copy lists its classes sorted, as scikit-learn does, and reads the teacher's columns by their
labels: its probabilities, its margin and its labels follow the classes they belong to.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from glassbox import DecisionSetClassifier, SparseLinearClassifier, fidelity_frontier, fidelity_report
from glassbox.surrogate import DistilledClassifier
from banded_targets import age_amount_score, banded


class ClassesInOwnOrder(ClassifierMixin, BaseEstimator):
    """A logistic regression that lists its classes in the order given (its columns follow it)."""

    def __init__(self, order=None, margin_only=False):
        self.order = order
        self.margin_only = margin_only

    def fit(self, X, y):
        self.model_ = LogisticRegression(C=100.0, max_iter=5000).fit(X, y)
        self.classes_ = np.asarray(self.order, dtype=object)
        self.columns_ = [list(self.model_.classes_).index(c) for c in self.order]
        if self.margin_only:
            self.decision_function = self._margin
        else:
            self.predict_proba = self._proba
        return self

    def _proba(self, X):
        return self.model_.predict_proba(X)[:, self.columns_]

    def _margin(self, X):
        margin = self.model_.decision_function(X)
        return margin if self.columns_ == [0, 1] else -margin  # the log-odds of classes_[1]

    def predict(self, X):
        return self.model_.predict(X)


@pytest.fixture(scope="module")
def claims():
    X, score = age_amount_score(500, seed=0, amount_weight=1.0, noise=0.3)
    severity = banded(score, [-0.5, 1.5], ["none", "small", "total loss"])
    return X, severity, np.where(score > 0, "yes", "no")


@pytest.mark.parametrize("student", [SparseLinearClassifier(alpha=0.0), DecisionSetClassifier(random_state=0)],
                         ids=["probabilities", "labels"])
def test_a_severity_ordered_teacher_is_copied_with_sorted_classes(claims, student):
    X, severity, _ = claims
    teacher = ClassesInOwnOrder(order=["total loss", "none", "small"]).fit(X, severity)
    sorted_teacher = ClassesInOwnOrder(order=["none", "small", "total loss"]).fit(X, severity)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copy = DistilledClassifier(teacher=teacher, student=student, random_state=0).fit(X)
        sorted_copy = DistilledClassifier(teacher=sorted_teacher, student=student, random_state=0).fit(X)
    assert copy.classes_.tolist() == ["none", "small", "total loss"]
    # the same model as the copy of the teacher listing its classes sorted
    np.testing.assert_allclose(copy.predict_proba(X), sorted_copy.predict_proba(X), rtol=1e-9, atol=1e-12)
    report = fidelity_report(teacher, copy, X)
    assert report.metrics["agreement"] == pytest.approx(np.mean(copy.predict(X) == teacher.predict(X)))
    if student.__class__ is SparseLinearClassifier:  # soft targets: the probabilities follow their classes
        teacher_proba = pd.DataFrame(teacher.predict_proba(X), columns=teacher.classes_)[copy.classes_]
        for k in range(3):  # sharpened (temperature), but each column follows its class's
            assert np.corrcoef(copy.predict_proba(X)[:, k], teacher_proba.to_numpy()[:, k])[0, 1] > 0.9


@pytest.mark.parametrize("margin_only", [False, True], ids=["probabilities", "margin"])
def test_a_binary_teacher_listing_yes_before_no_is_copied(claims, margin_only):
    X, _, answer = claims
    teacher = ClassesInOwnOrder(order=["yes", "no"], margin_only=margin_only).fit(X, answer)
    copy = DistilledClassifier(teacher=teacher, student=SparseLinearClassifier(alpha=0.0), random_state=0).fit(X)
    assert copy.classes_.tolist() == ["no", "yes"]
    assert np.mean(copy.predict(X) == teacher.predict(X)) > 0.97
    if not margin_only:
        assert np.corrcoef(copy.predict_proba(X)[:, 1], teacher.predict_proba(X)[:, 0])[0, 1] > 0.99


def test_the_frontier_copies_a_severity_ordered_teacher(claims):
    X, severity, _ = claims
    teacher = ClassesInOwnOrder(order=["total loss", "none", "small"]).fit(X, severity)
    frontier = fidelity_frontier(teacher, X, students=[SparseLinearClassifier(alpha=0.0)], target=0.9)
    assert frontier.rows[0]["error"] is None and frontier.rows[0]["fidelity"] > 0.9
