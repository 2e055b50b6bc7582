"""A distilled copy hands its fit's other keyword arguments (``groups``, a Pipeline step's) to the teacher it fits.

A teacher that is a search splitting by groups (``cv=GroupKFold``) needs each
row's group.  The copy's ``fit(X, y, groups=g)`` fits it as
``teacher.fit(X, y, groups=g)`` would, on the rows of positive weight (the
groups follow them); with metadata routing the groups go where the teacher
requests them, so the copy works inside a search that routes groups.  Those
parameters are refused where nothing would use them: a teacher taken as
given, the default teacher, a model whose fit has no such parameter.
"""

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from glassbox import DistilledClassifier, DistilledRegressor, SparseLinearClassifier, SparseLinearRegressor


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    groups = np.repeat(np.arange(6), 20)
    # each group shifts the outcome, so that a group-wise split chooses a different C than a row-wise one would
    labels = (X[:, 0] + 0.4 * X[:, 1] + 0.8 * (groups % 3 - 1) + rng.normal(scale=0.8, size=120) > 0).astype(int)
    amounts = X @ np.array([1.0, -0.5, 0.2]) + (groups % 3) + rng.normal(scale=0.3, size=120)
    return X, labels, amounts, groups


def _group_search(Model=LogisticRegression, grid=None):
    grid = {"C": [0.001, 0.01, 1.0, 100.0]} if grid is None else grid
    return GridSearchCV(Model(), grid, cv=GroupKFold(3))


def _test_scores(search):
    return search.cv_results_["mean_test_score"]


@pytest.mark.parametrize("enabled", [False, True], ids=["routing off", "routing on"])
def test_groups_reach_a_search_teacher_as_in_a_fit_by_hand(data, enabled):
    X, labels, _, groups = data
    teacher = _group_search()
    with sklearn.config_context(enable_metadata_routing=enabled):
        copy = DistilledClassifier(teacher, SparseLinearClassifier()).fit(X, labels, groups=groups)
    by_hand = clone(teacher).fit(X, labels, groups=groups)
    np.testing.assert_array_equal(_test_scores(copy.teacher_), _test_scores(by_hand))
    np.testing.assert_array_equal(copy.teacher_.best_estimator_.coef_, by_hand.best_estimator_.coef_)


def test_groups_reach_a_regression_teacher(data):
    X, _, amounts, groups = data
    teacher = _group_search(Ridge, {"alpha": [0.01, 1.0, 100.0]})
    copy = DistilledRegressor(teacher, SparseLinearRegressor()).fit(X, amounts, groups=groups)
    by_hand = clone(teacher).fit(X, amounts, groups=groups)
    np.testing.assert_array_equal(_test_scores(copy.teacher_), _test_scores(by_hand))


def test_groups_follow_the_rows_of_positive_weight(data):
    X, labels, _, groups = data
    weights = np.ones(len(labels))
    weights[::7] = 0.0  # rows of weight zero are left out of the teacher's fit, and so are their groups
    copy = DistilledClassifier(_group_search(), SparseLinearClassifier()).fit(
        X, labels, sample_weight=weights, groups=groups)
    kept = weights > 0
    by_hand = _group_search().fit(X[kept], labels[kept], groups=groups[kept])
    np.testing.assert_array_equal(_test_scores(copy.teacher_), _test_scores(by_hand))


def test_a_pipeline_teacher_takes_its_steps_parameters(data):
    X, labels, _, groups = data
    teacher = Pipeline([("scale", StandardScaler()), ("search", _group_search())])
    copy = DistilledClassifier(teacher, SparseLinearClassifier()).fit(X, labels, search__groups=groups)
    by_hand = clone(teacher).fit(X, labels, search__groups=groups)
    np.testing.assert_array_equal(_test_scores(copy.teacher_[-1]), _test_scores(by_hand[-1]))
    # bare groups are not a Pipeline's fit parameter: the Pipeline's own message, with how to pass them
    with pytest.raises(ValueError, match=r"could not be fitted with groups.*<step>__<name>"):
        DistilledClassifier(clone(teacher), SparseLinearClassifier()).fit(X, labels, groups=groups)


def test_a_search_that_routes_groups_reaches_the_copys_teacher(data):
    X, labels, _, groups = data
    with sklearn.config_context(enable_metadata_routing=True):
        copy = DistilledClassifier(_group_search(), SparseLinearClassifier()).set_fit_request(sample_weight=False)
        outer = GridSearchCV(copy, {"student__alpha": [0.01]}, cv=GroupKFold(2)).fit(X, labels, groups=groups)
    refit_teacher = outer.best_estimator_.teacher_
    by_hand = _group_search().fit(X, labels, groups=groups)
    np.testing.assert_array_equal(_test_scores(refit_teacher), _test_scores(by_hand))


def test_without_groups_the_search_teacher_is_refused_saying_how_to_pass_them(data):
    X, labels, _, groups = data
    with pytest.raises(ValueError, match=r"needs each row's group.*fit\(X, y, groups=groups\)"):
        DistilledClassifier(_group_search(), SparseLinearClassifier()).fit(X, labels)
    # without metadata routing a search hands groups to its own splitter only
    outer = GridSearchCV(DistilledClassifier(_group_search(), SparseLinearClassifier()), {}, cv=GroupKFold(2),
                         error_score="raise")
    with pytest.raises(ValueError, match=r"needs each row's group.*enable_metadata_routing=True"):
        outer.fit(X, labels, groups=groups)


