"""Data shared by the explanation tests."""

import numpy as np
import pandas as pd

from glassbox import (
    BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier, SparseLinearClassifier,
)

# one unfitted model of each glass-box family, by name (the explanation tests fit them on heart)
GLASSBOX_FAMILIES = {
    "sparse linear": lambda: SparseLinearClassifier(),
    "GAM with pairs": lambda: GAMClassifier(interactions=2, random_state=0),
    "rule list": lambda: BayesianRuleListClassifier(random_state=0),
    "decision set": lambda: DecisionSetClassifier(random_state=0),
    "risk score": lambda: RiskScoreClassifier(),
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
