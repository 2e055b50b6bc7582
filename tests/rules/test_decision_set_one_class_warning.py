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

