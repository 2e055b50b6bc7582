"""Review 28: the user's global scikit-learn settings, weighted teachers and missing values."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

from glassbox import GAMClassifier, RiskScoreClassifier
from glassbox.surrogate import DistilledClassifier, fidelity_frontier, fidelity_report


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:200, :5]
    y = y.iloc[:200]
    teacher = LogisticRegression(max_iter=5000).fit(X, y)
    return X, y, teacher


def _gam():
    return GAMClassifier(interactions=0, outer_bags=1, max_bins=16, random_state=0)


def _figures(X, teacher):
    """What a pandas user reads from the three surrogate entry points, as text and numbers."""
    student = _gam().fit(X, teacher.predict(X))
    report = fidelity_report(teacher, student, X)
    copy = DistilledClassifier(teacher, _gam(), random_state=0).fit(X)
    frontier = fidelity_frontier(teacher, X, students={"score": RiskScoreClassifier(max_features=2)}, target=0.5)
    return str(report), report.segments_frame(), str(copy.fidelity_), copy.predict_proba(X), str(frontier)


def test_global_pandas_output_leaves_the_surrogate_figures_unchanged(cancer):
    # transform_output="pandas" makes the public FeatureBinner return a frame; the segment table indexes its codes
    X, _, teacher = cancer
    expected = _figures(X, teacher)
    with sklearn.config_context(transform_output="pandas"):
        got = _figures(X, teacher)
    assert got[0] == expected[0] and got[2] == expected[2] and got[4] == expected[4]
    pd.testing.assert_frame_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[3], expected[3])
