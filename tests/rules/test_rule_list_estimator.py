"""BayesianRuleListClassifier: explanation contract, determinism, multiclass, weights, bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_iris

from glassbox import BayesianRuleListClassifier, from_json
from glassbox.explain import RuleList

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")


def _mixed(n=300, seed=0):
    rng = np.random.RandomState(seed)
    age = rng.randint(18, 80, n).astype(float)
    priors = rng.poisson(2.0, n).astype(float)
    priors[rng.rand(n) < 0.1] = np.nan
    sex = rng.choice(["male", "female"], n)
    risk = 0.06 * (40 - age) + 0.5 * np.nan_to_num(priors, nan=4.0) + 0.8 * (sex == "male")
    y = (risk + rng.normal(scale=0.7, size=n) > 1.0).astype(int)
    X = pd.DataFrame({"age": age, "priors": priors, "sex": pd.Categorical(sex)})
    return X, y


@pytest.fixture(scope="module")
def fitted():
    X, y = _mixed()
    return BayesianRuleListClassifier(n_iter=3000, random_state=0).fit(X, y), X, y


def test_one_hot_contributions_add_up_exactly(fitted):
    clf, X, y = fitted
    local = clf.explain_local(X)
    contributions = local.contributions
    assert np.all(np.count_nonzero(contributions, axis=1) <= 1)
    assert np.all(local.base_value == 0.0)
    np.testing.assert_array_equal(contributions.sum(axis=1), clf.decision_function(X))
    decider = clf._deciding_rule(clf._prepare(X)[0])
    np.testing.assert_array_equal(contributions[np.arange(len(X)), decider], clf.rule_scores_[decider])


def test_predict_proba_is_the_fired_rules_probability(fitted):
    clf, X, _ = fitted
    decider = clf._deciding_rule(clf._prepare(X)[0])
    np.testing.assert_array_equal(clf.predict_proba(X), clf.rule_probabilities_[decider])
    explanation = clf.explain_global()
    assert isinstance(explanation, RuleList)
    probs = np.stack([r.probabilities for r in list(explanation.rules) + [explanation.default]])
    np.testing.assert_array_equal(probs, clf.rule_probabilities_)
    np.testing.assert_array_equal(explanation.decision_function(X), clf.decision_function(X))
    np.testing.assert_array_equal(from_json(clf.to_json()).predict_proba(X), clf.predict_proba(X))


def test_rule_summaries_are_posterior_dirichlet(fitted):
    clf, X, y = fitted
    decider = clf._deciding_rule(clf._prepare(X)[0])
    for i in range(len(clf.rules_) + 1):
        counts = np.bincount(y[decider == i], minlength=2)
        np.testing.assert_array_equal(clf.rule_class_weights_[i], counts)
        mean = (counts + 1.0) / (counts.sum() + 2.0)
        np.testing.assert_allclose(clf.rule_probabilities_[i], mean, rtol=1e-12)
        low, high = clf.rule_intervals_[i]
        assert np.all(low < mean) and np.all(mean < high)


def test_printed_list_and_local_notes(fitted):
    clf, X, _ = fitted
    text = str(clf.explain_global())
    lines = text.splitlines()
    assert lines[1].startswith("P(class) with 95% equal-tailed") and "R-hat" in lines[1]
    assert lines[2].startswith("IF ") and lines[-1].startswith("ELSE ")
    assert all(line.startswith("ELSE IF ") for line in lines[3:-1])
    assert "P(1) = " in text and "support" in text
    notes = clf.explain_local(X).notes
    decider = clf._deciding_rule(clf._prepare(X)[0])
    explanation = clf.explain_global()
    for row in range(len(X)):
        skipped = [part for part in notes[row].split("; ") if "skipped" in part]
        assert len(skipped) == decider[row]
        for i, part in enumerate(skipped):
            condition = next(c for c in clf.rules_[i] if str(c) in part)
            assert not condition.evaluate_column(X[condition.feature].to_numpy(dtype=object)[[row]])[0]
        assert notes[row].endswith("fired")
    assert explanation.to_frame().shape[0] == len(clf.rules_) + 1


def test_deterministic_for_a_seed_and_any_thread_count():
    X, y = _mixed(seed=1)
    a = BayesianRuleListClassifier(n_iter=2000, random_state=7, n_jobs=1).fit(X, y)
    b = BayesianRuleListClassifier(n_iter=2000, random_state=7, n_jobs=2).fit(X, y)
    assert a.term_names_ == b.term_names_
    assert a.log_posterior_ == b.log_posterior_ and a.rhat_ == b.rhat_
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


def test_multiclass_iris():
    X, y = load_iris(return_X_y=True, as_frame=True)
    clf = BayesianRuleListClassifier(n_iter=3000, random_state=0).fit(X, y)
    assert clf.rule_scores_.shape == (len(clf.rules_) + 1, 3)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.mean(clf.predict(X) == y) > 0.9
    local = clf.explain_local(X)
    np.testing.assert_array_equal(local.contributions.sum(axis=1), clf.decision_function(X))
    assert "P(2) = " in str(clf.explain_global())


def test_integer_weights_equal_repeated_rows_and_zero_weights_drop_rows():
    X, y = _mixed(n=200, seed=2)
    weights = np.random.RandomState(0).randint(0, 3, len(y)).astype(float)
    params = dict(n_iter=2000, random_state=3, max_thresholds=4)
    weighted = BayesianRuleListClassifier(**params).fit(X, y, sample_weight=weights)
    rows = np.repeat(np.arange(len(y)), weights.astype(int))
    repeated = BayesianRuleListClassifier(**params).fit(X.iloc[rows], y[rows])
    assert weighted.term_names_ == repeated.term_names_
    np.testing.assert_allclose(weighted.rule_probabilities_, repeated.rule_probabilities_, rtol=1e-12)
    assert weighted.log_posterior_ == pytest.approx(repeated.log_posterior_, rel=1e-12)


def test_max_rules_caps_the_list():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    clf = BayesianRuleListClassifier(max_rules=2, n_iter=2000, random_state=0, list_length_prior=8).fit(X, y)
    assert len(clf.rules_) <= 2


def test_one_class_target_is_rejected():
    X, _ = _mixed(n=50)
    with pytest.raises(ValueError, match="only one class|single class"):
        BayesianRuleListClassifier().fit(X, np.zeros(50))


def test_no_candidate_above_min_support_names_the_fix():
    X, y = _mixed(n=80)
    with pytest.raises(ValueError, match="No candidate rule covers at least min_support=1.0.*Lower min_support"):
        BayesianRuleListClassifier(min_support=1.0).fit(X, y)


def test_categorical_with_thousands_of_levels_is_rejected_clearly():
    X, y = _mixed(n=3000, seed=4)
    X["customer_id"] = pd.Categorical([f"c{i}" for i in range(len(X))])
    with pytest.raises(ValueError, match="customer_id.*3000 levels.*max_categories"):
        BayesianRuleListClassifier(n_iter=10).fit(X, y)


def test_too_many_candidates_names_the_parameter():
    X, y = load_breast_cancer(return_X_y=True)
    with pytest.raises(ValueError, match="max_candidates=100.*min_support"):
        BayesianRuleListClassifier(max_candidates=100).fit(X, y)


def test_bad_alpha_shape():
    X, y = _mixed(n=80)
    with pytest.raises(ValueError, match="one positive pseudo-count per class"):
        BayesianRuleListClassifier(alpha=[1.0, 1.0, 1.0]).fit(X, y)


@pytest.mark.parametrize("point_estimate", ["map", "brl-point"])
def test_max_rules_zero_gives_the_default_rule_alone(point_estimate):
    X, y = _mixed(n=120)
    clf = BayesianRuleListClassifier(max_rules=0, n_iter=200, point_estimate=point_estimate, random_state=0).fit(X, y)
    assert clf.rules_ == [] and clf.term_names_ == ["default"]
    assert clf.rhat_ == 1.0
    np.testing.assert_array_equal(clf.predict_proba(X), np.tile(clf.rule_probabilities_[0], (len(X), 1)))
