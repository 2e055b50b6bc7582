"""DecisionSetClassifier: class-relative support, minority-only rule sets and the validation folds."""

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

from glassbox import DecisionSetClassifier
from glassbox.rules._decision_set_objective import build_problem, exact_value, with_lambdas
from glassbox.rules._decision_set_rules import mine_per_class
from glassbox.rules._decision_set_tuning import validation_folds
from glassbox.rules._rule_model import fit_condition_bitsets
from glassbox.rules.mining import bitset_from_mask, class_counts, coverage_of, mine_candidate_rules
from glassbox.utils.tabular import validate_tabular

FAST = {"pool_size": 200, "n_restarts": 1, "random_state": 0}


@pytest.fixture(scope="module")
def unbalanced():
    """Breast cancer with most of the malignant rows dropped: a minority class of about 12 %."""
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :8]
    keep = (y == 1) | (np.arange(len(y)) % 4 == 0)
    X, y = X[keep].reset_index(drop=True), y[keep].reset_index(drop=True)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


def _bitsets(X, weights):
    probe = DecisionSetClassifier(max_thresholds=4)
    table = validate_tabular(probe, X, reset=True, categorical_features="auto")
    return probe, fit_condition_bitsets(probe, table, weights)


@pytest.mark.parametrize("weighted", [False, True])
def test_per_class_mining_finds_exactly_the_conjunctions_frequent_in_some_class(unbalanced, weighted):
    X_train, _, y_train, _ = unbalanced
    y = y_train.to_numpy()
    weights = np.random.RandomState(0).randint(0, 3, len(y)).astype(float) if weighted else np.ones(len(y))
    probe, bitsets = _bitsets(X_train, weights)
    generator = probe.condition_generator_
    mined, counts = mine_per_class(generator, bitsets, y, weights, 2, min_support=0.1, max_rule_len=2,
                                   max_candidates=10**6)
    assert np.array_equal(counts, class_counts(coverage_of(bitsets, list(mined.items)), y, weights, 2))
    # Brute force: every conjunction of up to two compatible conditions, kept when it covers 10 % of some
    # class's weight and not every row.
    everything = mine_candidate_rules(generator, bitsets, len(y), sample_weight=weights, min_support=1e-9,
                                      max_rule_len=2, max_candidates=10**6)
    all_counts = class_counts(everything.coverage, y, weights, 2)
    class_weight = np.bincount(y, weights=weights, minlength=2)
    frequent = np.any(all_counts >= 0.1 * class_weight * (1 - 1e-12), axis=1)
    expected = {everything.items[c] for c in np.flatnonzero(frequent)}
    assert set(mined.items) == expected
    assert len(set(mined.items)) == len(mined)  # each once
    assert np.array_equal(mined.weight, class_counts(coverage_of(bitsets, list(mined.items)), y, weights, 2).sum(axis=1))
    # Support against all rows finds a subset: a conjunction covering 10 % of the data covers 10 % of some class.
    overall = mine_candidate_rules(generator, bitsets, len(y), sample_weight=weights, min_support=0.1,
                                   max_rule_len=2, max_candidates=10**6)
    assert set(overall.items) <= set(mined.items)


def test_minority_rules_leave_the_majority_to_the_default(unbalanced):
    X_train, X_test, y_train, _ = unbalanced
    majority = y_train.value_counts().idxmax()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the majority having no rule is by design, not worth a warning
        model = DecisionSetClassifier(rule_classes="minority", tune_weights=False, **FAST).fit(X_train, y_train)
    assert model.rule_classes_ == "minority" and len(model.rules_) > 0
    assert all(rule.predicted_class != majority for rule in model.rules_)
    assert model.default_rule_.predicted_class == majority
    covered = model._prepare(X_test)[0].any(axis=1)
    assert np.all(model.predict(X_test)[~covered] == majority)
    assert np.all(model.predict(X_test)[covered] != majority)


def test_class_relative_support_gives_the_minority_candidates(unbalanced):
    X_train, _, y_train, _ = unbalanced
    plain = dict(min_support=0.2, rule_classes="minority", tune_weights=False, **{**FAST, "pool_size": 10**5})
    by_class = DecisionSetClassifier(support_scope="class", **plain).fit(X_train, y_train)
    by_data = DecisionSetClassifier(support_scope="data", **plain).fit(X_train, y_train)
    # 20 % of all rows is more than the whole minority (~12 %): only imprecise, wide rules qualify.
    assert by_data.n_candidates_ < by_class.n_candidates_
    assert by_class.score(X_train, y_train) > by_data.score(X_train, y_train) + 0.03


