"""``class_weight`` on every classifier: scikit-learn's meaning, one row weight.

A class weight multiplies the sample weight of each row of its class, so a fit
with ``class_weight`` is the fit with those row weights: the same fitted model,
every attribute bit for bit (compared through pickle).  One exception: the
decision set's most frequent class (``rule_classes="minority"``) is read from
``sample_weight`` alone.
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.estimator_checks import check_class_weight_balanced_linear_classifier

from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier,
                      SparseLinearClassifier, SparseLinearClassifierCV)

# small, fast settings; seeds fixed so two fits with the same row weights are the same fit
FAST = {
    SparseLinearClassifier: {"alpha": 0.01},
    SparseLinearClassifierCV: {"n_alphas": 5, "cv": 3},
    BayesianRuleListClassifier: {"n_iter": 300, "n_chains": 2, "random_state": 0},
    # rules for every class: with rule_classes="minority" the class left to the default is the most
    # frequent by sample_weight alone, the one place class weights are not row weights (tested below)
    DecisionSetClassifier: {"pool_size": 50, "n_restarts": 1, "random_state": 0, "rule_classes": "all"},
    RiskScoreClassifier: {"max_features": 3, "pool_size": 5},
    GAMClassifier: {"outer_bags": 2, "interactions": 1, "max_rounds": 60, "random_state": 0},
}
CLASSIFIERS = list(FAST)


def _model(cls, **params):
    return cls(**FAST[cls], **params)


def _data(labels=("no", "yes"), n=240, seed=0):
    """A mixed table with an imbalanced binary target (about a quarter ``labels[1]``)."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({
        "age": rng.randint(20, 80, size=n).astype(float),
        "income": rng.lognormal(3, 0.5, size=n),
        "region": pd.Categorical(rng.choice(["north", "south", "east"], size=n)),
    })
    logit = 0.06 * (X["age"] - 60) + 0.8 * (X["region"] == "east") - 0.5 + rng.logistic(size=n)
    y = np.where(logit > 0.6, labels[1], labels[0])
    return X, y


