"""repr() of an explanation is a one-line summary, as the base classes define it: the dataclass decorator
of each kind would otherwise write the repr of every field and array (a GAM's bins and scores)."""

import numpy as np
import pandas as pd
import pytest

from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier,
                      SparseLinearClassifier)

MODELS = {
    "CoefficientTable": lambda: SparseLinearClassifier(alpha=0.01),
    "ShapeFunctions": lambda: GAMClassifier(outer_bags=1, interactions=0, max_rounds=30, random_state=0),
    "RuleList": lambda: BayesianRuleListClassifier(max_rules=2, n_iter=200, n_chains=2, random_state=0),
    "RuleSet": lambda: DecisionSetClassifier(random_state=0),
    "Scorecard": lambda: RiskScoreClassifier(max_features=2),
}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_a_global_explanation_reprs_in_one_line(kind):
    import warnings

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        explanation = MODELS[kind]().fit(X, (X["a"] > 0).astype(int)).explain_global()
    text = repr(explanation)
    assert type(explanation).__name__ == kind
    assert text == f"<{kind} of {explanation.model}: {len(explanation.term_names)} terms>"
