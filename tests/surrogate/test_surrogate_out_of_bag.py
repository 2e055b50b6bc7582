"""Distilling a bagged forest from its out-of-bag votes (DistilledClassifier(out_of_bag=True))."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from glassbox import SparseLinearClassifier
from glassbox.surrogate import DistilledClassifier
from glassbox.surrogate._out_of_bag import out_of_bag_proba


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=300, n_features=6, n_informative=4, random_state=0)


@pytest.mark.parametrize("make_teacher", [
    lambda: RandomForestClassifier(n_estimators=30, min_samples_leaf=2, oob_score=True, random_state=0),
    lambda: ExtraTreesClassifier(n_estimators=30, bootstrap=True, oob_score=True, random_state=0),
    lambda: make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=30, oob_score=True, random_state=0)),
])
@pytest.mark.filterwarnings("ignore:Some inputs do not have OOB scores")
@pytest.mark.parametrize("weighted", [False, True])
def test_votes_equal_sklearn_oob_decision_function(data, make_teacher, weighted):
    X, y = data
    teacher = make_teacher()
    weights = np.random.RandomState(1).randint(0, 3, len(y)).astype(float) if weighted else None
    step = teacher.steps[-1][0] + "__" if hasattr(teacher, "steps") else ""
    teacher.fit(X, y, **({step + "sample_weight": weights} if weighted else {}))
    forest = teacher[-1] if hasattr(teacher, "steps") else teacher
    expected = forest.oob_decision_function_
    # scikit-learn leaves zeros where every tree drew the row (some heavy rows when weighted)
    voted = expected.sum(axis=1) > 0
    assert voted.mean() > 0.9
    np.testing.assert_allclose(out_of_bag_proba(teacher, X)[voted], expected[voted], rtol=0, atol=1e-12)


def test_row_drawn_by_every_tree_keeps_the_forest_votes(data):
    X, y = data
    forest = RandomForestClassifier(n_estimators=2, random_state=0).fit(X, y)
    drawn_by_all = np.ones(len(y), dtype=bool)
    for drawn in forest.estimators_samples_:
        mask = np.zeros(len(y), dtype=bool)
        mask[drawn] = True
        drawn_by_all &= mask
    assert drawn_by_all.any()
    proba = out_of_bag_proba(forest, X)
    np.testing.assert_array_equal(proba[drawn_by_all], forest.predict_proba(X[drawn_by_all]))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_copy_learns_the_out_of_bag_votes(data):
    """The copy equals one whose teacher is a function returning the forest's out-of-bag votes on X."""
    X, y = data
    forest = RandomForestClassifier(n_estimators=40, random_state=0).fit(X, y)
    votes = out_of_bag_proba(forest, X)
    student = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=3)
    copy = DistilledClassifier(forest, student, out_of_bag=True).fit(X)
    as_function = DistilledClassifier(lambda rows: votes if len(rows) == len(X) else forest.predict_proba(rows),
                                      student).fit(X)
    plain = DistilledClassifier(forest, student).fit(X)
    np.testing.assert_array_equal(copy.student_.coef_, as_function.student_.coef_)
    assert copy.intercept_shift_ == as_function.intercept_shift_
    assert not np.array_equal(copy.decision_function(X), plain.decision_function(X))
    # the copy is still compared with the whole forest
    assert copy.fidelity_.agreement == pytest.approx(np.mean(copy.predict(X) == forest.predict(X)))


def test_copy_that_fits_the_forest_and_augmented_rows(data, monkeypatch):
    """The student's targets: out-of-bag votes on the n given rows, the whole forest's on the augmented ones."""
    X, y = data
    seen = {}
    train_student = DistilledClassifier._train_student

    def recording(self, student, X_train, outputs, weights, *rest):
        seen["X_train"], seen["outputs"] = X_train, outputs
        return train_student(self, student, X_train, outputs, weights, *rest)

    monkeypatch.setattr(DistilledClassifier, "_train_student", recording)
    copy = DistilledClassifier(RandomForestClassifier(n_estimators=20, random_state=0),
                               SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=3),
                               out_of_bag=True, n_augment=50, random_state=0).fit(X, y)
    proba, X_train, n = seen["outputs"].proba, np.asarray(seen["X_train"]), len(X)
    assert proba.shape == (n + 50, 2)
    np.testing.assert_array_equal(X_train[:n], X)
    np.testing.assert_array_equal(proba[:n], out_of_bag_proba(copy.teacher_, X))
    np.testing.assert_array_equal(proba[n:], copy.teacher_.predict_proba(X_train[n:]))
    assert not np.allclose(proba[:n], copy.teacher_.predict_proba(X))  # the votes differ from the forest's
    np.testing.assert_array_equal(seen["outputs"].labels, copy.classes_[np.argmax(proba, axis=1)])
    assert copy.score(X, copy.teacher_.predict(X)) > 0.7


