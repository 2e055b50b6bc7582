"""glassbox estimators inside scikit-learn's meta-estimators with metadata routing enabled.

Every estimator is a consumer of ``sample_weight`` (and the CV estimators of
``groups``): a request routes the weights to it, an unrequested weight stops
the fit with scikit-learn's ``UnsetMetadataPassedError``, never silently
dropped.  A distilled copy is a router too: it hands the weights to a teacher
it fits as the teacher requests them.
"""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold, cross_validate
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, DistilledClassifier, DistilledRegressor,
                      GAMClassifier, GAMRegressor, RiskScoreClassifier, SparseLinearClassifier,
                      SparseLinearClassifierCV, SparseLinearRegressor, SparseLinearRegressorCV, all_estimators)


def _small(Estimator):
    """A fast, seeded instance of ``Estimator``."""
    if Estimator in (GAMClassifier, GAMRegressor):
        return Estimator(interactions=0, outer_bags=1, max_bins=16, validation_fraction=None, random_state=0)
    if Estimator in (SparseLinearClassifierCV, SparseLinearRegressorCV):
        return Estimator(n_alphas=5, cv=3)
    if Estimator in (BayesianRuleListClassifier, DecisionSetClassifier):
        return Estimator(random_state=0)
    if Estimator in (DistilledClassifier, DistilledRegressor):
        params = Estimator._cheap_params()
        params["teacher"].set_fit_request(sample_weight=True)  # a teacher it fits gets the weights it requests
        return Estimator(**params, random_state=0)
    return Estimator()


ESTIMATORS = [BayesianRuleListClassifier, DecisionSetClassifier, DistilledClassifier, DistilledRegressor,
              GAMClassifier, GAMRegressor, RiskScoreClassifier, SparseLinearClassifier, SparseLinearClassifierCV,
              SparseLinearRegressor, SparseLinearRegressorCV]


def test_every_estimator_is_covered():
    assert sorted(cls.__name__ for cls in ESTIMATORS) == [name for name, _ in all_estimators()]


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60), "c": rng.uniform(size=60)})
    labels = (X["a"] + 0.5 * X["b"] + rng.normal(scale=0.5, size=60) > 0).astype(int)
    amounts = 2 * X["a"] - X["b"] + rng.normal(scale=0.3, size=60)
    weights = rng.uniform(0.2, 3.0, size=60)
    return X, labels, amounts, weights


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


def _target(Estimator, labels, amounts):
    return amounts if Estimator in (DistilledRegressor, GAMRegressor, SparseLinearRegressor,
                                    SparseLinearRegressorCV) else labels


def _output(model, X):
    return model.decision_function(X) if hasattr(model, "decision_function") else model.predict(X)


