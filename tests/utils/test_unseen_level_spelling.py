"""A scoring batch whose categorical column holds the training levels written another way (numbers where
training read text, another case or spacing) is warned of with the levels it meant, not only as unseen."""

import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import (
    BayesianRuleListClassifier, DecisionSetClassifier, FeatureBinner, GAMClassifier, RiskScoreClassifier,
    SparseLinearClassifier,
)

FAMILIES = {
    "GAM": lambda: GAMClassifier(random_state=0, interactions=0),
    "sparse linear": lambda: SparseLinearClassifier(alpha=0.0),
    "risk score": lambda: RiskScoreClassifier(max_features=2),
    "rule list": lambda: BayesianRuleListClassifier(random_state=0, n_iter=300, n_chains=1),
    "decision set": lambda: DecisionSetClassifier(random_state=0),
}


def _applicants(n=600):
    # region codes (declared categorical) and sex as a warehouse export gives them at fit: text
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"region": pd.Categorical(rng.choice(["1", "2", "3"], n)), "sex": rng.choice(["Female", "Male"], n),
                      "income": rng.normal(50, 10, n).round(1)})
    y = ((X["region"] == "2") | ((X["sex"] == "Male") & (rng.random(n) < 0.5))).astype(int).to_numpy()
    return X, y


def _warnings_of(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("loaded", [False, True], ids=["estimator", "from_json"])
def test_levels_of_another_type_or_case_are_named_with_the_level_they_meant(family, loaded):
    X, y = _applicants()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence remarks of the rule list's short chains
        model = FAMILIES[family]().fit(X, y)
    if loaded:
        model = glassbox.from_json(model.to_json())
    # the scoring service reads the same table with other dtypes and a lower-cased sex
    batch = X.iloc[:50].assign(region=X["region"].iloc[:50].astype(int), sex=X["sex"].iloc[:50].str.lower())
    messages = [m for m in _warnings_of(lambda: model.predict_proba(batch)) if "not seen in training" in m]
    assert messages, "the unseen levels were not warned of"
    hints = {"'region'": "(1 for '1', 2 for '2', 3 for '3')", "'sex'": "('female' for 'Female', 'male' for 'Male')"}
    for message in messages:
        feature = message.split()[1]
        assert f"{hints[feature]}: pass X[{feature}] as it was at fit" in message, message


def test_a_level_never_seen_in_any_spelling_gets_no_hint():
    X, y = _applicants()
    binner = FeatureBinner().fit(X)
    messages = _warnings_of(lambda: binner.transform(X.iloc[:5].assign(region="4", sex="Other")))
    assert len(messages) == 2
    assert all("written another way" not in m for m in messages), messages


def test_the_binner_refusing_unseen_levels_names_the_meant_levels_too():
    X, _ = _applicants()
    binner = FeatureBinner(handle_unknown="error").fit(X)
    with pytest.raises(ValueError, match=r"' Male' for 'Male'"):
        binner.transform(X.iloc[:5].assign(sex=" Male"))