def test_parameters_for_a_teacher_used_as_given_are_refused(data):
    X, labels, _, groups = data
    fitted = _group_search().fit(X, labels, groups=groups)
    with pytest.raises(ValueError, match=r"given groups for the teacher's fit.*used as given.*teacher_prefit=False"):
        DistilledClassifier(fitted, SparseLinearClassifier()).fit(X, labels, groups=groups)
    # teacher_prefit=False trains a clone with them
    copy = DistilledClassifier(fitted, SparseLinearClassifier(), teacher_prefit=False).fit(X, labels, groups=groups)
    np.testing.assert_array_equal(_test_scores(copy.teacher_), _test_scores(fitted))


@pytest.mark.parametrize("enabled", [False, True], ids=["routing off", "routing on"])
def test_parameters_the_default_teacher_does_not_take_are_refused(data, enabled):
    X, labels, amounts, groups = data
    with sklearn.config_context(enable_metadata_routing=enabled):
        with pytest.raises(ValueError, match=r"groups for the teacher's fit, but the default teacher "
                                             r"HistGradientBoostingClassifier.*takes no such parameter"):
            DistilledClassifier(None, SparseLinearClassifier()).fit(X, labels, groups=groups)
        with pytest.raises(ValueError, match=r"default teacher HistGradientBoostingRegressor"):
            DistilledRegressor(None, SparseLinearRegressor()).fit(X, amounts, groups=groups)


def test_parameters_a_model_teacher_does_not_take_are_refused(data):
    X, labels, amounts, groups = data
    with pytest.raises(ValueError, match=r"but the teacher LogisticRegression.*takes no such parameter"):
        DistilledClassifier(LogisticRegression(), SparseLinearClassifier()).fit(X, labels, groups=groups)
    with sklearn.config_context(enable_metadata_routing=True):
        with pytest.raises(TypeError, match=r"not routed to any object.*LinearRegression.*requests none of groups"):
            DistilledRegressor(LinearRegression(), SparseLinearRegressor()).fit(X, amounts, groups=groups)


def test_per_row_values_follow_the_rows_and_others_pass_as_they_are():
    from glassbox.surrogate._weighted_rows import metadata_of_rows

    kept = np.array([0, 2])
    given = {"groups": np.array([5, 6, 7]), "names": ["a", "b", "c"], "level": "x", "per_class": np.ones(2)}
    out = metadata_of_rows(given, 3, kept)
    np.testing.assert_array_equal(out["groups"], [5, 7])
    assert out["names"] == ["a", "c"]
    assert out["level"] == "x" and out["per_class"] is given["per_class"]
    assert metadata_of_rows(given, 3, None) == given


def test_parameters_given_as_none_are_not_given(data):
    X, labels, _, _ = data
    copy = DistilledClassifier(LogisticRegression(), SparseLinearClassifier()).fit(X, labels, groups=None)
    assert copy.teacher_.coef_.shape == (1, 3)
    with pytest.raises(ValueError, match=r"needs each row's group.*fit\(X, y, groups=groups\)"):
        DistilledClassifier(_group_search(), SparseLinearClassifier()).fit(X, labels, groups=None)


def test_a_list_of_lists_per_row_follows_the_rows(data):
    from glassbox.surrogate._weighted_rows import metadata_of_rows

    ragged = [[i] * (1 + i % 3) for i in range(5)]  # np.ndim would read it as an array and fail
    assert metadata_of_rows({"tags": ragged}, 5, np.array([1, 3]))["tags"] == [ragged[1], ragged[3]]


def test_a_value_the_teacher_cannot_use_is_named_with_the_rows_it_was_cut_to(data):
    X, labels, _, groups = data
    weights = np.where(groups < 2, 1.0, 0.0)  # two groups keep positive weight: too few for GroupKFold(3)
    with pytest.raises(ValueError, match=r"could not be fitted on \(X, y\) with groups \(.*number of groups: 2.*\)\. "
                                         r"Their per-row values were cut to the 40 rows of positive weight \(of 120\)"):
        DistilledClassifier(_group_search(), SparseLinearClassifier()).fit(X, labels, sample_weight=weights,
                                                                           groups=groups)


def test_a_function_teacher_given_parameters_is_told_it_takes_none(data):
    X, labels, _, groups = data
    with pytest.raises(ValueError, match=r"a function teacher has no fit to take them"):
        DistilledClassifier(lambda rows: np.asarray(rows)[:, 0] > 0, SparseLinearClassifier(),
                            classes=[False, True]).fit(X, labels, groups=groups)


def test_with_routing_a_prefixed_name_is_told_to_go_by_its_own_name(data):
    X, labels, _, groups = data
    teacher = Pipeline([("scale", StandardScaler()), ("search", _group_search())])
    with sklearn.config_context(enable_metadata_routing=True):
        with pytest.raises(TypeError, match=r"pass groups=\.\.\. rather than search__groups=\.\.\."):
            DistilledClassifier(teacher, SparseLinearClassifier()).fit(X, labels, search__groups=groups)
        copy = DistilledClassifier(clone(teacher), SparseLinearClassifier()).fit(X, labels, groups=groups)
    assert copy.teacher_[-1].best_params_ == clone(teacher).fit(X, labels, search__groups=groups)[-1].best_params_
