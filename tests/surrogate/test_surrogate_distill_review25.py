"""Review 25: distilled copies read as their students, name a card's teacher column, take a teacher's class
order, and fit rule-list students on wide numeric tables."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

from glassbox import BayesianRuleListClassifier, RiskScoreClassifier, reason_codes
from glassbox.surrogate import DistilledClassifier


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :8]
    labels = np.where(y == 1, "benign", "malignant")  # classes_ = [benign, malignant]
    teacher = LogisticRegression(max_iter=5000).fit(X, labels)
    return X, labels, teacher


def _same_reading(copy_local, student_local):
    """The copy's local explanation is its student's, bar the label and the fidelity."""
    np.testing.assert_array_equal(copy_local.contributions, student_local.contributions)
    np.testing.assert_array_equal(copy_local.base_value, student_local.base_value)
    assert copy_local.pos_label == student_local.pos_label
    assert copy_local.orientation == student_local.orientation
    assert copy_local.output_name == student_local.output_name
    copy_rows = [line.replace(" (approximation)", "") for line in str(copy_local).splitlines()[1:]
                 if not line.startswith("fidelity")]
    assert copy_rows == str(student_local).splitlines()[1:]


@pytest.mark.parametrize("student", [
    RiskScoreClassifier(max_features=3, pos_label="benign"),
    BayesianRuleListClassifier(n_iter=300, n_chains=2, pos_label="benign", random_state=0),
], ids=["risk score", "rule list"])
def test_copy_about_the_first_class_explains_rows_as_its_student(cancer, student):
    """A copy whose student describes classes_[0] reads its rows toward that event, as the student does:
    before, the copy lost the student's pos_label and printed a card's points negated (review 25 b2)."""
    X, labels, teacher = cancer
    copy = DistilledClassifier(teacher, student, random_state=0).fit(X)
    rows = X.iloc[:6]
    local, own = copy.explain_local(rows), copy.student_.explain_local(rows)
    assert local.pos_label == "benign" and local.orientation == -1
    _same_reading(local, own)
    assert local.approximate and local.fidelity["agreement"] == copy.fidelity_.agreement
    # reason codes quote the student's figures, with the copy's fidelity lines added
    adverse = "benign"
    ours = reason_codes(copy, rows, reference=X, adverse=adverse, n_reasons=2)
    theirs = reason_codes(copy.student_, rows, reference=X, adverse=adverse, n_reasons=2)
    pd.testing.assert_frame_equal(ours.to_frame(), theirs.to_frame())


def test_card_copy_prints_the_cards_intercept_and_total(cancer):
    X, labels, teacher = cancer
    copy = DistilledClassifier(teacher, RiskScoreClassifier(max_features=3, pos_label="benign"),
                               random_state=0).fit(X)
    card = copy.student_
    text = str(copy.explain_local(X.iloc[[0]]))
    assert "decision_function = -(SCORE + intercept)" in text
    lines = [line.split() for line in text.splitlines()]
    base = next(line[-1] for line in lines if line[:2] == ["base", "value"])
    assert int(base) == card.intercept_