def test_default_teacher_is_refused_before_it_is_fitted(data, monkeypatch):
    X, y = data
    fitted = []
    monkeypatch.setattr(DistilledClassifier, "_fit_teacher", lambda self, *args: fitted.append(1))
    student = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=2)
    with pytest.raises(TypeError, match="bagged forest.*teacher=None"):
        DistilledClassifier(None, student, out_of_bag=True).fit(X, y)
    with pytest.raises(TypeError, match="bagged forest.*HistGradientBoostingClassifier"):
        DistilledClassifier(HistGradientBoostingClassifier(max_iter=5), student, out_of_bag=True).fit(X, y)
    with pytest.raises(ValueError, match="bootstrap=True"):
        DistilledClassifier(ExtraTreesClassifier(n_estimators=5), student, out_of_bag=True).fit(X, y)
    assert not fitted


def test_bad_teachers_are_named(data):
    X, y = data
    student = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=2)
    with pytest.raises(TypeError, match="bagged forest.*HistGradientBoostingClassifier"):
        DistilledClassifier(HistGradientBoostingClassifier(max_iter=5).fit(X, y), student, out_of_bag=True).fit(X)
    no_bootstrap = RandomForestClassifier(n_estimators=5, bootstrap=False, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="bootstrap=True"):
        DistilledClassifier(no_bootstrap, student, out_of_bag=True).fit(X)
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="X has 200 rows and the forest was fitted on 300"):
        DistilledClassifier(forest, student, out_of_bag=True).fit(X[:200])


def test_dataframe_rows_are_read_as_the_forest_reads_them(data):
    X, y = data
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    forest = RandomForestClassifier(n_estimators=10, random_state=0).fit(frame, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "X has feature names" warning from each tree
        votes = out_of_bag_proba(forest, frame)
    np.testing.assert_array_equal(votes, out_of_bag_proba(RandomForestClassifier(n_estimators=10, random_state=0)
                                                          .fit(X, y), X))


@pytest.mark.filterwarnings("ignore:Some inputs do not have OOB scores")
def test_sparse_pipeline_output_is_read_as_the_forest_reads_it():
    rng = np.random.RandomState(0)
    Xcat = pd.DataFrame({"a": rng.choice(list("pqrs"), 300), "b": rng.choice(list("uvw"), 300)})
    y = ((Xcat["a"] == "p") | (Xcat["b"] == "u")).to_numpy().astype(int) ^ (rng.rand(300) < 0.1)
    teacher = make_pipeline(OneHotEncoder(), RandomForestClassifier(n_estimators=20, oob_score=True,
                                                                    random_state=0)).fit(Xcat, y)
    expected = teacher[-1].oob_decision_function_
    voted = expected.sum(axis=1) > 0
    np.testing.assert_allclose(out_of_bag_proba(teacher, Xcat)[voted], expected[voted], rtol=0, atol=1e-12)
    student = SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=3)
    copy = DistilledClassifier(teacher, student, out_of_bag=True).fit(Xcat, y)
    assert copy.fidelity_.agreement > 0.8


def test_row_count_check_without_the_recorded_count(data, monkeypatch):
    """A release that does not record the fitted row count: the draws still catch too few rows."""
    import glassbox.surrogate._out_of_bag as out_of_bag
    from glassbox.utils._sklearn_shim import forest_fitted_rows

    X, y = data
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    assert forest_fitted_rows(forest) == len(X)
    assert forest_fitted_rows(HistGradientBoostingClassifier()) is None
    monkeypatch.setattr(out_of_bag, "forest_fitted_rows", lambda forest: None)
    with pytest.raises(ValueError, match="X has 200 rows and the forest was fitted on more"):
        out_of_bag_proba(forest, X[:200])
