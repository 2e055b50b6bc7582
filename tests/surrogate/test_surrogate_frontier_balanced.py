"""A frontier on agreement prints each copy's balanced agreement beside it.

With a rare class (here 2% of the rows) a copy that never predicts it agrees with its
teacher on nearly every row; only the mean of the per-class agreements says it misses one.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox import SparseLinearClassifier
from glassbox.explain._render import format_number
from glassbox.surrogate import FidelityFrontier, fidelity_frontier


@pytest.fixture(scope="module")
def severity():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(size=600), "amount": rng.normal(size=600)})
    score = X["age"] + X["amount"] + rng.normal(0, 0.3, 600)
    y = np.where(score < 0, "none", np.where(score < np.quantile(score, 0.98), "small", "total loss"))
    teacher = LogisticRegression(C=100.0, max_iter=5000).fit(X, y)
    students = {"one term": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=1)}
    return X, teacher, fidelity_frontier(teacher, X, students=students, target=0.7)


def test_the_table_and_the_choice_show_the_balanced_agreement(severity):
    _, teacher, frontier = severity
    row = frontier.rows[0]
    assert row["balanced_agreement"] < row["fidelity"] - 0.1  # the copy misses the rare class
    balanced = format_number(row["balanced_agreement"])
    lines = str(frontier).splitlines()
    assert lines[1].split()[-2:] == ["agreement", "balanced_agreement"]
    assert lines[3].split()[-1] == balanced
    assert f"({format_number(row['fidelity'])}, balanced agreement {balanced})" in lines[-1]
    html = frontier._repr_html_()
    assert ">balanced_agreement</th>" in html and f">{balanced}</td></tr>" in html


def test_the_json_copy_prints_the_same(severity):
    _, _, frontier = severity
    assert str(FidelityFrontier.from_json(frontier.to_json())) == str(frontier)


def test_another_metric_keeps_its_own_columns(severity):
    X, teacher, _ = severity
    students = {"one term": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=1)}
    frontier = fidelity_frontier(teacher, X, students=students, target=None, metric="probability_mae")
    assert "balanced_agreement" not in str(frontier)
