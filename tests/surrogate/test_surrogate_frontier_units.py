"""A fidelity frontier states a risk score's complexity in conditions, in its text, plot and JSON."""

import json

import matplotlib
import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

from glassbox import RiskScoreClassifier, SparseLinearClassifier
from glassbox.surrogate import FidelityFrontier, fidelity_frontier

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :8]
    teacher = LogisticRegression(max_iter=5000).fit(X, y)
    return X, y, teacher


def test_frontier_counts_a_risk_score_in_conditions_not_points(cancer):
    X, _, teacher = cancer
    frontier = fidelity_frontier(teacher, X, students={"score": RiskScoreClassifier(max_features=3)}, target=0.5)
    row = frontier.rows[0]
    card = frontier.models[0].student_.explain_global()
    assert row["unit"] == "conditions" and row["complexity"] == np.count_nonzero(card.points)
    text = str(frontier)
    assert f"{row['complexity']} conditions" in text and " points" not in text
    ax = frontier.plot().ax_
    assert ax.get_xlabel() == "complexity (conditions)"
    # a payload written before the rename reads in the unit the docs define
    payload = frontier.to_dict()
    payload["rows"][0]["unit"] = "points"
    assert FidelityFrontier.from_dict(json.loads(json.dumps(payload))).rows[0]["unit"] == "conditions"


def test_frontier_writes_a_size_of_one_in_the_singular(cancer):
    X, _, teacher = cancer
    students = {"linear": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=1)}
    frontier = fidelity_frontier(teacher, X, students=students, target=0.5)
    assert frontier.rows[0]["complexity"] == 1 and frontier.rows[0]["unit"] == "terms"  # the unit stays plural
    text = str(frontier)
    assert "1 term " in text and "with 1 term (" in text and "1 terms" not in text
    assert "at 1 term." in frontier.plot().alt_text_
