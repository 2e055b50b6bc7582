"""Backward elimination of distilled rule lists' rules and BayesianRuleListClassifier.keep_rules."""

import copy

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier

from glassbox import BayesianRuleListClassifier
from glassbox.surrogate import DistilledClassifier, distillation_student
from glassbox.surrogate._prune_rules import (_candidate_rules, backward_eliminate, prune_rule_list,
                                             removal_agreements, replace_for_agreement, replacement_gains)
from glassbox.rules.mining import bitset_from_mask


@pytest.fixture(scope="module")
def long_list():
    """A long rule list fitted to a forest's labels, with uneven weights (zeros included)."""
    X, y = make_classification(n_samples=600, n_features=5, n_informative=4, n_redundant=0, random_state=3)
    labels = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y).predict(X)
    weights = np.random.default_rng(0).integers(0, 4, size=len(y)).astype(float)
    student = BayesianRuleListClassifier(list_length_prior=15.0, min_support=0.03, max_thresholds=10, n_chains=4,
                                         n_iter=1500, random_state=0)
    with _no_check():
        student.fit(X, labels, sample_weight=weights)
    assert len(student.rules_) >= 6
    return X, labels, weights, student


class _no_check:
    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def _agreement(student, X, labels, weights):
    return float((student.predict(X) == labels) @ weights)


def test_keep_every_rule_reproduces_the_fitted_model(long_list):
    X, labels, weights, student = long_list
    again = copy.copy(student).keep_rules(np.arange(len(student.rules_)), X, labels, sample_weight=weights)
    for name in ("rule_scores_", "rule_probabilities_", "rule_intervals_", "rule_class_weights_", "rule_support_"):
        np.testing.assert_array_equal(getattr(again, name), getattr(student, name))
    assert again.rules_ == student.rules_ and again.term_names_ == student.term_names_
    assert again.log_posterior_ == student.log_posterior_
    np.testing.assert_array_equal(again.predict_proba(X), student.predict_proba(X))


