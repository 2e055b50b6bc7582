"""fidelity_frontier checks its target and students before fitting the grid, so its JSON always loads."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from glassbox import SparseLinearClassifier
from glassbox.surrogate import FidelityFrontier, fidelity_frontier


@pytest.fixture(scope="module")
def teacher_and_rows():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 2))
    return LogisticRegression().fit(X, (X[:, 0] > 0).astype(int)), X


def _students():
    return [SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=1)]


@pytest.mark.parametrize("target", [float("nan"), np.inf, "high", True])
def test_a_target_that_is_no_finite_number_is_refused(teacher_and_rows, target):
    teacher, X = teacher_and_rows
    with pytest.raises(ValueError, match="target must be a finite number .* or None, got"):
        fidelity_frontier(teacher, X, students=_students(), target=target)


@pytest.mark.parametrize("target", [np.float32(0.9), np.float64(0.9), 1, None])
def test_a_numpy_or_int_target_is_kept_as_a_float_and_round_trips(teacher_and_rows, target):
    teacher, X = teacher_and_rows
    frontier = fidelity_frontier(teacher, X, students=_students(), target=target)
    assert frontier.target is None if target is None else type(frontier.target) is float
    assert FidelityFrontier.from_json(frontier.to_json()) == frontier


@pytest.mark.parametrize("students", [[], {}])
def test_no_students_is_refused(teacher_and_rows, students):
    teacher, X = teacher_and_rows
    with pytest.raises(ValueError, match="students is empty: pass at least one glassbox estimator"):
        fidelity_frontier(teacher, X, students=students)


@pytest.mark.parametrize("key", [1, ("a", "b")])
def test_a_student_named_by_a_key_that_is_no_text_is_refused(teacher_and_rows, key):
    teacher, X = teacher_and_rows
    with pytest.raises(TypeError, match="students' keys name the rows of the frontier and must be str, got"):
        fidelity_frontier(teacher, X, students={key: _students()[0]})


def test_named_students_print_and_round_trip(teacher_and_rows):
    teacher, X = teacher_and_rows
    frontier = fidelity_frontier(teacher, X, students={"one term": _students()[0]})
    assert "one term" in str(frontier)
    assert FidelityFrontier.from_json(frontier.to_json()) == frontier


def _served_proba(X):  # a served model's function: probabilities of [good, bad], in that column order
    p = 1.0 / (1.0 + np.exp(-3.0 * np.asarray(X)[:, 0]))
    return np.column_stack([1.0 - p, p])


def test_classes_name_a_function_teachers_columns_and_imply_classification():
    X = np.random.RandomState(0).normal(size=(200, 3))
    students = {"sl": SparseLinearClassifier()}
    frontier = fidelity_frontier(_served_proba, X, students=students, classes=["good", "bad"])
    assert frontier.rows[0]["error"] is None and frontier.rows[0]["fidelity"] > 0.95
    assert list(frontier.models[0].classes_) == ["bad", "good"]
    # the copy's labels are the named ones: "bad" where the teacher's second column wins
    np.testing.assert_array_equal(frontier.models[0].predict(X) == "bad", _served_proba(X)[:, 1] > 0.5)
    with pytest.raises(ValueError, match=r"returned probabilities for 2 classes, but 3 class labels"):
        fidelity_frontier(_served_proba, X, students=students, classes=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"classes=.*task='regression'.*Drop classes="):
        fidelity_frontier(lambda Z: Z[:, 0], X, students=students, task="regression", classes=["a", "b"])


def test_held_out_rows_without_the_columns_of_x_are_refused_before_the_grid():
    # every student would be fitted, then fail on X_eval: the frontier said no student could be fitted
    import pandas as pd

    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(200, 3)), columns=["income", "age", "debt"])
    teacher = LogisticRegression().fit(X, (X["income"] > 0).astype(int))
    fitted = []

    class Counted(SparseLinearClassifier):
        def fit(self, X, y, sample_weight=None):
            fitted.append(self)
            return super().fit(X, y, sample_weight=sample_weight)

    for X_eval, named in [(X[["income", "age"]], r"the columns \['income', 'age'\]"),
                          (X[["age", "income", "debt"]], r"the columns \['age', 'income', 'debt'\]"),
                          (X[["income", "age"]].to_numpy(), "2 columns")]:
        with pytest.raises(ValueError, match=rf"X_eval has {named}, where X has .*X_eval\[X.columns\]"):
            fidelity_frontier(teacher, X, X_eval=X_eval, students=[Counted(penalty="l0", alpha=0.0, max_features=1)])
    assert not fitted
    # the same columns in a frame of another index, or an array of as many columns, are measured as before
    frontier = fidelity_frontier(teacher, X, X_eval=X.iloc[:50].reset_index(drop=True), students=_students())
    assert frontier.rows[0]["error"] is None and frontier.evaluated_on == "held-out rows"
