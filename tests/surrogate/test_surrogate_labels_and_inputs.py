"""Row labels in fidelity reports, the fidelity a copy's explanations carry, bad teachers, polars
input, the frontier's units and convergence warnings, and LocalSurrogate's sample weights."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from glassbox import GAMClassifier, SparseLinearClassifier
from glassbox.explain import GlobalExplanation
from glassbox.surrogate import (DistilledClassifier, DistilledRegressor, LocalSurrogate, fidelity_frontier,
                                fidelity_report)


def _frame(n=300, seed=0, start=10_000):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "c": rng.normal(size=n)})
    X.index = X.index + start
    y = (X.a + X.b**2 - 0.5 * X.c + 0.5 * rng.normal(size=n) > 1).astype(int)
    return X, y


@pytest.fixture(scope="module")
def teacher_and_student():
    X, y = _frame()
    teacher = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(X, y)
    student = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=1).fit(X, teacher.predict(X))
    return X, teacher, student


# -- worst rows are named by the frame's index ---------------------------------------------------
def test_worst_rows_are_index_labels_that_find_the_row(teacher_and_student):
    X, teacher, student = teacher_and_student
    part = X.iloc[100:300]
    report = fidelity_report(teacher, student, part)
    assert report.worst_rows
    labels = report.worst_rows_frame()["row"].tolist()
    assert set(labels) <= set(part.index) and min(labels) >= 10_100
    for label, t, s, _ in report.worst_rows:
        row = part.loc[[label]]  # X.loc[row] finds the very row the report speaks of
        assert teacher.predict(row)[0] == t and student.predict(row)[0] == s
    assert str(labels[0]) in str(report)


def test_worst_rows_of_an_array_are_positions(teacher_and_student):
    X, teacher, student = teacher_and_student
    part = X.iloc[100:300]
    framed = fidelity_report(teacher, student, part)
    plain = fidelity_report(teacher, student, part.to_numpy())
    assert [r - 10_100 for r, *_ in framed.worst_rows] == [r for r, *_ in plain.worst_rows]


def test_worst_row_labels_of_any_index_type_go_to_json(teacher_and_student):
    X, teacher, student = teacher_and_student
    dated = X.set_axis(pd.date_range("2024-01-01", periods=len(X), freq="D"))
    report = fidelity_report(teacher, student, dated)
    payload = json.loads(report.to_json())
    assert payload["worst_rows"][0][0] == {"timestamp": report.worst_rows[0][0].isoformat()}
    assert report.worst_rows[0][0].strftime("%Y-%m-%d") in str(report)


# -- a copy's explanations carry its fidelity, measured on the training rows ----------------------
@pytest.fixture(scope="module")
def copy_and_rows():
    X, y = _frame(n=250)
    copy = DistilledClassifier(HistGradientBoostingClassifier(max_iter=20, random_state=0),
                               GAMClassifier(interactions=0, outer_bags=2), random_state=0).fit(X, y)
    return copy, X


def test_global_explanation_carries_the_training_row_fidelity(copy_and_rows):
    copy, X = copy_and_rows
    explanation = copy.explain_global()
    assert explanation.fidelity["measured_on"] == "training rows"
    assert explanation.fidelity["n_samples"] == len(X)
    assert explanation.fidelity["agreement"] == copy.fidelity_.agreement
    assert "fidelity on 250 training rows: agreement=" in str(explanation).splitlines()[1]
    text = explanation.to_json()
    again = GlobalExplanation.from_json(text)
    assert again.fidelity == explanation.fidelity and again.to_json() == text
    np.testing.assert_array_equal(again.decision_function(X), copy.decision_function(X))


def test_payloads_without_fidelity_still_load_and_other_models_write_none(copy_and_rows):
    copy, X = copy_and_rows
    payload = copy.explain_global().to_dict()
    del payload["fidelity"]  # as written before the field existed
    older = GlobalExplanation.from_dict(payload)
    assert older.fidelity is None and "training rows" not in str(older)
    np.testing.assert_array_equal(older.decision_function(X), copy.decision_function(X))
    assert "fidelity" not in copy.student_.explain_global().to_dict()


def test_local_printout_says_the_fidelity_is_on_training_rows(copy_and_rows):
    copy, X = copy_and_rows
    local = copy.explain_local(X.iloc[:2])
    assert str(local).splitlines()[-1].startswith("fidelity on 250 training rows: agreement=")
    assert local.fidelity["measured_on"] == "training rows"


# -- bad teachers ----------------------------------------------------------------------------------
class _NoPredict:
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


@pytest.mark.parametrize("teacher", [object(), _NoPredict()], ids=["object", "fit-transform only"])
def test_a_teacher_without_methods_is_named_as_such(teacher, teacher_and_student):
    X, _, student = teacher_and_student
    with pytest.raises(TypeError, match="has no predict, predict_proba or decision_function method and is not "
                                        "callable"):
        fidelity_report(teacher, student, X)
    with pytest.raises(TypeError, match="The model .* is not callable"):
        LocalSurrogate(teacher).fit(X)


def test_a_plain_callable_still_asks_for_task(teacher_and_student):
    X, _, student = teacher_and_student
    with pytest.raises(TypeError, match="a plain callable, is a classifier or a regressor; pass task="):
        fidelity_report(lambda Z: np.zeros(len(Z)), student, X)


def test_a_regressor_teacher_of_a_classifier_copy_is_refused_by_name():
    X, y = _frame(n=120)
    with pytest.raises(ValueError, match="HistGradientBoostingRegressor is a regressor.*Use DistilledRegressor"):
        DistilledClassifier(HistGradientBoostingRegressor(max_iter=5)).fit(X, y)


def test_a_classifier_teacher_of_a_regressor_copy_is_refused_by_name():
    X, y = _frame(n=120)
    with pytest.raises(ValueError, match="HistGradientBoostingClassifier is a classifier.*Use DistilledClassifier"):
        DistilledRegressor(HistGradientBoostingClassifier(max_iter=5)).fit(X, y)
    fitted = HistGradientBoostingClassifier(max_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="is a classifier"):
        DistilledRegressor(fitted).fit(X)


# -- polars frames reach the teacher and the student as the pandas frame they stand for -----------
def test_polars_rows_keep_their_names_for_the_student_and_the_local_surrogate():
    pl = pytest.importorskip("polars")
    X, y = _frame(n=200, start=0)
    frame = pl.DataFrame({c: X[c].to_numpy() for c in X.columns})
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # "X does not have valid feature names" is a UserWarning
        copy = DistilledClassifier(student=GAMClassifier(interactions=0, outer_bags=2), random_state=0).fit(frame, y)
        assert list(copy.student_.feature_names_in_) == ["a", "b", "c"]
        model = LogisticRegression().fit(X, y)
        on_polars = LocalSurrogate(model, n_samples=200, n_holdout=0, random_state=0).fit(frame)
        explained = on_polars.explain_local(frame[:3])
    on_pandas = LocalSurrogate(model, n_samples=200, n_holdout=0, random_state=0).fit(X)
    np.testing.assert_array_equal(explained.contributions, on_pandas.explain_local(X.iloc[:3]).contributions)


# -- the frontier compares sizes only within a unit, and gathers convergence warnings -------------
class _WarningLinear(SparseLinearClassifier):
    def fit(self, X, y, sample_weight=None):
        warnings.warn("did not converge (test)", ConvergenceWarning)
        return super().fit(X, y, sample_weight=sample_weight)


def test_frontier_picks_per_unit_and_names_unconverged_students(teacher_and_student):
    X, teacher, _ = teacher_and_student
    students = {"linear-1": _WarningLinear(penalty="l0", alpha=0.0, max_features=1),
                "linear-2": _WarningLinear(penalty="l0", alpha=0.0, max_features=2),
                "gam": GAMClassifier(interactions=0, outer_bags=2, random_state=0)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frontier = fidelity_frontier(teacher, X, students=students, target=0.0)
    convergence = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert len(convergence) == 1 and convergence[0].filename == __file__
    assert "2 of 3 students" in str(convergence[0].message) and "linear-1(" in str(convergence[0].message)
    assert [r["converged"] for r in frontier.rows] == [False, False, True]
    assert [r["unit"] for r in frontier.rows] == ["terms", "terms", "shape functions"]
    # the simplest per unit; best is the more faithful of the two, never "3 shape functions > 1 term"
    assert frontier.best_by_unit == {"terms": 0, "shape functions": 2}
    fidelities = [frontier.rows[i]["fidelity"] for i in (0, 2)]
    assert frontier.best_index == (0, 2)[int(np.argmax(fidelities))]
    assert "per unit (sizes in different units are not compared)" in str(frontier)
    assert frontier.to_dict()["best_by_unit"] == {"terms": 0, "shape functions": 2}


# -- LocalSurrogate's sample_weight: a weight counts as copies of the row ------------------------
def test_local_surrogate_weights_act_as_row_copies():
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"x": rng.normal(size=60), "z": rng.normal(size=60) * 3,
                      "k": rng.choice(["p", "q", "r"], size=60)})
    X.loc[[4, 9], "x"] = np.nan
    model = lambda Z: np.asarray(Z["x"].fillna(0) + (Z["k"] == "q"), dtype=float)  # noqa: E731
    counts = rng.integers(0, 4, size=60)
    counts[:3] = [0, 2, 3]
    weighted = LocalSurrogate(model, task="regression", random_state=0).fit(X, sample_weight=counts)
    repeated = LocalSurrogate(model, task="regression", random_state=0).fit(X.loc[X.index.repeat(counts)])
    np.testing.assert_allclose(weighted.mean_, repeated.mean_, rtol=1e-12)
    np.testing.assert_allclose(weighted.scale_, repeated.scale_, rtol=1e-12)
    np.testing.assert_allclose(weighted.base_value_, repeated.base_value_, rtol=1e-12)
    levels_w, p_w = weighted.frequencies_[2]
    levels_r, p_r = repeated.frequencies_[2]
    assert list(levels_w) == list(levels_r)
    np.testing.assert_allclose(p_w, p_r, rtol=1e-12)
    unweighted = LocalSurrogate(model, task="regression", random_state=0).fit(X)
    assert not np.allclose(weighted.mean_, unweighted.mean_)


def test_local_surrogate_zero_weight_rows_are_left_out_and_unit_weights_change_nothing():
    X, y = _frame(n=80, start=0)
    model = LogisticRegression().fit(X, y)
    keep = np.arange(80) % 3 != 0
    zeroed = LocalSurrogate(model, n_samples=100, n_holdout=0, random_state=0).fit(X, sample_weight=keep * 1.0)
    dropped = LocalSurrogate(model, n_samples=100, n_holdout=0, random_state=0).fit(X[keep])
    np.testing.assert_allclose(zeroed.mean_, dropped.mean_, rtol=1e-12)
    np.testing.assert_allclose(zeroed.scale_, dropped.scale_, rtol=1e-12)
    np.testing.assert_allclose(zeroed.base_value_, dropped.base_value_, rtol=1e-12)
    ones = LocalSurrogate(model, n_samples=100, n_holdout=0, random_state=0).fit(X, sample_weight=np.ones(80))
    plain = LocalSurrogate(model, n_samples=100, n_holdout=0, random_state=0).fit(X)
    np.testing.assert_allclose(ones.explain_local(X[:4]).contributions, plain.explain_local(X[:4]).contributions,
                               rtol=1e-9, atol=1e-12)
    with pytest.raises(ValueError, match="sample_weight"):
        LocalSurrogate(model).fit(X, sample_weight=np.ones(3))
