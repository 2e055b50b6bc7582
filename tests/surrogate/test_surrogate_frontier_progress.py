"""fidelity_frontier(verbose=1) prints its progress, in the estimators' format: the grid's size, then one line per
student, then the total."""

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
    assert len(lines) == 4 and all(line.startswith("[fidelity_frontier] ") and line.endswith(" s)") for line in lines)
    assert lines[0].startswith("[fidelity_frontier] 2 students on 200 rows (")
    assert [line.split()[1] for line in lines[1:3]] == ["1/2", "2/2"]
    for line, row in zip(lines[1:3], frontier.rows):
        assert row["student"] in line
        assert f"agreement {row['fidelity']:.4f}" in line and " s, " in line
    assert lines[3].startswith("[fidelity_frontier] fitted 2 students (")


def test_verbose_2_adds_each_copys_stages_and_fits_the_same(cancer, capsys):
    X, teacher = cancer
    students = [SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=1)]
    quiet = fidelity_frontier(teacher, X, students=students)
    assert capsys.readouterr().out == ""
    loud = fidelity_frontier(teacher, X, students=students, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("[fidelity_frontier] 1 student on 200 rows (")
    assert any(line.startswith("[DistilledClassifier] ") for line in lines)
    # printing changes nothing fitted (the rows differ only in their fit times)
    assert [(r["fidelity"], r["complexity"]) for r in loud.rows] == [(r["fidelity"], r["complexity"]) for r in quiet.rows]
    assert loud.models[0].student_.explain_global() == quiet.models[0].student_.explain_global()


@pytest.mark.parametrize("verbose", [-1, 1.5, "yes"])
def test_a_bad_verbose_is_refused_before_any_fit(cancer, verbose):
    X, teacher = cancer
    with pytest.raises(ValueError, match="verbose must be a non-negative int"):
        fidelity_frontier(teacher, X, students=[SparseLinearClassifier(max_features=1)], verbose=verbose)


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
    assert lines[1].startswith("[fidelity_frontier] 1/2 ") and frontier.rows[0]["error"].splitlines()[0] in lines[1]
