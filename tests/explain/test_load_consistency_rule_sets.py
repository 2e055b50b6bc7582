"""A decision set read from JSON must print the class its rules predict.

A rule's class is the likeliest among the rows it covers, its probabilities
those of the rows it decides; where the two sets of rows are the same (and for
the default) the printed class must be the one predict gives.  A file whose
class column says otherwise is refused, naming the rule; an outvoted rule (the
estimator writes them) and every set the estimator writes still load.
"""

import numpy as np
import pandas as pd
import pytest

from glassbox import DecisionSetClassifier, from_json
from glassbox.explain import Link, Rule, RuleSet
from glassbox.explain.terms import Condition
from explain_fixtures import credit_applicants, refused_on_load, reloaded_with


@pytest.fixture(scope="module")
def credit():
    return credit_applicants()


def test_every_decision_set_the_estimator_writes_loads(credit):
    X, y = credit
    for settings in ({}, {"class_weight": "balanced"}, {"rule_classes": "all", "min_precision": 0.0},
                     {"max_rules": 12, "min_support": 0.02}):
        model = DecisionSetClassifier(random_state=0, **settings).fit(X, y)
        loaded = from_json(model.to_json())
        assert loaded == model.explain_global()
        np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def _two_rule_set(decides):
    """A set whose rule covers 10 training rows, 8 of class "no", and decides ``decides`` of them."""
    logit = lambda p: np.log(p) - np.log1p(-p)  # noqa: E731
    rule = Rule((Condition("age", ">=", 60.0),), logit(0.2), probabilities=[0.8, 0.2], support=10.0,
                predicted_class="no", precision=0.8, decides=decides)
    default = Rule((), logit(0.7), probabilities=[0.3, 0.7], support=20.0, predicted_class="yes", decides=20.0)
    return RuleSet(model="Demo", feature_names=("age",), link=Link("logit"), classes=np.array(["no", "yes"]),
                   base_value=0.0, rules=(rule,), default=default)


def _class_of(position, label):
    def edit(payload):
        rules = payload["content"]["rules"]
        (rules[position] if position is not None else payload["content"]["default"])["predicted_class"] = label
    return edit


def test_a_rule_deciding_all_it_covers_must_print_the_class_its_scores_give():
    rule_set = _two_rule_set(decides=10.0)
    refused_on_load(rule_set, _class_of(0, "yes"), "the class of rule 1 is 'yes'", "make 'no' the likeliest")


def test_the_default_must_print_the_class_its_scores_give():
    refused_on_load(_two_rule_set(decides=10.0), _class_of(None, "no"), "the class of the default is 'no'")


def test_a_rule_class_outside_the_classes_is_refused():
    refused_on_load(_two_rule_set(decides=10.0), _class_of(0, "maybe"), "the class of rule 1, 'maybe', is not among")


def test_a_rule_whose_higher_ranked_rules_took_rows_may_be_outvoted():
    # its class is the likeliest of the rows it covers; the rows it decides (4 of 10) favour the other class,
    # which the estimator writes too (the row notes say so): it loads
    rule_set = _two_rule_set(decides=4.0)
    outvoted = reloaded_with(rule_set, _class_of(0, "yes"))
    assert outvoted.rules[0].predicted_class == "yes"
    assert outvoted.predict(pd.DataFrame({"age": [70.0]}))[0] == "no"


def test_a_rule_from_a_set_saved_before_decided_rows_were_recorded_is_checked():
    rule_set = _two_rule_set(decides=None)  # its probabilities describe the rows it covers
    refused_on_load(rule_set, _class_of(0, "yes"), "the class of rule 1 is 'yes'")