def _fit(model, X, y, sample_weight=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of the short searches: the same for both fits
        return model.fit(X, y, sample_weight=sample_weight)


def _assert_same_fit(with_class_weight, with_rows_weighted, X):
    """Every fitted attribute equal bit for bit, and so the predictions and the explanation."""
    with_rows_weighted.set_params(class_weight=with_class_weight.class_weight)  # the one parameter they differ in
    # a scorecard or rule model fitted with class_weight also knows the factors its weights came from,
    # which its explanation prints (the fit with the rows weighted instead does not)
    factors = with_class_weight.__dict__.pop("_class_weight_factors", None)
    unweighted_factors = with_rows_weighted.__dict__.pop("_class_weight_factors", None)
    assert unweighted_factors is None
    # ... and the fit with the rows weighted knows its sample weights were not all 1 (its counts are weights)
    flags = [model.__dict__.pop("_sample_weighted", None) for model in (with_class_weight, with_rows_weighted)]
    assert flags[1] in (True, None)  # None: a model that prints no counts
    # ... and a GAM records the sample_weight given to fit (before class weights) for refit_intercept's check:
    # the two fits were given different ones, on the same rows
    records = [model.__dict__.pop("_fit_weight_summary_", None) for model in (with_class_weight, with_rows_weighted)]
    if records[0] is not None:
        assert records[0].n_rows == records[1].n_rows == len(X)
        assert records[0].effective_size != records[1].effective_size
    assert pickle.dumps(with_class_weight) == pickle.dumps(with_rows_weighted)
    if factors is not None:
        with_class_weight._class_weight_factors = factors
    for model, flag in zip((with_class_weight, with_rows_weighted), flags):
        if flag is not None:
            model._sample_weighted = flag
    for model, record in zip((with_class_weight, with_rows_weighted), records):
        if record is not None:
            model._fit_weight_summary_ = record
    np.testing.assert_array_equal(with_class_weight.decision_function(X), with_rows_weighted.decision_function(X))
    noted, plain = with_class_weight.explain_global().to_dict(), with_rows_weighted.explain_global().to_dict()
    assert ("class_weights" in noted["content"]) == (factors is not None)
    noted["content"].pop("class_weights", None)
    assert noted["content"].pop("sample_weighted", False) == bool(flags[0])
    assert plain["content"].pop("sample_weighted", False) == bool(flags[1])
    assert noted == plain


@pytest.mark.parametrize("cls", CLASSIFIERS, ids=lambda c: c.__name__)
def test_a_class_weight_dict_is_the_same_fit_as_weighted_rows(cls):
    X, y = _data()
    weighted = _fit(_model(cls, class_weight={"no": 1, "yes": 3}), X, y)
    repeated = _fit(_model(cls), X, y, sample_weight=np.where(y == "yes", 3.0, 1.0))
    _assert_same_fit(weighted, repeated, X)
    unweighted = _fit(_model(cls), X, y)
    assert not np.array_equal(weighted.decision_function(X), unweighted.decision_function(X))


@pytest.mark.parametrize("cls", CLASSIFIERS, ids=lambda c: c.__name__)
def test_balanced_is_the_fit_with_scikit_learns_balanced_sample_weight(cls):
    X, y = _data(labels=(0, 1))
    balanced = _fit(_model(cls, class_weight="balanced"), X, y)
    reweighted = _fit(_model(cls), X, y, sample_weight=compute_sample_weight("balanced", y))
    _assert_same_fit(balanced, reweighted, X)


@pytest.mark.parametrize("class_weight", [{"no": 0.5, "yes": 4.0}, "balanced"], ids=["dict", "balanced"])
@pytest.mark.parametrize("cls", CLASSIFIERS, ids=lambda c: c.__name__)
def test_class_weight_multiplies_sample_weight(cls, class_weight):
    X, y = _data()
    sample_weight = np.random.RandomState(1).uniform(0.2, 3.0, size=len(y))
    classes, codes = np.unique(y, return_inverse=True)
    if class_weight == "balanced":
        # scikit-learn's definition on the classes' weighted totals (compute_class_weight's sample_weight,
        # which scikit-learn 1.6 does not have): sum(w) / (n_classes * w_k)
        totals = np.bincount(codes, weights=sample_weight)
        per_class = totals.sum() / (len(classes) * totals)
    else:
        per_class = np.array([class_weight[c] for c in classes])
    both = _fit(_model(cls, class_weight=class_weight), X, y, sample_weight=sample_weight)
    product = _fit(_model(cls), X, y, sample_weight=sample_weight * per_class[codes])
    _assert_same_fit(both, product, X)


def test_balanced_keeps_the_total_weight_a_rule_list_counts():
    # the Dirichlet-multinomial reads weights as counts: "balanced" moves weight between the
    # classes without adding any, so the rules' supports still add up to the number of rows
    X, y = _data()
    model = _fit(_model(BayesianRuleListClassifier, class_weight="balanced"), X, y)
    assert model.rule_support_.sum() == pytest.approx(len(y), rel=1e-12)
    np.testing.assert_allclose(model.rule_class_weights_.sum(axis=0), [len(y) / 2] * 2, rtol=1e-12)


def test_rule_list_keep_rules_weighs_rows_by_class_as_its_fit_did():
    X, y = _data()
    model = _fit(_model(BayesianRuleListClassifier, class_weight={"yes": 4}), X, y)
    fitted = pickle.dumps(model)
    model.keep_rules(np.arange(len(model.rules_)), X, y)
    assert pickle.dumps(model) == fitted


@pytest.mark.parametrize("class_weight", [{0: 1.0, 1: 3.0}, "balanced"], ids=["dict", "balanced"])
def test_sparse_logistic_matches_scikit_learn_with_class_weight(class_weight):
    # LogisticRegression minimizes C * sum_i cw_i logloss_i + |b|_1; ours the weighted mean plus
    # alpha |b|_1, the same problem at alpha = 1 / (C * sum_i cw_i)
    rng = np.random.RandomState(3)
    X = rng.normal(size=(200, 6))
    y = (X[:, 0] - 0.7 * X[:, 2] + rng.logistic(size=200) > 1.5).astype(int)
    C = 0.3
    row_weight = compute_sample_weight(class_weight, y)
    ours = SparseLinearClassifier(1.0 / (C * row_weight.sum()), standardize=False, tol=1e-10,
                                  class_weight=class_weight).fit(X, y)
    lasso = {"l1_ratio": 1.0} if LogisticRegression().penalty == "deprecated" else {"penalty": "l1"}
    ref = LogisticRegression(**lasso, C=C, solver="saga", tol=1e-13, max_iter=200_000, class_weight=class_weight)
    ref.fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-6)


@pytest.mark.parametrize("cls", [SparseLinearClassifier, SparseLinearClassifierCV], ids=lambda c: c.__name__)
def test_balanced_linear_check_of_scikit_learn(cls):
    # parametrize_with_checks runs this check only for LinearClassifierMixin estimators
    check_class_weight_balanced_linear_classifier(cls.__name__, cls())


def test_cross_validation_scores_folds_with_the_class_weights():
    X, y = _data()
    model = _fit(_model(SparseLinearClassifierCV, class_weight={"yes": 5}), X, y)
    plain = _fit(_model(SparseLinearClassifierCV), X, y)
    assert not np.allclose(model.cv_losses_, plain.cv_losses_)  # the held-out log-loss is weighted too


