"""A rule model read from JSON with a figure nulled, or a class_order out of range, is refused at load."""

import json

import numpy as np
import pandas as pd
import pytest

import glassbox as gb


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.integers(18, 80, 300).astype(float), "smoker": rng.choice(["yes", "no"], 300)})
    y = np.select([X.age >= 60, X.smoker == "yes"], ["ill", "risk"], "well")
    return X, y


@pytest.fixture(scope="module")
def rule_list(data):
    return json.loads(gb.BayesianRuleListClassifier(max_rules=3, random_state=0).fit(*data).to_json())


@pytest.fixture(scope="module")
def rule_set(data):
    return json.loads(gb.DecisionSetClassifier(max_rules=3, random_state=0).fit(*data).to_json())


def _load(payload, edit):
    payload = json.loads(json.dumps(payload))
    edit(payload["content"])
    return gb.from_json(json.dumps(payload))


@pytest.mark.parametrize("where", [lambda c: c["rules"][0], lambda c: c["default"]])
@pytest.mark.parametrize("field, message", [
    ("interval_high", r"interval_high of (rule 1|the default) is null while its interval_low is given"),
    ("interval_low", r"interval_low of (rule 1|the default) is null while its interval_high is given"),
    ("probabilities", r"(rule 1|the default) gives a credible interval but no probabilities"),
])
def test_rule_list_refuses_a_nulled_figure(rule_list, where, field, message):
    with pytest.raises(ValueError, match=message):
        _load(rule_list, lambda content: where(content).update({field: None}))


def test_rule_set_refuses_null_probabilities_where_it_prints_them(rule_set, data):
    with pytest.raises(ValueError, match=r"probabilities of rule 1 are null, where its printout gives them"):
        _load(rule_set, lambda content: content["rules"][0].update({"probabilities": None}))
    # the default's probabilities are not printed: a set without them still prints and predicts
    loaded = _load(rule_set, lambda content: content["default"].update({"probabilities": None}))
    assert "Otherwise" in str(loaded) or "default" in str(loaded)
    assert len(loaded.predict(data[0])) == len(data[0])


@pytest.mark.parametrize("order", [[7, 8, 9], [-1, -2, -3], [0, 0, 0], [0, 1], [0, 1, 2, 3]])
def test_rule_set_refuses_a_class_order_that_is_no_order_of_the_classes(rule_set, order):
    with pytest.raises(ValueError, match=r"class_order \[.*\] is not an order of the class positions 0 to 2"):
        _load(rule_set, lambda content: content.update({"class_order": order}))


@pytest.mark.parametrize("order", [[0.0, 1.0, 2.0], [True, False, 2], "012", [[0], 1, 2]])
def test_rule_set_refuses_a_class_order_of_other_than_integers(rule_set, order):
    with pytest.raises(ValueError, match=r"class_order must be a list of integer class positions"):
        _load(rule_set, lambda content: content.update({"class_order": order}))


def test_untouched_files_still_load(rule_list, rule_set, data):
    X, _ = data
    for payload in (rule_list, rule_set):
        model = gb.from_json(json.dumps(payload))
        assert len(model.predict(X)) == len(X)
    reordered = json.loads(json.dumps(rule_set))
    reordered["content"]["class_order"] = [2, 0, 1]
    gb.from_json(json.dumps(reordered))
