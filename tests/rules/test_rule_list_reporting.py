"""BayesianRuleListClassifier: credible intervals, the convergence diagnostic and how both are reported."""

import dataclasses
import html
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import beta
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.exceptions import ConvergenceWarning

from glassbox import BayesianRuleListClassifier, DecisionSetClassifier, from_json
from glassbox.explain import RuleList

pytestmark = pytest.mark.filterwarnings("ignore:The MCMC chains disagree")


def _weighted_problem(n_classes, seed=0, n=240):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.uniform(0, 10, size=n), "c": rng.choice(["x", "y", "z"], n)})
    score = X["a"] + 0.3 * X["b"] + (X["c"] == "x")
    y = np.digitize(score + rng.normal(scale=0.5, size=n), np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]))
    weights = rng.choice([0.0, 0.5, 1.0, 2.0, 3.0], size=n)
    return X, y, weights


@pytest.mark.parametrize("n_classes, alpha", [(2, 1.0), (2, [0.5, 2.0]), (3, [1.0, 2.0, 0.5])])
@pytest.mark.parametrize("level", [0.95, 0.5])
def test_intervals_are_the_beta_marginals_of_each_rules_dirichlet_posterior(n_classes, alpha, level):
    X, y, weights = _weighted_problem(n_classes)
    clf = BayesianRuleListClassifier(n_iter=400, alpha=alpha, credible_level=level, random_state=0)
    clf.fit(X, y, sample_weight=weights)
    # Each rule's posterior is Dirichlet(alpha + weighted class counts of the rows it decides);
    # class k's marginal is Beta(a_k, sum(a) - a_k).  Counted here from the printed list alone.
    explanation = clf.explain_global()
    decider = explanation.deciding_rule(X)
    alpha_vec = np.broadcast_to(np.asarray(alpha, dtype=float), (n_classes,))
    for i in range(len(clf.rules_) + 1):
        a = alpha_vec + np.bincount(y[decider == i], weights=weights[decider == i], minlength=n_classes)
        low = beta.ppf((1 - level) / 2, a, a.sum() - a)
        high = beta.ppf((1 + level) / 2, a, a.sum() - a)
        np.testing.assert_allclose(clf.rule_intervals_[i, 0], low, rtol=1e-12, atol=0)
        np.testing.assert_allclose(clf.rule_intervals_[i, 1], high, rtol=1e-12, atol=0)
    assert explanation.credible_level == level
    assert len(clf.rules_) >= 1  # the check above covers at least one rule besides the default


def test_few_iterations_warn_that_the_chains_disagree():
    X, y = load_breast_cancer(return_X_y=True)
    with pytest.warns(ConvergenceWarning, match="chains disagree.*split R-hat.*random_state"):
        clf = BayesianRuleListClassifier(n_iter=100, random_state=0).fit(X[:, :6], y)
    assert clf.rhat_ > 1.5


