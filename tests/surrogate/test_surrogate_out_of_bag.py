"""Distilling a bagged forest from its out-of-bag votes (DistilledClassifier(out_of_bag=True))."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

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


def test_copy_that_fits_the_forest_and_augmented_rows(data):
    X, y = data
    copy = DistilledClassifier(RandomForestClassifier(n_estimators=20, random_state=0),
                               SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=3),
                               out_of_bag=True, n_augment=50, random_state=0).fit(X, y)
    assert copy.score(X, copy.teacher_.predict(X)) > 0.7


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