def test_kept_rules_are_reestimated_from_the_rows_they_now_decide(long_list):
    X, labels, weights, student = long_list
    kept = np.arange(0, len(student.rules_), 2)
    covered = student.coverage(X)[:, kept]
    pruned = copy.copy(student).keep_rules(kept, X, labels, sample_weight=weights)
    assert pruned.rules_ == [student.rules_[i] for i in kept] and np.isnan(pruned.log_posterior_)
    assert not np.isnan(student.log_posterior_)  # the original is untouched
    # Brute force: the first kept rule covering each row decides it; posterior mean of alpha + class weights.
    decider = np.where(covered.any(axis=1), np.argmax(covered, axis=1), len(kept))
    codes = np.searchsorted(student.classes_, labels)
    counts = np.zeros((len(kept) + 1, 2))
    np.add.at(counts, (decider, codes), weights)
    np.testing.assert_allclose(pruned.rule_class_weights_, counts, rtol=0, atol=1e-9)
    mean = (1.0 + counts) / (2.0 + counts.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(pruned.rule_probabilities_, mean, rtol=1e-12)
    # predict_proba is exactly the deciding rule's probabilities, and the explanation recomputes it.
    np.testing.assert_array_equal(pruned.predict_proba(X), pruned.rule_probabilities_[decider])
    np.testing.assert_allclose(pruned.explain_global().decision_function(X), pruned.decision_function(X),
                               rtol=0, atol=1e-12)
    assert len(pruned.explain_global().rules) == len(kept)


def test_removal_agreements_match_refitting_each_shorter_list(long_list):
    X, labels, weights, student = long_list
    coverage = bitset_from_mask(student.coverage(X).T)
    codes = np.searchsorted(student.classes_, labels)
    agreements, current = removal_agreements(coverage, codes, weights, np.ones(2), len(labels))
    assert current == pytest.approx(_agreement(student, X, labels, weights))
    m = len(student.rules_)
    for j in range(m):
        shorter = copy.copy(student).keep_rules(np.delete(np.arange(m), j), X, labels, sample_weight=weights)
        assert agreements[j] == pytest.approx(_agreement(shorter, X, labels, weights), abs=1e-9)


def test_pruning_alone_never_lowers_training_agreement_and_keeps_a_subsequence(long_list):
    X, labels, weights, student = long_list
    before = _agreement(student, X, labels, weights)
    pruned = prune_rule_list(student, X, labels, weights, max_replacements=0)
    assert len(pruned.rules_) < len(student.rules_)  # the long list has rules that change nothing
    assert _agreement(pruned, X, labels, weights) >= before
    # Backward elimination stops where every further removal lowers the agreement.
    coverage = bitset_from_mask(pruned.coverage(X).T)
    codes = np.searchsorted(pruned.classes_, labels)
    agreements, current = removal_agreements(coverage, codes, weights, np.ones(2), len(labels))
    assert np.all(agreements < current)
    # The pruned rules are a subsequence of the original list.
    positions = [student.rules_.index(rule) for rule in pruned.rules_]
    assert positions == sorted(positions)


def test_replacing_then_pruning_raises_training_agreement_and_never_adds_rules(long_list):
    X, labels, weights, student = long_list
    pruned_only = prune_rule_list(student, X, labels, weights, max_replacements=0)
    improved = prune_rule_list(student, X, labels, weights)
    assert len(improved.rules_) <= len(student.rules_)
    assert _agreement(improved, X, labels, weights) > _agreement(pruned_only, X, labels, weights)
    assert np.isnan(improved.log_posterior_) and not np.isnan(student.log_posterior_)
    # Every rule is a candidate of the fit: a conjunction of its conditions within its width and support.
    conditions = set(student.condition_generator_.conditions_)
    support = improved.coverage(X).T @ weights / weights.sum()
    assert all(set(rule) <= conditions and len(rule) <= student.max_rule_len for rule in improved.rules_)
    assert np.all(support >= student.min_support - 1e-12)
    # It ends with backward elimination: every further removal lowers the agreement.
    codes = np.searchsorted(improved.classes_, labels)
    agreements, current = removal_agreements(bitset_from_mask(improved.coverage(X).T), codes, weights, np.ones(2),
                                             len(labels))
    assert np.all(agreements < current)
    assert current == pytest.approx(_agreement(improved, X, labels, weights))


def test_replacement_gains_match_refitting_each_replaced_list(long_list):
    X, labels, weights, student = long_list
    codes = np.searchsorted(student.classes_, labels)
    candidates = _candidate_rules(student, X, weights)
    picked = np.arange(0, len(candidates), max(1, len(candidates) // 12))
    rules = list(student.rules_[:5])
    base = copy.copy(student).set_rules(rules, X, labels, sample_weight=weights)
    gains, positions = replacement_gains(bitset_from_mask(base.coverage(X).T), candidates.coverage[picked], codes,
                                         weights, np.ones(2), len(labels))
    current = _agreement(base, X, labels, weights)
    generator = student.condition_generator_
    for i, c in enumerate(picked):
        brute = []
        for j in range(len(rules)):
            replaced = rules[:j] + [candidates.conditions(generator, c)] + rules[j + 1:]
            brute.append(_agreement(copy.copy(student).set_rules(replaced, X, labels, sample_weight=weights), X,
                                    labels, weights) - current)
        assert gains[i] == pytest.approx(max(brute), abs=1e-9)
        assert brute[positions[i]] == pytest.approx(max(brute), abs=1e-9) and positions[i] == int(np.argmax(brute))


def test_replacement_search_stops_where_no_replacement_raises_agreement(long_list):
    X, labels, weights, student = long_list
    codes = np.searchsorted(student.classes_, labels)
    candidates = _candidate_rules(student, X, weights).coverage
    start = bitset_from_mask(student.coverage(X).T)
    coverage, source = replace_for_agreement(start, candidates, codes, weights, np.ones(2), len(labels), 1000,
                                             shortlist=4)
    assert np.any(source >= 0) and len(coverage) == len(start)
    np.testing.assert_array_equal(coverage[source >= 0], candidates[source[source >= 0]])
    np.testing.assert_array_equal(coverage[source < 0], start[source < 0])
    gains, _ = replacement_gains(coverage, candidates, codes, weights, np.ones(2), len(labels))
    assert gains.max() <= 1e-9 * weights.sum()
    # At most max_steps replacements, each one raising the agreement.
    one, source_one = replace_for_agreement(start, candidates, codes, weights, np.ones(2), len(labels), 1)
    assert np.sum(source_one >= 0) == 1


def test_nothing_to_remove_leaves_the_model_identical():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(300, 2))
    y = (X[:, 0] >= 0.5).astype(int)
    with _no_check():
        student = BayesianRuleListClassifier(max_rules=1, n_chains=2, n_iter=500, random_state=0).fit(X, y)
    assert len(student.rules_) == 1  # the boundary rule: without it the default labels every row alike
    assert len(backward_eliminate(bitset_from_mask(student.coverage(X).T), y, np.ones(300), np.ones(2), 300)) == \
        len(student.rules_)
    state = dict(vars(student))
    proba = student.predict_proba(X)
    assert prune_rule_list(student, X, y, np.ones(300)) is student
    assert all(vars(student)[key] is value for key, value in state.items()) and vars(student).keys() == state.keys()
    np.testing.assert_array_equal(student.predict_proba(X), proba)


def test_a_list_fitted_to_other_labels_is_left_as_it_is(long_list):
    X, labels, weights, student = long_list
    flipped = labels.copy()
    flipped[:50] = 1 - flipped[:50]
    assert prune_rule_list(student, X, flipped, weights) is student  # e.g. a student of soft labels


def test_distilled_rule_list_is_pruned(long_list):
    X, labels, _, _ = long_list
    teacher = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, labels)
    student = distillation_student("BayesianRuleListClassifier", list_length_prior=15.0, n_chains=4, n_iter=1500,
                                   random_state=0)
    with _no_check():
        copy_ = DistilledClassifier(teacher, student, random_state=0).fit(X)
    coverage = bitset_from_mask(copy_.student_.coverage(X).T)
    codes = np.searchsorted(copy_.classes_, teacher.predict(X))
    agreements, current = removal_agreements(coverage, codes, np.ones(len(X)), np.ones(2), len(X))
    assert np.all(agreements < current)  # polish_for_agreement pruned it to a stop


def test_keep_rules_rejects_bad_input(long_list):
    X, labels, weights, student = long_list
    with pytest.raises(ValueError, match="strictly increasing"):
        copy.copy(student).keep_rules([2, 1], X, labels)
    with pytest.raises(ValueError, match="strictly increasing"):
        copy.copy(student).keep_rules([len(student.rules_)], X, labels)
    with pytest.raises(ValueError, match="outside classes_"):
        copy.copy(student).keep_rules([0], X, labels + 5)
    with pytest.raises(TypeError, match="integer"):
        copy.copy(student).keep_rules([0.5], X, labels)


def test_set_rules_estimates_any_conjunction_of_the_fits_conditions(long_list):
    X, labels, weights, student = long_list
    again = copy.copy(student).set_rules(student.rules_, X, labels, sample_weight=weights)
    np.testing.assert_array_equal(again.predict_proba(X), student.predict_proba(X))
    assert again.log_posterior_ == student.log_posterior_
    conditions = student.condition_generator_.conditions_
    rules = [(conditions[3],), (conditions[0], conditions[-1])]
    other = copy.copy(student).set_rules(rules, X, labels, sample_weight=weights)
    assert other.rules_ == rules and np.isnan(other.log_posterior_) and other.term_names_[-1] == "default"
    covered = np.column_stack([np.all([_holds(c, X) for c in rule], axis=0) for rule in rules])
    decider = np.where(covered.any(axis=1), np.argmax(covered, axis=1), len(rules))
    counts = np.zeros((len(rules) + 1, 2))
    np.add.at(counts, (decider, np.searchsorted(student.classes_, labels)), weights)
    np.testing.assert_allclose(other.rule_class_weights_, counts, rtol=0, atol=1e-9)
    np.testing.assert_allclose(other.explain_global().decision_function(X), other.decision_function(X), atol=1e-12)
    with pytest.raises(ValueError, match="conditions_"):
        copy.copy(student).set_rules([()], X, labels)


def _holds(condition, X):
    from glassbox.explain._columns import RawColumns

    return np.asarray(condition.evaluate(RawColumns(X, [f"x{i}" for i in range(X.shape[1])])), dtype=bool)