def test_agreeing_chains_do_not_warn():
    X, y = load_iris(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = BayesianRuleListClassifier(random_state=0).fit(X, y)
    assert 1.0 <= clf.rhat_ < 1.05


@pytest.fixture(scope="module")
def explained():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    clf = BayesianRuleListClassifier(n_iter=400, credible_level=0.9, random_state=0).fit(X.iloc[:, :5], y)
    return clf, clf.explain_global(), X.iloc[:, :5]


def test_printed_list_states_the_interval_level_and_rhat(explained):
    clf, explanation, _ = explained
    reading = str(explanation).splitlines()[1]
    assert reading.startswith("P(class) with 90% equal-tailed posterior credible intervals")
    assert f"chains' R-hat {clf.rhat_:.3f}" in reading
    assert html.escape(reading) in explanation._repr_html_()


def test_level_and_rhat_round_trip_through_json(explained):
    clf, explanation, X = explained
    back = from_json(explanation.to_json())
    assert back == explanation and back.rhat == clf.rhat_ and back.credible_level == 0.9
    assert str(back) == str(explanation)
    one_chain = RuleList.from_dict({**explanation.to_dict(), "content": {**explanation._payload(), "rhat": "nan"}})
    assert np.isnan(from_json(one_chain.to_json()).rhat)
    assert "R-hat not available (one chain, or fewer than 4 draws after burn-in)" in str(one_chain)
    # the verdict follows the figure: 1.1 is the threshold the estimator's warning uses
    for rhat, verdict in ((1.02, "(at most 1.1: the chains agree)"), (1.1, "(at most 1.1: the chains agree)"),
                          (1.4, "(over 1.1: the chains disagree)"), (1.101, "(over 1.1: the chains disagree)")):
        printed = str(dataclasses.replace(explanation, rhat=rhat))
        assert f"chains' R-hat {rhat:.3f} {verdict}" in printed  # 1.101 printed "1.10 (over 1.1" before


def test_payload_written_before_the_fields_existed_still_loads(explained):
    clf, explanation, X = explained
    payload = json.loads(explanation.to_json())
    del payload["content"]["rhat"], payload["content"]["credible_level"]
    old = from_json(json.dumps(payload))
    assert old.rhat is None and old.credible_level is None
    np.testing.assert_array_equal(old.predict_proba(X), clf.predict_proba(X))
    lines = str(old).splitlines()
    assert lines[1].startswith("IF ") and lines[2:] == str(explanation).splitlines()[3:]


def test_a_list_edited_by_keep_rules_does_not_claim_the_searchs_rhat():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :5]
    clf = BayesianRuleListClassifier(n_iter=400, random_state=0).fit(X, y)
    assert len(clf.rules_) >= 2
    clf.keep_rules(list(range(1, len(clf.rules_))), X, y)
    explanation = clf.explain_global()
    assert explanation.rhat is None and explanation.credible_level == 0.95
    assert "R-hat" not in str(explanation) and "95% equal-tailed" in str(explanation)


def test_every_rule_kept_but_estimated_on_other_rows_is_no_longer_the_searchs_list():
    # the same rules re-estimated on new rows kept the search's log-posterior and printed its R-hat
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :5]
    clf = BayesianRuleListClassifier(n_iter=400, random_state=0).fit(X.iloc[:300], y.iloc[:300])
    every = list(range(len(clf.rules_)))
    clf.keep_rules(every, X.iloc[:300], y.iloc[:300])  # the training rows: the fitted model, unchanged
    assert np.isfinite(clf.log_posterior_) and "R-hat" in str(clf.explain_global())
    clf.keep_rules(every, X.iloc[300:], y.iloc[300:])
    assert np.isnan(clf.log_posterior_) and "R-hat" not in str(clf.explain_global())


@pytest.mark.parametrize("make", [
    lambda cw: BayesianRuleListClassifier(n_iter=200, random_state=0, class_weight=cw),
    lambda cw: DecisionSetClassifier(max_rules=3, random_state=0, class_weight=cw),
])
def test_class_weighted_rules_say_their_figures_are_the_reweighted_samples(make):
    # the printed list / set, its HTML and its JSON say the probabilities are the class-weighted sample's
    X, y, _ = _weighted_problem(2)
    y = (y == 1) & (X["a"].to_numpy() > 0)  # a rare event: class weights change the probabilities
    for class_weight, noted in [(None, False), ({False: 1, True: 1}, False), ("balanced", True)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            explanation = make(class_weight).fit(X, y).explain_global()
        loaded = from_json(explanation.to_json())
        for text in (str(explanation), explanation._repr_html_(), str(loaded)):
            assert ("class-weighted sample" in text) == noted, (class_weight, text)
        assert ("class_weights" in explanation.to_json()) == noted
        if noted:
            assert "they overstate the real rate of True" in str(explanation), str(explanation)
            np.testing.assert_array_equal(loaded.class_weights, explanation.class_weights)


def test_set_rules_takes_the_rules_of_the_lists_explanation():
    # explain_global().rules (Rule objects) failed deep inside with "'Rule' object is not iterable"
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :5]
    clf = BayesianRuleListClassifier(n_iter=400, random_state=0).fit(X, y)
    assert len(clf.rules_) >= 2
    expected = clf.predict_proba(X)
    clf.set_rules(clf.explain_global().rules, X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), expected)
    later = clf.explain_global().rules[1:]
    clf.set_rules(later, X, y)
    assert clf.rules_ == [rule.conditions for rule in later]
    with pytest.raises(ValueError, match=r"a list of rules, each a tuple of conditions.*\[\(condition,\)\]"):
        clf.set_rules([clf.rules_[0][0]], X, y)
    with pytest.raises(ValueError, match="default"):
        clf.set_rules([clf.explain_global().default], X, y)


