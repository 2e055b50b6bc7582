"""A risk score given several classes refuses them by name and says which families take them."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox import RiskScoreClassifier, SparseLinearClassifier, fidelity_frontier
from glassbox.surrogate import DistilledClassifier

MULTICLASS_FAMILIES = ("GAMClassifier", "SparseLinearClassifier", "BayesianRuleListClassifier",
                       "DecisionSetClassifier")


@pytest.fixture(scope="module")
def claims():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(size=200), "amount": rng.normal(size=200)})
    score = X["age"] + X["amount"]
    y = np.where(score < -0.5, "none", np.where(score < 1.0, "small", "total loss"))
    return X, y


def _refusal(call):
    with pytest.raises(ValueError) as caught:
        call()
    message = str(caught.value)
    assert "Only binary classification is supported" in message  # scikit-learn's words, first
    assert "3 classes ['none', 'small', 'total loss']" in message
    assert all(name in message for name in MULTICLASS_FAMILIES)
    return message


def test_three_classes_are_refused_by_name(claims):
    X, y = claims
    _refusal(lambda: RiskScoreClassifier().fit(X, y))


def test_integer_bands_are_listed_as_numbers(claims):
    X, y = claims
    bands = pd.Series(y).map({"none": 10, "small": 20, "total loss": 30}).to_numpy()
    with pytest.raises(ValueError, match=r"3 classes \[10, 20, 30\]"):
        RiskScoreClassifier().fit(X, bands)


def test_a_risk_score_copy_of_a_three_class_teacher_says_the_same(claims):
    X, y = claims
    teacher = LogisticRegression().fit(X, y)
    _refusal(lambda: DistilledClassifier(teacher=teacher, student=RiskScoreClassifier()).fit(X))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frontier = fidelity_frontier(teacher, X, students={"card": RiskScoreClassifier(),
                                                           "lasso": SparseLinearClassifier()})
    assert "3 classes ['none', 'small', 'total loss']" in frontier.rows[0]["error"]
