"""fidelity_frontier(verbose=1) prints its progress: the grid's size, then one line per student."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

from glassbox import RiskScoreClassifier, SparseLinearClassifier
from glassbox.surrogate import fidelity_frontier


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:200, :6]
    return X, LogisticRegression(max_iter=5000).fit(X, y.iloc[:200])


def test_verbose_prints_one_line_per_student_with_its_fidelity(cancer, capsys):
    X, teacher = cancer
    students = {"two": SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=2),
                "score": RiskScoreClassifier(max_features=2)}
    frontier = fidelity_frontier(teacher, X, students=students, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "fidelity_frontier: 2 students on 200 rows"
    assert [line.split("]")[0] for line in lines[1:]] == ["[1/2", "[2/2"]
    for line, row in zip(lines[1:], frontier.rows):
        assert row["student"] in line
        assert f"agreement {row['fidelity']:.4f}" in line and " s, " in line


def test_verbose_prints_a_failed_students_error_and_silent_by_default(cancer, capsys):
    X, teacher = cancer
    X = X.copy()
    X.iloc[0, 0] = np.nan  # the sparse linear student cannot take a missing value; the score can
    students = {"linear": SparseLinearClassifier(max_features=2), "score": RiskScoreClassifier(max_features=2)}
    def labels(rows):
        return teacher.predict(rows.fillna(0))  # the grid hands the teacher the frame it was given

    fidelity_frontier(labels, X, students=students, task="classification")
    assert capsys.readouterr().out == ""
    frontier = fidelity_frontier(labels, X, students=students,
                                 task="classification", verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert frontier.rows[0]["error"] is not None
    assert lines[1].startswith("[1/2] ") and frontier.rows[0]["error"].splitlines()[0] in lines[1]