BAD_CLASS_WEIGHTS = [
    ({"no": 1, "maybe": 2}, r"class_weight has keys \['maybe'\] that are not classes of y; the classes are \['no', 'yes'\]"),
    ({"no": 1, 1: 2}, r"keys \[1\] that are not classes of y"),
    ({"yes": -1.0}, r"class_weight\['yes'\] is -1.0; class weights must be finite numbers >= 0"),
    ({"yes": np.nan}, r"class_weight\['yes'\] is nan; class weights must be finite"),
    ({"yes": "heavy"}, r"class_weight\['yes'\] is 'heavy'"),
    ({"yes": 0}, r"class_weight removes every row of class 'yes'"),
]


@pytest.mark.parametrize("class_weight, message", BAD_CLASS_WEIGHTS, ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("cls", CLASSIFIERS, ids=lambda c: c.__name__)
def test_bad_class_weights_are_refused_with_a_clear_error(cls, class_weight, message):
    X, y = _data()
    with pytest.raises(ValueError, match=message):
        _model(cls, class_weight=class_weight).fit(X, y)


@pytest.mark.parametrize("cls", CLASSIFIERS, ids=lambda c: c.__name__)
def test_class_weight_of_an_unknown_kind_is_refused_by_the_parameter_check(cls):
    X, y = _data()
    with pytest.raises(ValueError, match="class_weight"):
        _model(cls, class_weight="equal").fit(X, y)


@pytest.mark.parametrize("cls", CLASSIFIERS, ids=lambda c: c.__name__)
def test_grid_search_over_class_weight(cls):
    X, y = _data()
    grid = {"class_weight": [None, "balanced", {"yes": 5}]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = GridSearchCV(_model(cls), grid, cv=2, scoring="balanced_accuracy", error_score="raise").fit(X, y)
    assert search.best_params_["class_weight"] in grid["class_weight"]
    assert len(search.cv_results_["mean_test_score"]) == 3


@pytest.mark.parametrize("seed", [0, 2, 5])
def test_minority_rules_go_to_the_rare_class_under_balanced_weights(seed):
    # "balanced" gives both classes the same total weight; which class is the frequent one (left to
    # the default by rule_classes="minority") is still decided by the rows, not by rounding
    X, y = _data(n=240 + 37 * seed, seed=seed)
    model = _fit(DecisionSetClassifier(pool_size=50, random_state=0, class_weight="balanced", rule_classes="minority"),
                 X, y)
    assert model.rules_ and {rule.predicted_class for rule in model.rules_} == {"yes"}
    assert all(trial["rule_classes"] == "minority" for trial in model.weight_search_)


def test_a_class_no_rule_predicts_is_named_with_the_right_reason_and_class_weight_as_a_remedy():
    # min_precision=0 drops no candidate: the rare class lacks rules because none holds mostly its rows
    X, y = _data(n=400)
    y = np.where((y == "yes") & (np.arange(len(y)) % 3 == 0), "yes", "no")  # about 8 % "yes"
    with pytest.warns(UserWarning, match=r"Classes \['yes'\].*no candidate rule reaching min_support and "
                                         r"min_precision predicts them.*\(class_weight\)"):
        DecisionSetClassifier(pool_size=50, random_state=0, min_precision=0.0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # weighted up, the rare class gets its rules
        model = DecisionSetClassifier(pool_size=50, random_state=0, class_weight="balanced").fit(X, y)
    assert "yes" in {rule.predicted_class for rule in model.rules_}


def test_the_tuning_folds_leave_the_frequent_class_to_the_default_too(monkeypatch):
    # each fold's candidate pool decides the frequent class as the final pool does: from sample_weight
    from glassbox.rules import _decision_set_rules, _decision_set_tuning

    frequent = []

    def recording_pool(mined, generator, y, weights, n_classes, *args, majority_weights=None, **kwargs):
        counted = weights if majority_weights is None else majority_weights
        frequent.append(_decision_set_rules.majority_class(y, counted, n_classes))
        return _decision_set_rules.candidate_pool(mined, generator, y, weights, n_classes, *args,
                                                  majority_weights=majority_weights, **kwargs)

    monkeypatch.setattr(_decision_set_tuning, "candidate_pool", recording_pool)
    X, y = _data()
    _fit(DecisionSetClassifier(pool_size=50, random_state=0, class_weight="balanced", rule_classes="minority"), X, y)
    assert frequent and set(frequent) == {0}  # "no", classes_[0], about three quarters of the rows
