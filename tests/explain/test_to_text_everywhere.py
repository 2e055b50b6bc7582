"""Every printable result has ``to_text()``: what ``print`` shows, with limits where the kind shortens."""

import numpy as np
import pandas as pd
import pytest

from glassbox import (BayesianRuleListClassifier, DecisionSetClassifier, RiskScoreClassifier, SparseLinearClassifier,
                      from_json)
from glassbox.linear import coefficient_inference
from glassbox.surrogate import fidelity_frontier, fidelity_report


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.integers(0, 4, 300).astype(float),
                      "c": rng.normal(size=300)})
    y = (X["a"] + 0.5 * X["b"] + rng.normal(scale=0.7, size=300) > 0.8).astype(int)
    return X, y


@pytest.mark.filterwarnings("ignore:The MCMC chains disagree")  # a short search: the text is what is tested
@pytest.mark.parametrize("Model, params", [(RiskScoreClassifier, {"max_features": 3}),
                                           (BayesianRuleListClassifier, {"random_state": 0, "n_iter": 2000}),
                                           (DecisionSetClassifier, {"random_state": 0})],
                         ids=["scorecard", "rule list", "decision set"])
def test_explanations_that_print_whole_give_their_printout(data, Model, params):
    X, y = data
    explanation = Model(**params).fit(X, y).explain_global()
    assert explanation.to_text() == str(explanation) and explanation.to_text().strip()
    assert from_json(explanation.to_json()).to_text() == explanation.to_text()


def test_inference_and_fidelity_report(data):
    X, y = data
    model = SparseLinearClassifier(alpha=0.0).fit(X, y)
    inference = coefficient_inference(model, X, y)
    assert inference.to_text() == str(inference) and "a" in inference.to_text()
    report = fidelity_report(model, RiskScoreClassifier(max_features=2).fit(X, model.predict(X)), X)
    assert report.to_text() == str(report)
    assert len(report.to_text(max_segments=None, max_rows=None)) > len(report.to_text(max_segments=1, max_rows=1))
    frontier = fidelity_frontier(model, X, students={"card": RiskScoreClassifier(max_features=2)})
    assert frontier.to_text() == str(frontier) and "card" in frontier.to_text()
