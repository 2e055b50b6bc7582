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
