"""DecisionSetClassifier: exact explanations, conflicts, probabilities, weights and bad input."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.model_selection import train_test_split

from glassbox import DecisionSetClassifier, from_json
from glassbox.explain import RuleSet
from glassbox.explain._columns import RawColumns
from glassbox.explain.decision_path import COVERS

# The plain IDS fit (no weight search) unless a test says otherwise: quicker, and exact properties hold for both.
FAST = {"pool_size": 300, "n_restarts": 1, "random_state": 0, "tune_weights": False}


@pytest.fixture(scope="module")
def wine():
    X, y = load_wine(return_X_y=True, as_frame=True)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :10]  # the mean features keep mining small
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


@pytest.fixture(scope="module")
def conflicted(wine):
    """A model that tolerates conflicts, so that rules of different classes overlap."""
    X_train, _, y_train, _ = wine
    return DecisionSetClassifier(conflict_penalty=0.0, overlap_penalty=0.0, max_rules=8, **FAST).fit(X_train, y_train)


def covering(rules, X):
    columns = RawColumns(X, list(X.columns))
    return np.column_stack([rule.covers(columns) for rule in rules])


def test_global_explanation_recomputes_the_model_bit_for_bit(wine, conflicted):
    _, X_test, _, _ = wine
    explanation = conflicted.explain_global()
    assert isinstance(explanation, RuleSet)
    assert np.array_equal(explanation.decision_function(X_test), conflicted.decision_function(X_test))
    assert np.array_equal(explanation.predict_proba(X_test), conflicted.predict_proba(X_test))
    loaded = from_json(conflicted.to_json())
    assert np.array_equal(loaded.decision_function(X_test), conflicted.decision_function(X_test))


def test_local_explanation_is_one_hot_on_the_deciding_rule(wine, conflicted):
    _, X_test, _, _ = wine
    local = conflicted.explain_local(X_test)
    nonzero = np.abs(local.contributions).sum(axis=2) != 0  # (rows, terms)
    assert np.all(nonzero.sum(axis=1) == 1)
    assert np.array_equal(local.base_value + local.contributions.sum(axis=1), conflicted.decision_function(X_test))
    covered = covering(conflicted.rules_, X_test)
    decider = np.where(covered.any(axis=1), np.argmax(covered, axis=1), len(conflicted.rules_))
    assert np.array_equal(np.argmax(nonzero, axis=1), decider)


def test_conflicts_go_to_the_most_precise_rule_then_the_larger_support(wine, conflicted):
    X_train, _, _, _ = wine
    rules = conflicted.rules_
    keys = [(-r.precision, -r.support, len(r.conditions)) for r in rules]
    assert keys == sorted(keys), "rules are not stored in conflict-resolution order"
    covered = covering(rules, X_train)
    classes = np.array([r.predicted_class for r in rules])
    conflicts = [row for row in covered if len(set(classes[row])) > 1]
    assert conflicts, "the fixture should produce conflicting rules"
    decided = conflicted.predict(X_train)
    for i, row in enumerate(covered):
        if row.any():
            best = min(np.flatnonzero(row), key=lambda j: keys[j])
            assert decided[i] == rules[best].predicted_class


def test_local_notes_list_every_covering_rule_and_the_decision(wine, conflicted):
    _, X_test, _, _ = wine
    notes = conflicted.explain_local(X_test).notes
    covered = covering(conflicted.rules_, X_test)
    classes = np.array([r.predicted_class for r in conflicted.rules_])
    seen_conflict = False
    for note, row in zip(notes, covered):
        hits = np.flatnonzero(row)
        if len(hits) == 0:
            assert "default applies" in note
            continue
        for j in hits:
            assert f"rule {j + 1} (class" in note
        assert f"rule {hits[0] + 1} decides" in note or "it decides" in note
        if len(set(classes[hits])) > 1:
            seen_conflict = True
            assert "conflict" in note and "decides over rule" in note
            assert any(why in note for why in ("more precise", "larger support", "fewer conditions", "text order"))
    assert seen_conflict


def test_probabilities_are_the_deciding_rules_smoothed_frequencies(wine):
    # Among the training rows the deciding rule *decides* (it covers them and no higher-ranked rule does),
    # not all it covers: the probability a row gets is then the rate among the rows that get it.
    X_train, X_test, y_train, _ = wine
    model = DecisionSetClassifier(max_rules=6, smoothing=0.5, overlap_penalty=0.0,
                                  **FAST).fit(X_train, y_train)
    n_rules = len(model.rules_)
    train_cover = covering(model.rules_, X_train)
    decides = np.where(train_cover.any(axis=1), np.argmax(train_cover, axis=1), n_rules)
    assert np.any(train_cover.sum(axis=0) > np.bincount(decides, minlength=n_rules + 1)[:n_rules])  # shadowed rows
    test_cover = covering(model.rules_, X_test)
    classes = model.classes_
    expected_rows = []
    for row in test_cover:
        mask = decides == (np.argmax(row) if row.any() else n_rules)
        counts = np.array([(y_train.to_numpy()[mask] == c).sum() for c in classes], dtype=float)
        expected_rows.append((counts + 0.5) / (counts.sum() + 0.5 * len(classes)))
    np.testing.assert_allclose(model.predict_proba(X_test), np.array(expected_rows), rtol=1e-12)
    for i, rule in enumerate(model.rules_):  # precision and support still describe the rows it covers
        assert rule.support == train_cover[:, i].sum() and rule.decides == np.sum(decides == i)
        assert rule.precision == np.mean(y_train.to_numpy()[train_cover[:, i]] == rule.predicted_class)


def test_fit_is_deterministic_and_reports_its_objective(cancer):
    X_train, _, y_train, _ = cancer
    a = DecisionSetClassifier(max_rules=5, **FAST).fit(X_train, y_train)
    b = DecisionSetClassifier(max_rules=5, **FAST).fit(X_train, y_train)
    assert a.to_json() == b.to_json()
    assert np.all(np.diff(a.objective_trace_) > 0)
    assert a.objective_trace_[-1] == pytest.approx(a.objective_, abs=1e-10)
    weights = np.array([getattr(a, name) for name in a.objective_terms_])
    assert weights @ np.array(list(a.objective_terms_.values())) == pytest.approx(a.objective_, abs=1e-10)


def test_binary_model_is_accurate_and_respects_its_limits(cancer):
    X_train, X_test, y_train, y_test = cancer
    model = DecisionSetClassifier(max_rules=4, max_rule_len=2, min_precision=0.9, **FAST).fit(X_train, y_train)
    assert 1 <= len(model.rules_) <= 4
    assert all(len(r.conditions) <= 2 for r in model.rules_)
    assert all(r.precision >= 0.9 for r in model.rules_)
    assert model.score(X_test, y_test) > 0.88
    assert model.decision_function(X_test).shape == (len(X_test),)
    assert "Otherwise:" in str(model.explain_global())


def test_multiclass_model(wine):
    X_train, X_test, y_train, y_test = wine
    model = DecisionSetClassifier(max_rules=8, **FAST).fit(X_train, y_train)
    assert {r.predicted_class for r in model.rules_} == set(model.classes_)
    assert model.decision_function(X_test).shape == (len(X_test), 3)
    np.testing.assert_allclose(model.predict_proba(X_test).sum(axis=1), 1.0)
    assert model.score(X_test, y_test) > 0.85
    table = model.rule_table()
    assert list(table.columns[-2:]) == ["overlap same class", "overlap other classes"]
    assert len(table) == len(model.rules_) + 1


def test_rule_table_overlaps_count_each_row_once():
    # Each column is the weight of the rule's rows some other rule of that kind covers, each row once
    # (a sum of pairwise overlaps counted rows covered by three rules twice and could pass the support).
    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    # overlaps free, so that rules of one class do overlap
    model = DecisionSetClassifier(max_rules=6, tune_weights=False, overlap_penalty=0.0, random_state=0)
    model.fit(X_train, y_train)
    table = model.rule_table()
    covered = model.explain_local(X_train).decision_path.failed.T == COVERS
    classes = np.array([r.predicted_class for r in model.rules_])
    for i, rule in enumerate(model.rules_):
        others = np.arange(len(classes)) != i
        same = covered[others & (classes == classes[i])].any(axis=0) & covered[i]
        other = covered[others & (classes != classes[i])].any(axis=0) & covered[i]
        assert table["overlap same class"].iloc[i] == same.sum() <= rule.support
        assert table["overlap other classes"].iloc[i] == other.sum()
    assert (table["overlap same class"].iloc[:-1] > 0).any()  # rules of one class do overlap here


def test_integer_weights_equal_repeated_rows(cancer):
    X_train, X_test, y_train, _ = cancer
    rng = np.random.RandomState(0)
    weights = rng.randint(1, 4, len(y_train))
    repeat = np.repeat(np.arange(len(y_train)), weights)
    weighted = DecisionSetClassifier(max_rules=5, **FAST).fit(X_train, y_train, sample_weight=weights)
    repeated = DecisionSetClassifier(max_rules=5, **FAST).fit(X_train.iloc[repeat], y_train.iloc[repeat])
    assert [str(r) for r in weighted.rules_] == [str(r) for r in repeated.rules_]
    np.testing.assert_allclose(weighted.predict_proba(X_test), repeated.predict_proba(X_test), rtol=1e-12)


def test_zero_weights_ignore_rows(cancer):
    X_train, X_test, y_train, _ = cancer
    weights = np.ones(len(y_train))
    weights[::3] = 0.0
    keep = weights > 0
    zeroed = DecisionSetClassifier(max_rules=5, **FAST).fit(X_train, y_train, sample_weight=weights)
    dropped = DecisionSetClassifier(max_rules=5, **FAST).fit(X_train[keep], y_train[keep])
    assert [str(r) for r in zeroed.rules_] == [str(r) for r in dropped.rules_]
    np.testing.assert_allclose(zeroed.predict_proba(X_test), dropped.predict_proba(X_test), rtol=1e-12)


def test_categorical_and_missing_values():
    rng = np.random.RandomState(0)
    n = 400
    colour = rng.choice(["red", "green", "blue"], n)
    x = rng.normal(size=n)
    x[rng.rand(n) < 0.15] = np.nan
    y = np.where(colour == "red", 1, np.where(np.isnan(x), 1, (x > 0.5).astype(int)))
    X = pd.DataFrame({"colour": pd.Categorical(colour), "x": x})
    model = DecisionSetClassifier(max_rules=6, **FAST).fit(X, y)
    text = " ".join(str(r) for r in model.rules_)
    assert "colour == red" in text and "x is missing" in text
    assert model.score(X, y) > 0.95
    unseen = pd.DataFrame({"colour": pd.Categorical(["purple"]), "x": [np.nan]})
    with pytest.warns(UserWarning, match=r"'colour' has categories not seen in training: \['purple'\]; they satisfy"):
        assert model.predict(unseen).shape == (1,)


def test_objective_weights_all_zero_are_rejected(cancer):
    X_train, _, y_train, _ = cancer
    zeros = dict.fromkeys(DecisionSetClassifier()._parameter_constraints, None)
    params = {name: 0.0 for name in zeros if name.endswith(("penalty", "bonus"))}
    assert len(params) == 7
    with pytest.raises(ValueError, match="All objective weights"):
        DecisionSetClassifier(**params).fit(X_train, y_train)


def test_max_rules_zero_is_rejected(cancer):
    X_train, _, y_train, _ = cancer
    with pytest.raises(ValueError, match="max_rules"):
        DecisionSetClassifier(max_rules=0).fit(X_train, y_train)


def test_a_class_without_candidate_rules_warns_and_falls_back_to_the_default():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    y = np.where(X[:, 0] > 0, "high", "low").astype(object)
    y[:6] = "rare"  # 2 % of the rows: below min_support, so no rule can predict it
    with pytest.warns(UserWarning, match=r"\['rare'\] can only be predicted as the default"):
        model = DecisionSetClassifier(min_support=0.05, **FAST).fit(X, y)
    assert "rare" not in {r.predicted_class for r in model.rules_}
    assert model.predict_proba(X).shape == (300, 3)
    assert model.score(X, y) > 0.9


def test_no_candidate_at_all_gives_the_default_only_model():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 2))
    y = rng.randint(0, 2, 200)
    with pytest.warns(UserWarning, match="none of the .* mined candidate rules reaches min_precision"):
        model = DecisionSetClassifier(min_precision=1.0, **FAST).fit(X, y)
    assert model.rules_ == ()
    assert np.all(model.predict(X) == model.default_rule_.predicted_class)
    with pytest.warns(UserWarning, match="no conjunction of conditions covers min_support=1"):
        DecisionSetClassifier(min_support=1.0, **FAST).fit(X, y)


def test_bad_sample_weight_and_target(cancer):
    X_train, _, y_train, _ = cancer
    with pytest.raises(ValueError, match="zero for every row"):
        DecisionSetClassifier(**FAST).fit(X_train, y_train, sample_weight=np.zeros(len(y_train)))
    with pytest.raises(ValueError, match="one class"):
        DecisionSetClassifier(**FAST).fit(X_train, np.zeros(len(y_train)))
    with pytest.raises(ValueError, match="rows but y has"):
        DecisionSetClassifier(**FAST).fit(X_train, y_train[:-1])


def test_small_pool_keeps_rules_of_every_class(wine):
    X_train, _, y_train, _ = wine
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = DecisionSetClassifier(pool_size=6, max_rules=6, random_state=0, tune_weights=False).fit(X_train, y_train)
    assert model.n_candidates_ == 6
    assert {r.predicted_class for r in model.rules_} == set(model.classes_)


def test_tuned_setting_is_the_most_accurate_trial_and_is_used(cancer):
    from glassbox.rules._decision_set_tuning import WEIGHT_GRID

    X_train, _, y_train, _ = cancer
    tuned = DecisionSetClassifier(**{**FAST, "tune_weights": True}).fit(X_train, y_train)
    trials = tuned.weight_search_
    # Every weight scaling, once with rules for every class and once for the minority only.
    assert len(trials) == 2 * len(WEIGHT_GRID)
    assert [t["rule_classes"] for t in trials] == ["all"] * len(WEIGHT_GRID) + ["minority"] * len(WEIGHT_GRID)
    untuned = DecisionSetClassifier(tune_weights=False, random_state=0).fit(X_train, y_train)
    assert trials[0]["weights"] == untuned.objective_weights_
    # The smallest set within half a standard error (binomial, over the training rows) of the best accuracy.
    accuracy = np.array([t["validation_accuracy"] for t in trials])
    floor = accuracy.max() - 0.5 * np.sqrt(accuracy.max() * (1 - accuracy.max()) / len(y_train))
    best = min(np.flatnonzero(accuracy >= floor - 1e-10), key=lambda i: (trials[i]["conditions"], -accuracy[i], i))
    assert tuned.objective_weights_ == trials[best]["weights"]
    assert tuned.rule_classes_ == trials[best]["rule_classes"]
    # The final set is the plain fit under the chosen setting, on all training rows.
    plain = DecisionSetClassifier(**tuned.objective_weights_, rule_classes=tuned.rule_classes_, **FAST)
    assert not plain.tune_weights
    assert [str(r) for r in plain.fit(X_train, y_train).rules_] == [str(r) for r in tuned.rules_]
    again = DecisionSetClassifier(**{**FAST, "tune_weights": True}).fit(X_train, y_train)
    assert again.weight_search_ == trials and [str(r) for r in again.rules_] == [str(r) for r in tuned.rules_]
    # A fixed class choice is respected: only its settings are tried.
    fixed = DecisionSetClassifier(**{**FAST, "tune_weights": True}, rule_classes="all").fit(X_train, y_train)
    assert [t["rule_classes"] for t in fixed.weight_search_] == ["all"] * len(WEIGHT_GRID)
    assert fixed.weight_search_ == trials[: len(WEIGHT_GRID)]


def test_validation_predictions_match_the_estimator(cancer):
    from glassbox.rules._decision_set_tuning import predict_codes
    from glassbox.rules.mining import mine_candidate_rules
    from glassbox.rules._decision_set_rules import candidate_pool
    from glassbox.rules._decision_set_objective import build_problem, optimize

    X_train, _, y_train, _ = cancer
    model = DecisionSetClassifier(conflict_penalty=0.0, overlap_penalty=0.0, **FAST).fit(X_train, y_train)
    y = np.searchsorted(model.classes_, y_train)
    weights = np.ones(len(y))
    from glassbox.rules._rule_model import fit_condition_bitsets
    from glassbox.utils.tabular import validate_tabular

    probe = DecisionSetClassifier(**FAST)
    table = validate_tabular(probe, X_train, reset=True, categorical_features="auto")
    bitsets = fit_condition_bitsets(probe, table, weights)
    mined = mine_candidate_rules(probe.condition_generator_, bitsets, len(y), min_support=0.05, max_rule_len=2,
                                 max_candidates=100_000)
    lambdas = np.array(list(model.objective_weights_.values()))
    pool = candidate_pool(mined, probe.condition_generator_, y, weights, 2, model._link(), lambdas,
                          smoothing=1.0, min_precision=0.0, pool_size=300)
    problem = build_problem(pool.coverage, y, weights, pool.rule_class, pool.length, lambdas, 2)
    chosen = optimize(problem, max_rules=10, n_restarts=1, random_state=0).selected
    predicted = predict_codes(pool, chosen, weights, y, 2, len(y))
    assert np.array_equal(model.classes_[predicted], model.predict(X_train))