@pytest.mark.parametrize("Estimator", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_requested_weights_reach_the_fit_and_unrequested_ones_stop_it(Estimator, data, routing):
    X, labels, amounts, w = data
    y = _target(Estimator, labels, amounts)
    direct = clone(_small(Estimator)).fit(X, y, sample_weight=w)
    requested = _small(Estimator).set_fit_request(sample_weight=True)
    scaler = StandardScaler().set_fit_request(sample_weight=False).set_output(transform="pandas")
    pipeline = make_pipeline(scaler, requested).fit(X, y, sample_weight=w)
    scaled = StandardScaler().set_output(transform="pandas").fit(X).transform(X)
    by_hand = clone(_small(Estimator)).fit(scaled, y, sample_weight=w)
    np.testing.assert_allclose(_output(pipeline, X), _output(by_hand, scaled), rtol=1e-12, atol=1e-12)
    assert list(pipeline[-1].feature_names_in_) == ["a", "b", "c"]
    search = GridSearchCV(clone(requested).set_score_request(sample_weight=True), {}, cv=KFold(2))
    search.fit(X, y, sample_weight=w)
    np.testing.assert_allclose(_output(search.best_estimator_, X), _output(direct, X), rtol=1e-12, atol=1e-12)
    with pytest.raises(UnsetMetadataPassedError, match=Estimator.__name__):
        cross_validate(_small(Estimator), X, y, params={"sample_weight": w}, cv=2)


def _teacher_coef(copy):
    return copy.teacher_.coef_


def test_a_teacher_that_declines_the_weights_is_fitted_without_them(data, routing):
    X, labels, _, w = data
    teacher = LogisticRegression().set_fit_request(sample_weight=False)
    copy = DistilledClassifier(teacher, SparseLinearClassifier()).fit(X, labels, sample_weight=w)
    np.testing.assert_allclose(_teacher_coef(copy), LogisticRegression().fit(X, labels).coef_, rtol=1e-12)
    # the student still learns from the weights: they are the copy's own
    assert not np.allclose(copy.student_.coef_, DistilledClassifier(clone(teacher), SparseLinearClassifier())
                           .fit(X, labels).student_.coef_)
    requested = LogisticRegression().set_fit_request(sample_weight=True)
    copy = DistilledClassifier(requested, SparseLinearClassifier()).fit(X, labels, sample_weight=w)
    np.testing.assert_allclose(_teacher_coef(copy), LogisticRegression().fit(X, labels, sample_weight=w).coef_,
                               rtol=1e-12)


def test_a_teacher_that_does_not_say_stops_the_fit_with_what_to_call(data, routing):
    X, labels, _, w = data
    copy = DistilledClassifier(LogisticRegression(), SparseLinearClassifier())
    with pytest.raises(UnsetMetadataPassedError, match=r"(?s)LogisticRegression\.fit.*call "
                                                       r"set_fit_request\(sample_weight=True\) on the teacher") as info:
        copy.fit(X, labels, sample_weight=w)
    assert isinstance(info.value.__cause__, UnsetMetadataPassedError)
    assert list(info.value.unrequested_params) == ["sample_weight"]
    assert info.value.routed_params is info.value.__cause__.routed_params
    # a Pipeline's step that does not say stops the teacher's own fit: the same error, with the same advice
    pipeline = make_pipeline(StandardScaler(), LogisticRegression())
    with pytest.raises(UnsetMetadataPassedError, match=r"(?s)StandardScaler.*set_fit_request\(sample_weight=True\) "
                                                       r"on each step") as info:
        DistilledClassifier(pipeline, SparseLinearClassifier()).fit(X, labels, sample_weight=w)
    assert list(info.value.unrequested_params) == ["sample_weight"]
    # unweighted, or with a fitted teacher, there is nothing to route
    DistilledClassifier(LogisticRegression(), SparseLinearClassifier()).fit(X, labels)
    fitted = LogisticRegression().fit(X, labels)
    assert DistilledClassifier(fitted, SparseLinearClassifier()).fit(X, labels, sample_weight=w).teacher_ is fitted


def test_a_pipeline_teacher_whose_steps_decline_the_weights_is_fitted_without_them(data, routing):
    X, labels, _, w = data
    declining = make_pipeline(StandardScaler().set_fit_request(sample_weight=False),
                              LogisticRegression().set_fit_request(sample_weight=False))
    copy = DistilledClassifier(declining, SparseLinearClassifier()).fit(X, labels, sample_weight=w)
    unweighted = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, labels)
    np.testing.assert_allclose(copy.teacher_[-1].coef_, unweighted[-1].coef_, rtol=1e-12)
    # a Pipeline none of whose steps can take the weights is refused, as a model that cannot take them is
    with pytest.raises(ValueError, match=r"takes sample_weight in none of its steps' fit.*pass it fitted"):
        DistilledClassifier(make_pipeline(KNeighborsClassifier()), SparseLinearClassifier()).fit(X, labels,
                                                                                                sample_weight=w)


