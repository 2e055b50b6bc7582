"""explain_local(relative_to=...) refuses anything but None and 'mean' with one short message."""

import numpy as np
import pandas as pd
import pytest

from glassbox import BayesianRuleListClassifier, SparseLinearClassifier


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.normal(size=120), "amount": rng.normal(size=120)})
    y = np.where(X["age"] + X["amount"] > 0, "small", "none")
    return X, y


@pytest.mark.parametrize("model", [SparseLinearClassifier(), BayesianRuleListClassifier(n_iter=200, random_state=0)],
                         ids=["linear", "rule list"])
@pytest.mark.parametrize("given, shown", [("frame", "a DataFrame"), ("median", "'median'"), (0.0, "a float")])
def test_a_reference_that_is_not_mean_is_refused_briefly(data, model, given, shown):
    X, y = data
    model.fit(X, y)
    value = X if isinstance(given, str) and given == "frame" else given
    with pytest.raises(ValueError) as caught:
        model.explain_local(X.iloc[:2], relative_to=value)
    message = str(caught.value)
    assert message == f"relative_to must be None or 'mean' (each term from its training mean), got {shown}."


def test_mean_still_works_where_the_family_knows_it(data):
    X, y = data
    model = SparseLinearClassifier().fit(X, y)
    explanation = model.explain_local(X.iloc[:3], relative_to="mean")
    np.testing.assert_allclose(explanation.base_value + explanation.contributions.sum(axis=1),
                               model.decision_function(X.iloc[:3]), rtol=1e-12)
