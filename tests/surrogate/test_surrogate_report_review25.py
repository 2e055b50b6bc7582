"""Review 25 (b4, b6, b7, b9): fidelity report printout, multiclass figures, JSON read back, frontier grid."""

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import r2_score, roc_auc_score

import glassbox
from glassbox import RiskScoreClassifier, SparseLinearClassifier
from glassbox.explain._render import format_number
from glassbox.surrogate import FidelityFrontier, FidelityReport, fidelity_frontier, fidelity_report
from glassbox.surrogate import frontier as frontier_module


class FixedProba:
    """A 'model' that returns fixed probabilities for the rows it is given (by row id)."""

    def __init__(self, proba, classes):
        self.proba = np.asarray(proba, dtype=float)
        self.classes_ = np.asarray(classes)

    def predict_proba(self, X):
        return self.proba[np.asarray(X)[:, 0].astype(int)]


def _three_class_models(n=300, seed=0):
    rng = np.random.RandomState(seed)
    teacher = rng.dirichlet([2.0, 3.0, 1.0], size=n)
    student = 0.6 * teacher + 0.4 * rng.dirichlet([1.0, 1.0, 1.0], size=n)
    student[:, 2] = rng.dirichlet([1.0, 1.0, 1.0], size=n)[:, 2] * 0.5  # the last class copied poorly
    student /= student.sum(axis=1, keepdims=True)
    classes = ["high", "low", "mid"]
    return FixedProba(teacher, classes), FixedProba(student, classes), np.arange(n, dtype=float).reshape(-1, 1)


# -- b4: the worst rows of a regression report in the report's short number format --------------------------
def test_regression_worst_rows_print_predictions_in_the_short_number_format():
    X = pd.DataFrame({"x": np.linspace(0.0, 1.0, 50)}, index=np.arange(100, 150))
    report = fidelity_report(lambda Z: 13.257293019488356 + 100 * Z["x"].to_numpy() ** 2,
                             lambda Z: -175.32253090670017 + 90 * Z["x"].to_numpy(), X, task="regression")
    text = str(report)
    worst = text[text.index("worst rows:"):]
    assert not re.search(r"\d\.\d{6,}", worst), worst  # no long digit runs
    label, teacher, student, gap = report.worst_rows[0]
    assert f"{label}  {format_number(teacher)}" in worst and format_number(student) in worst
    html = report._repr_html_()
    assert format_number(teacher) in html and repr(float(teacher)) not in html
    # the values themselves are kept whole
    assert report.worst_rows_frame()["teacher"].iloc[0] == teacher


def test_classification_worst_rows_keep_their_labels():
    classes = [0.5, 1.5]  # float labels stay as they read, not reformatted as numbers
    teacher = FixedProba([[0.9, 0.1], [0.2, 0.8]], classes)
    student = FixedProba([[0.3, 0.7], [0.2, 0.8]], classes)
    text = str(fidelity_report(teacher, student, np.array([[0.0], [1.0]])))
    assert "0    0.5      1.5      0.6" in text