def test_a_teacher_requesting_the_weights_under_another_name_is_refused(data, routing):
    X, labels, _, w = data
    teacher = LogisticRegression().set_fit_request(sample_weight="exposure")
    with pytest.raises(ValueError, match=r"requests sample_weight under the name 'exposure'.*"
                                         r"set_fit_request\(sample_weight=True\)"):
        DistilledClassifier(teacher, SparseLinearClassifier()).fit(X, labels, sample_weight=w)


def test_the_copy_routes_to_the_teacher_it_fits_only(data, routing):
    X, labels, _, w = data
    teacher = LogisticRegression().set_fit_request(sample_weight=True)
    routing_of = DistilledClassifier(teacher, SparseLinearClassifier()).get_metadata_routing()
    assert "teacher" in str(routing_of)
    fitted = LogisticRegression().fit(X, labels)
    assert "teacher" not in str(DistilledClassifier(fitted, SparseLinearClassifier()).get_metadata_routing())
    assert "teacher" not in str(DistilledClassifier(None, SparseLinearClassifier()).get_metadata_routing())
    # inside a search, the copy's request takes the weights to it, the teacher's to the teacher
    copy = DistilledClassifier(teacher, SparseLinearClassifier()).set_fit_request(sample_weight=True)
    search = GridSearchCV(copy.set_score_request(sample_weight=True), {}, cv=KFold(2)).fit(X, labels, sample_weight=w)
    np.testing.assert_allclose(_teacher_coef(search.best_estimator_),
                               LogisticRegression().fit(X, labels, sample_weight=w).coef_, rtol=1e-12)


def test_a_group_splitter_inside_a_search_says_how_to_route_the_groups(data):
    X, _, amounts, _ = data
    groups = np.repeat(np.arange(6), 10)
    search = GridSearchCV(SparseLinearRegressorCV(n_alphas=5, cv=GroupKFold(2)), {}, cv=GroupKFold(2),
                          error_score="raise")
    with pytest.raises(ValueError, match=r"enable_metadata_routing=True.*set_fit_request\(groups=True\)"):
        search.fit(X, amounts, groups=groups)
    with sklearn.config_context(enable_metadata_routing=True):
        model = SparseLinearRegressorCV(n_alphas=5, cv=GroupKFold(2)).set_fit_request(groups=True)
        search = GridSearchCV(model, {}, cv=GroupKFold(2)).fit(X, amounts, groups=groups)
    alone = SparseLinearRegressorCV(n_alphas=5, cv=GroupKFold(2)).fit(X, amounts, groups=groups)
    assert search.best_estimator_.alpha_ == alone.alpha_


@pytest.mark.parametrize("enabled", [False, True], ids=["routing off", "routing on"])
def test_a_teacher_that_splits_by_groups_is_named_with_the_fix(data, enabled):
    X, labels, _, _ = data
    teacher = GridSearchCV(LogisticRegression(), {"C": [1.0, 10.0]}, cv=GroupKFold(2))
    with sklearn.config_context(enable_metadata_routing=enabled):
        with pytest.raises(ValueError, match=r"needs each row's group.*fit\(X, y, groups=groups\).*fit the teacher "
                                             r"yourself with groups=") as info:
            DistilledClassifier(teacher, SparseLinearClassifier()).fit(X, labels)
    assert "make X something it reads" not in str(info.value)  # X is not the problem
    groups = np.repeat(np.arange(6), 10)
    fitted = clone(teacher).fit(X, labels, groups=groups)
    assert DistilledClassifier(fitted, SparseLinearClassifier()).fit(X, labels).teacher_ is fitted


def test_a_teacher_error_naming_a_column_like_groups_is_not_taken_for_missing_groups(data):
    X, labels, _, _ = data
    teacher = HistGradientBoostingClassifier(max_iter=5, categorical_features=["age_groups"])
    with pytest.raises(ValueError, match=r"age_groups.*make X something it reads") as info:
        DistilledClassifier(teacher, SparseLinearClassifier()).fit(X, labels)
    assert "needs each row's group" not in str(info.value)
