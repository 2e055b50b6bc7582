"""DecisionSetClassifier says so at fit when the set predicts one class for every row."""

import warnings

import numpy as np
import pytest

from glassbox import DecisionSetClassifier


@pytest.fixture(scope="module")
def bank(read_shared_csv):
    frame = read_shared_csv("bank.csv").sample(4000, random_state=0).reset_index(drop=True)
    y = (frame.pop("subscription") == "yes").astype(int).to_numpy()  # 11.6% of this sample subscribe
    X = frame[["age", "balance", "duration", "campaign", "housing", "loan", "job", "marital", "education"]]
    return X.astype({c: "category" for c in X.columns if X[c].dtype == object}), y


def test_a_set_that_predicts_the_majority_for_everyone_warns_with_the_fix(bank):
    X, y = bank
    with pytest.warns(UserWarning, match=r"keeps no rule: it predicts class 0 for every row.*class_weight='balanced'"):
        model = DecisionSetClassifier(random_state=0).fit(X, y)
    assert len(model.rules_) == 0 and np.all(model.predict(X) == 0)


def test_rules_of_the_default_class_only_warn_too(bank):
    X, y = bank
    with pytest.warns(UserWarning, match=r"keeps only rules of class 0, the default's \(1\)"):
        model = DecisionSetClassifier(random_state=0, tune_weights=False).fit(X, y)
    assert np.all(model.predict(X) == 0)


def test_the_advised_fix_keeps_rules_and_is_quiet(bank):
    X, y = bank
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = DecisionSetClassifier(random_state=0, class_weight="balanced").fit(X, y)
    assert len(set(model.predict(X))) == 2




@pytest.fixture(scope="module")
def noise():
    """Classes of 97 and 103 rows that neither feature tells apart."""
    import pandas as pd

    rng = np.random.default_rng(3)
    y = (rng.normal(size=200) > 0).astype(int)
    rng.normal(size=200)
    X = pd.DataFrame({"o": pd.Categorical(["1", "2", "3", "x"] * 50), "n": rng.normal(size=200)})
    return X, y


def _one_class_message(record):
    messages = [str(w.message) for w in record if "for every row" in str(w.message)]
    assert len(messages) == 1, [str(w.message) for w in record]
    return messages[0]


def test_on_balanced_noise_the_warning_says_no_rule_beats_the_majority_not_to_balance(noise):
    X, y = noise
    assert np.bincount(y).tolist() == [97, 103]
    with pytest.warns(UserWarning) as record:
        model = DecisionSetClassifier(random_state=0).fit(X, y)
    message = _one_class_message(record)
    assert len(model.rules_) == 0
    assert "Pass class_weight" not in message
    assert "classes weigh about the same (0: 97, 1: 103)" in message
    assert "(class_weight='balanced') is no fix: the candidate rules do not beat the majority" in message
    best = max(t["validation_accuracy"] for t in model.weight_search_)
    assert f"right on {best:.3f} of the held-out weight, below the 0.515 of predicting class 1" in message


def test_on_balanced_noise_without_weight_search_the_warning_names_the_objective(noise):
    X, y = noise
    with pytest.warns(UserWarning) as record:
        model = DecisionSetClassifier(random_state=0, tune_weights=False, rule_penalty=1.0).fit(X, y)
    message = _one_class_message(record)
    assert len(model.rules_) == 0 and "Pass class_weight" not in message
    assert "the objective scores no set with rules of another class above predicting class 1" in message
