"""Data and helpers shared by the explanation tests."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import (
    BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, GAMRegressor, RiskScoreClassifier,
    SparseLinearClassifier, SparseLinearRegressor,
)
from glassbox.explain import GlobalExplanation

# one unfitted model of each glass-box family, by name (the explanation tests fit them on heart)
GLASSBOX_FAMILIES = {
    "sparse linear": lambda: SparseLinearClassifier(),
    "GAM with pairs": lambda: GAMClassifier(interactions=2, random_state=0),
    "rule list": lambda: BayesianRuleListClassifier(random_state=0),
    "decision set": lambda: DecisionSetClassifier(random_state=0),
    "risk score": lambda: RiskScoreClassifier(),
}


# one small, quickly fitted classifier of each family, by name: the printout tests read every family's text
PRINTOUT_FAMILIES = {
    "rule_list": lambda: BayesianRuleListClassifier(max_rules=3, n_iter=300, n_chains=2, random_state=0),
    "decision_set": lambda: DecisionSetClassifier(random_state=0),
    "risk_score": lambda: RiskScoreClassifier(),
    "linear": lambda: SparseLinearClassifier(alpha=0.001),
    "gam": lambda: GAMClassifier(outer_bags=1, interactions=0, max_rounds=100, random_state=0),
}

def credit_applicants(n=400, seed=0):
    """Applicants (age, debt, purpose; indexed ``app0``, ``app1``, ...) and their outcome, ``"bad"`` or ``"good"``."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "debt": rng.uniform(0, 1, n),
        "purpose": rng.choice(["car", "tv", "edu"], n),
    }, index=[f"app{i}" for i in range(n)])
    logit = -1 + 3 * X["debt"] - 0.03 * (X["age"] - 40) + (X["purpose"] == "edu") * 1.0
    y = np.where(rng.uniform(size=n) < 1 / (1 + np.exp(-logit)), "bad", "good")
    return X, y


# one quickly fitted model of each estimator, by name: the model-file tests write and damage their JSON
QUICK_MODELS = {
    "gam_classifier": lambda: GAMClassifier(random_state=0, max_rounds=30, interactions=0),
    "gam_regressor": lambda: GAMRegressor(random_state=0, max_rounds=30, interactions=0),
    "linear_classifier": lambda: SparseLinearClassifier(alpha=0.01),
    "linear_regressor": lambda: SparseLinearRegressor(alpha=0.01),
    "rule_list": lambda: BayesianRuleListClassifier(random_state=0, n_iter=300, n_chains=1),
    "decision_set": lambda: DecisionSetClassifier(random_state=0, max_rules=3),
    "risk_score": lambda: RiskScoreClassifier(max_features=3),
}


def mixed_applicants():
    """300 rows of a numeric (age, income) and a text (city) feature, and a 0/1 outcome read from age and city."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.integers(18, 80, 300).astype(float), "income": rng.normal(50, 10, 300),
                      "city": rng.choice(["a", "b", "c"], 300)})
    y = ((X["age"] > 50) ^ (X["city"] == "b") ^ (rng.random(300) < 0.1)).astype(int).to_numpy()
    return X, y


def fitted_quick_models(models=QUICK_MODELS):
    """Each of ``models`` fitted on :func:`mixed_applicants` (a regressor on ``income + 3 * y``), warnings
    of their short fits silenced: ``{name: fitted estimator}``."""
    X, y = mixed_applicants()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {name: make().fit(X, X["income"] + 3 * y if "regressor" in name else y) for name, make in models.items()}


def reloaded_with(explanation, edit):
    """``explanation`` written to a dict, changed by ``edit(payload)``, and read back."""
    payload = explanation.to_dict()
    edit(payload)
    return GlobalExplanation.from_dict(payload)


def refused_on_load(explanation, edit, *fragments):
    """Reading ``explanation`` back after ``edit`` raises a ValueError that says to rewrite it and names each fragment."""
    with pytest.raises(ValueError) as caught:
        reloaded_with(explanation, edit)
    message = str(caught.value)
    assert "to_json() from the fitted estimator" in message
    for fragment in fragments:
        assert fragment in message, message
