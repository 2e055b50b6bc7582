"""align_intercept="out-of-bag": a GAM or sparse linear student's intercept placed by a forest's out-of-bag votes."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassbox import GAMClassifier, SparseLinearClassifier
from glassbox.surrogate import DistilledClassifier
from glassbox.surrogate._agreement import best_intercept_shift
from glassbox.surrogate._augment import augment, concatenate_rows
from glassbox.surrogate._out_of_bag import out_of_bag_proba
from glassbox.utils.tabular import validate_tabular

pytestmark = pytest.mark.filterwarnings("ignore:Some inputs do not have OOB scores")


@pytest.fixture(scope="module")
def data():
    # label noise: a fully grown forest repeats the noisy labels on its own rows, not out of bag
    return make_classification(n_samples=400, n_features=5, n_informative=3, flip_y=0.15, weights=[0.75],
                               random_state=3)


def _student():
    return SparseLinearClassifier(penalty="l0", alpha=0.0, max_features=3)


def _unaligned_decision(teacher, X, weights=None):
    raw = DistilledClassifier(teacher, _student(), align_intercept=False, random_state=0).fit(X, sample_weight=weights)
    return raw.student_.decision_function(X)


@pytest.mark.parametrize("make_forest", [
    lambda: RandomForestClassifier(n_estimators=40, oob_score=True, random_state=0),
    lambda: ExtraTreesClassifier(n_estimators=40, bootstrap=True, oob_score=True, random_state=0),
])
@pytest.mark.parametrize("weighted", [False, True])
def test_shift_agrees_most_with_sklearn_out_of_bag_labels(data, make_forest, weighted):
    """Hand computation: the best shift against argmax of sklearn's own oob_decision_function_."""
    X, y = data
    forest = make_forest().fit(X, y)
    weights = np.random.RandomState(2).uniform(0.5, 2.0, len(y)) if weighted else None
    copy = DistilledClassifier(forest, _student(), align_intercept="out-of-bag", random_state=0).fit(
        X, sample_weight=weights)
    assert copy.intercept_aligned_with_ == "out-of-bag votes"
    oob_positive = np.argmax(forest.oob_decision_function_, axis=1) == 1
    in_sample_positive = forest.predict(X) == 1
    assert oob_positive.mean() < in_sample_positive.mean()  # the memorised labels the alignment avoids
    w = np.ones(len(y)) if weights is None else weights
    decision = _unaligned_decision(forest, X, weights)
    expected, _ = best_intercept_shift(decision, oob_positive, w)
    in_sample_shift, _ = best_intercept_shift(decision, in_sample_positive, w)
    assert expected != in_sample_shift  # the test tells the two targets apart
    assert copy.intercept_shift_ == pytest.approx(expected, abs=1e-9)
    np.testing.assert_array_equal(copy.decision_function(X) > 0, decision + expected > 0)


def test_pipeline_forest_and_augmented_rows(data):
    """Out-of-bag votes on the given rows, the whole forest's on extra rows, through a Pipeline."""
    X, y = data
    teacher = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=40, oob_score=True,
                                                                     random_state=0)).fit(X, y)
    copy = DistilledClassifier(teacher, GAMClassifier(interactions=0, random_state=0), n_augment=200,
                               align_intercept="out-of-bag", random_state=0).fit(X)
    assert copy.intercept_aligned_with_ == "out-of-bag votes"
    raw = DistilledClassifier(teacher, GAMClassifier(interactions=0, random_state=0), n_augment=200,
                              align_intercept=False, random_state=0).fit(X)
    extra = augment(X, validate_tabular(raw, X, reset=False), 200, "copula", np.random.RandomState(0))
    rows = concatenate_rows(X, extra)
    positive = teacher.predict(rows) == 1
    positive[:len(y)] = np.argmax(teacher[-1].oob_decision_function_, axis=1) == 1
    expected, _ = best_intercept_shift(raw.student_.decision_function(rows), positive, np.ones(len(rows)))
    assert copy.intercept_shift_ == pytest.approx(expected, abs=1e-9)


def test_default_aligns_with_the_forest_labels_as_before(data):
    """align_intercept=True (the default) keeps the in-sample labels, forest or not: the labels' best shift."""
    X, y = data
    for teacher in (RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y),
                    HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y)):
        copy = DistilledClassifier(teacher, _student(), random_state=0).fit(X)
        assert copy.intercept_aligned_with_ == "labels"
        expected, _ = best_intercept_shift(_unaligned_decision(teacher, X), teacher.predict(X) == 1, np.ones(len(y)))
        assert copy.intercept_shift_ == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("make_teacher, message", [
    (lambda X, y: HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y), "bagged forest"),
    (lambda X, y: RandomForestClassifier(n_estimators=20, bootstrap=False, random_state=0).fit(X, y), "bootstrap"),
    (lambda X, y: None, "teacher=None"),
])
def test_teachers_without_out_of_bag_votes_are_refused(data, make_teacher, message):
    X, y = data
    with pytest.raises((TypeError, ValueError), match=message):
        DistilledClassifier(make_teacher(X, y), _student(), align_intercept="out-of-bag").fit(X, y)


def test_rows_the_forest_was_not_fitted_on_are_refused(data):
    """Same count, other order: the draws do not index these rows (the leaves tell), for both out-of-bag options."""
    X, y = data
    forest = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    for option in ({"align_intercept": "out-of-bag"}, {"out_of_bag": True}):
        with pytest.raises(ValueError, match="not grown on these 400 rows"):
            DistilledClassifier(forest, _student(), **option).fit(X[::-1])
        with pytest.raises(ValueError, match="fitted on 400"):
            DistilledClassifier(forest, _student(), **option).fit(X[:-1])
    assert out_of_bag_proba(forest, X).shape == (400, 2)


def test_deterministic_and_only_for_aligned_students(data):
    X, y = data
    forest = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    first = DistilledClassifier(forest, _student(), align_intercept="out-of-bag", random_state=0).fit(X)
    second = DistilledClassifier(forest, _student(), align_intercept="out-of-bag", random_state=0).fit(X)
    np.testing.assert_array_equal(first.decision_function(X), second.decision_function(X))
    assert first.intercept_shift_ == second.intercept_shift_
    unaligned = DistilledClassifier(forest, _student(), align_intercept=False, random_state=0).fit(X)
    assert unaligned.intercept_aligned_with_ is None and unaligned.intercept_shift_ == 0.0
    X3, y3 = make_classification(n_samples=300, n_features=5, n_informative=3, n_classes=3, random_state=0)
    multiclass = RandomForestClassifier(n_estimators=20, random_state=0).fit(X3, y3)
    copy = DistilledClassifier(multiclass, _student(), align_intercept="out-of-bag", random_state=0).fit(X3)
    assert copy.intercept_aligned_with_ is None
