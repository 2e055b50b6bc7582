"""A batch whose columns are not the fitted ones (another order, extra or missing columns) is refused with
scikit-learn's message and what to do about it."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from glassbox import (
    BayesianRuleListClassifier, DecisionSetClassifier, GAMClassifier, RiskScoreClassifier, SparseLinearClassifier,
)
from glassbox.surrogate import DistilledClassifier

FAMILIES = {
    "GAM": lambda: GAMClassifier(random_state=0, interactions=0),
    "sparse linear": SparseLinearClassifier,
    "risk score": lambda: RiskScoreClassifier(max_features=2),
    "rule list": lambda: BayesianRuleListClassifier(random_state=0, n_iter=300, n_chains=1),
    "decision set": lambda: DecisionSetClassifier(random_state=0),
    "distilled copy": lambda: DistilledClassifier(student=GAMClassifier(random_state=0, interactions=0),
                                                  random_state=0),
}


@pytest.fixture(scope="module")
def applicants():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"income": rng.normal(50, 10, 400), "debt": rng.uniform(0, 1, 400),
                      "purpose": rng.choice(["car", "tv", "edu"], 400)})
    y = ((X["debt"] > 0.5) | (X["purpose"] == "edu")).astype(int).to_numpy()
    return X, y


@pytest.mark.parametrize("family", FAMILIES)
def test_reordered_extra_and_missing_columns_are_refused_with_the_fix(family, applicants):
    X, y = applicants
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence remarks of the rule list's short chains
        model = FAMILIES[family]().fit(X, y)
    expected = model.predict_proba(X)
    select = re.escape("Select the fitted columns, in their order: X[model.feature_names_in_]")
    batches = {"reordered": X[["purpose", "debt", "income"]], "extra": X.assign(customer_id=np.arange(len(X)))}
    for batch in batches.values():
        with pytest.raises(ValueError, match=r"(?s)The feature names should match.*" + select):
            model.predict_proba(batch)
        # the fix the message gives scores the batch as the training frame
        np.testing.assert_array_equal(model.predict_proba(batch[model.feature_names_in_]), expected)
    with pytest.raises(ValueError, match=r"(?s)should match.*reads every column it was fitted on: add \['debt'\]"):
        model.explain_local(X.drop(columns="debt"))


def test_other_validation_errors_are_left_as_they_are(applicants):
    X, y = applicants
    model = SparseLinearClassifier().fit(X, y)
    with pytest.raises(ValueError) as caught:
        model.predict(X[["income", "debt"]].to_numpy())
    assert "feature_names_in_" not in str(caught.value)