def test_validation_folds_hold_out_every_positive_weight_row_once_by_class():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, 200)
    weights = rng.randint(0, 3, 200).astype(float)
    folds = validation_folds(y, weights, 2, random_state=0)
    assert len(folds) == 2
    groups = np.arange(200) // 4  # four rows per group (one class each after the filter below)
    y_grouped = y[groups * 4]
    for fold in validation_folds(y_grouped, weights, 2, random_state=0, groups=groups):
        for g in range(50):
            members = (groups == g) & (weights > 0)
            assert np.all(fold[members]) or not np.any(fold[members])
    held = np.sum(folds, axis=0)
    assert np.array_equal(held, (weights > 0).astype(int))
    for k in range(3):
        sizes = [np.sum(fold & (y == k)) for fold in folds]
        assert max(sizes) - min(sizes) <= 1
    single = validation_folds(y, weights, 1, random_state=0)
    assert len(single) == 1 and not np.any(single[0] & (weights == 0))
    for k in range(3):
        assert np.sum(single[0] & (y == k)) == round(0.25 * np.sum((y == k) & (weights > 0)))


def test_rescaled_problem_scores_like_a_fresh_one():
    rng = np.random.RandomState(1)
    y = rng.randint(0, 2, 150)
    cover = bitset_from_mask(rng.rand(8, 150) < 0.3)
    rule_class, length = rng.randint(0, 2, 8), rng.randint(1, 3, 8)
    weights = rng.rand(150)
    base = build_problem(cover, y, weights, rule_class, length, np.ones(7), 2)
    lambdas = rng.rand(7)
    fresh = build_problem(cover, y, weights, rule_class, length, lambdas, 2)
    rescaled = with_lambdas(base, lambdas)
    for size in range(4):
        for subset in itertools.combinations(range(8), size):
            assert exact_value(rescaled, subset) == pytest.approx(exact_value(fresh, subset), abs=1e-12)


def test_default_fit_with_zero_weights_equals_dropping_the_rows(unbalanced):
    X_train, X_test, y_train, _ = unbalanced
    weights = np.ones(len(y_train))
    weights[::5] = 0.0
    keep = weights > 0
    zeroed = DecisionSetClassifier(**FAST).fit(X_train, y_train, sample_weight=weights)
    dropped = DecisionSetClassifier(**FAST).fit(X_train[keep], y_train[keep])
    assert zeroed.tune_weights and zeroed.weight_search_
    assert [str(r) for r in zeroed.rules_] == [str(r) for r in dropped.rules_]
    assert np.array_equal(zeroed.predict_proba(X_test), dropped.predict_proba(X_test))
    assert np.array_equal(zeroed.explain_global().decision_function(X_test), zeroed.decision_function(X_test))


def test_default_fit_with_integer_weights_equals_repeated_rows(unbalanced):
    X_train, X_test, y_train, _ = unbalanced
    weights = np.random.RandomState(3).randint(1, 4, len(y_train))
    repeat = np.repeat(np.arange(len(y_train)), weights)
    weighted = DecisionSetClassifier(**FAST).fit(X_train, y_train, sample_weight=weights.astype(float))
    repeated = DecisionSetClassifier(**FAST).fit(X_train.iloc[repeat], y_train.iloc[repeat])
    # Copies of a row share a validation fold, so the weight search sees the same folds.
    assert weighted.weight_search_ == repeated.weight_search_
    assert [str(r) for r in weighted.rules_] == [str(r) for r in repeated.rules_]
    assert np.array_equal(weighted.predict_proba(X_test), repeated.predict_proba(X_test))


def test_accuracy_floor_reads_weights_as_repetitions_of_any_scale():
    from glassbox.rules._decision_set_tuning import accuracy_floor

    accuracy = np.array([0.7, 0.8, 0.75])
    se = np.sqrt(0.8 * 0.2 / 100)
    assert accuracy_floor(accuracy, np.ones(100)) == pytest.approx(0.8 - 0.5 * se)
    assert accuracy_floor(accuracy, np.full(100, 0.01)) == pytest.approx(0.8 - 0.5 * se)
    assert accuracy_floor(accuracy, np.r_[np.ones(50), np.full(25, 2.0), np.zeros(7)]) == pytest.approx(0.8 - 0.5 * se)


def test_too_many_candidates_of_some_class_says_what_max_candidates_holds_them():
    # the refusals named no count: one class's mining gave its conjunctions without a total, the union of
    # the classes' candidates nothing at all
    import re

    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    y = (X["a"] > 0).astype(int)
    with pytest.raises(ValueError, match=r"Mining one class: .* max_candidates must be at least (\d+)\.") as error:
        DecisionSetClassifier(random_state=0, max_rule_len=3, max_candidates=100).fit(X, y)
    one_class = int(re.search(r"at least (\d+)\.", str(error.value)).group(1))
    with pytest.raises(ValueError, match=r"In all (\d+) candidates reach min_support of some class: "
                                         r"max_candidates=\d+ would do\.") as error:
        DecisionSetClassifier(random_state=0, max_rule_len=3, max_candidates=one_class + 100).fit(X, y)
    enough = int(re.search(r"max_candidates=(\d+) would do", str(error.value)).group(1))
    assert enough > one_class
    DecisionSetClassifier(random_state=0, max_rule_len=3, max_candidates=enough).fit(X, y)
