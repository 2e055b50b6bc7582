"""A rule model's ``to_frame()`` names the class each rule predicts; only a decision set's rules have a
precision (the share of the rows a rule covers that are of its class)."""

import warnings

import pytest

from glassbox import BayesianRuleListClassifier, DecisionSetClassifier
from explain_fixtures import credit_applicants


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y)


@pytest.fixture(scope="module")
def credit():
    return credit_applicants()


def test_a_rule_lists_frame_names_each_rules_class_and_has_no_decision_set_precision(credit):
    X, y = credit
    model = _fit(BayesianRuleListClassifier(max_rules=3, n_iter=300, random_state=0), X, y)
    rule_list = model.explain_global()
    frame = rule_list.to_frame()
    assert "precision" not in frame.columns
    decider = rule_list.deciding_rule(X)
    for i, label in enumerate(frame["predicted_class"]):
        rows = decider == i
        assert label in model.classes_
        if rows.any():  # the class the model predicts for the rows the rule decides
            assert set(model.predict(X[rows])) == {label}
    rule_set = _fit(DecisionSetClassifier(max_rules=3, random_state=0), X, y).explain_global().to_frame()
    assert rule_set["precision"].notna().all() and rule_set["predicted_class"].notna().all()