def test_keep_rules_on_an_empty_list_says_it_is_empty():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :5]
    clf = BayesianRuleListClassifier(n_iter=400, random_state=0, max_rules=0).fit(X, y)
    clf.keep_rules([], X, y)
    with pytest.raises(ValueError, match=r"rules_ is empty: only \[\] can be kept") as error:
        clf.keep_rules([0], X, y)
    assert "0 to -1" not in str(error.value)


@pytest.mark.parametrize("level, shown", [(0.95, "95%"), (0.975, "97.5%"), (0.9999999, "99.99999%"), (0.12345, "12.345%")])
def test_the_credible_level_prints_as_the_percentage_it_is(level, shown):
    # four significant digits printed 0.9999999 as "100%", the level of the interval [0, 1]
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    clf = BayesianRuleListClassifier(n_iter=200, random_state=0, credible_level=level).fit(X.iloc[:, :3], y)
    explanation = clf.explain_global()
    assert f"P(class) with {shown} equal-tailed" in str(explanation)
    assert f"[{shown} credible interval]" in explanation._repr_html_()
    assert f"P(class) with {shown} equal-tailed" in str(from_json(clf.to_json()))


def test_keep_rules_notes_describe_the_rows_it_was_given():
    # the notes of the fit stayed: a list fitted with weights and re-estimated on unit weights still said its
    # supports were weights, and class_weight='balanced' printed the fit's factors, not those the new rows got
    X, y, weights = _weighted_problem(2)
    weights = weights + 1.0
    clf = BayesianRuleListClassifier(n_iter=200, random_state=0).fit(X, y, sample_weight=weights)
    assert "supports are training weights" in str(clf.explain_global())
    every = np.arange(len(clf.rules_))
    clf.keep_rules(every, X, y)
    assert "supports are training weights" not in str(clf.explain_global())
    clf.keep_rules(every, X, y, sample_weight=weights)
    assert "supports are training weights" in str(clf.explain_global())

    balanced = BayesianRuleListClassifier(n_iter=200, random_state=0, class_weight="balanced").fit(X, y)
    refit = BayesianRuleListClassifier(n_iter=200, random_state=0, class_weight="balanced").fit(X[:100], y[:100])
    balanced.keep_rules(np.arange(len(balanced.rules_)), X[:100], y[:100])
    np.testing.assert_array_equal(balanced.explain_global().class_weights, refit.explain_global().class_weights)


@pytest.mark.parametrize("class_weight", ["balanced", {0: 2.0}])
def test_keep_rules_on_rows_of_one_class_keeps_a_factor_per_class(class_weight):
    # re-estimated on rows of one class, the note listed that class alone ("class_weight {0: 0.5}") and called
    # its factor "the same factor on every class"
    X, y, _ = _weighted_problem(2)
    clf = BayesianRuleListClassifier(n_iter=200, random_state=0, class_weight=class_weight).fit(X, y)
    fitted = clf.explain_global().class_weights
    one = y == 0
    clf.keep_rules(np.arange(len(clf.rules_)), X[one], y[one])
    explanation = clf.explain_global()
    assert len(explanation.class_weights) == 2
    assert explanation.class_weights[1] == fitted[1]
    assert "the same factor on every class" not in str(explanation)
    assert str(from_json(clf.to_json())) == str(explanation)
