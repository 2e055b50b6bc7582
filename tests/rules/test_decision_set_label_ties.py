"""DecisionSetClassifier: ties between classes of equal weight do not follow how the labels are coded.

Renaming the labels reorders the class codes.  Two classes of equal training
weight (which one is the majority that ``rule_classes="minority"`` leaves to the
default) and rows no rule covers that hold the classes equally (the default's
class) must be settled the same way whatever the labels are called.
"""

import numpy as np
import pandas as pd
import pytest

from glassbox import DecisionSetClassifier, from_json

CODINGS = [(0, 1), (1, 0), ("healthy", "disease"), ("disease", "healthy"), ("b", "a")]


def _balanced_table():
    # 'a' = 0 is mostly the first class, 'a' = 2 mostly the second, 'a' = 1 both equally; 60 rows of each class
    a = np.repeat([0, 1, 2], [40, 40, 40])
    first = np.concatenate([np.ones(32), np.zeros(8), np.ones(20), np.zeros(20), np.ones(8), np.zeros(32)])
    return pd.DataFrame({"a": a.astype(float)}), first.astype(bool)


def _fit(X, first, coding, **params):
    labels = np.where(first, coding[0], coding[1]).astype(object if isinstance(coding[0], str) else int)
    model = DecisionSetClassifier(max_rule_len=1, tune_weights=False, random_state=0, **params).fit(X, labels)
    return model, labels


def _read_as_first_or_not(model, X, coding):
    """The fitted form with every class read as 'the first label or not': independent of the coding."""
    rules = [(str(rule), rule.predicted_class == coding[0], rule.precision, rule.support)
             for rule in model.rules_]
    default = model.default_rule_.predicted_class == coding[0]
    first_column = list(model.classes_).index(coding[0])
    return rules, default, model.predict(X) == coding[0], model.predict_proba(X)[:, first_column]


@pytest.mark.parametrize("rule_classes", ["minority", "all"])
def test_classes_of_equal_weight_are_settled_alike_whatever_the_labels(rule_classes):
    X, first = _balanced_table()
    forms = [_read_as_first_or_not(_fit(X, first, coding, rule_classes=rule_classes)[0], X, coding)
             for coding in CODINGS]
    reference = forms[0]
    for form in forms[1:]:
        assert form[0] == reference[0]
        assert form[1] == reference[1]
        np.testing.assert_array_equal(form[2], reference[2])
        np.testing.assert_allclose(form[3], reference[3], rtol=1e-12)


def test_the_majority_of_a_tie_is_the_class_met_first():
    # rule_classes="minority" leaves the majority to the default; of two classes of equal weight it is the one
    # whose first row comes first, so the other one gets the rules
    X, first = _balanced_table()
    for coding in CODINGS:
        model, _ = _fit(X, first, coding, rule_classes="minority")
        assert model.rules_ and all(rule.predicted_class == coding[1] for rule in model.rules_)
        assert model.default_rule_.predicted_class == coding[0]


def test_a_default_of_tied_rows_predicts_its_own_class():
    # The rows no rule covers hold both classes equally: the default names the class of more training weight
    # (then the one met first), and predict gives those rows that class, whatever the labels are called.
    X, first = _balanced_table()
    for coding in CODINGS:
        model, _ = _fit(X, first, coding, rule_classes="all", min_precision=0.7)
        uncovered = X["a"].to_numpy() == 1
        assert model.default_rule_.probabilities[0] == model.default_rule_.probabilities[1]
        assert model.default_rule_.predicted_class == coding[0]
        assert np.all(model.predict(X)[uncovered] == coding[0])
        # the set's explanation, its JSON and the local explanations predict as the estimator does
        np.testing.assert_array_equal(model.explain_global().predict(X), model.predict(X))
        np.testing.assert_array_equal(from_json(model.to_json()).predict(X), model.predict(X))
        np.testing.assert_array_equal(model.explain_local(X).prediction, model.predict(X))


def test_a_rule_whose_decided_rows_tie_says_the_default_takes_them():
    from glassbox.explain.rules import Rule
    from glassbox.rules._decision_set_rules import describe_row

    rule = Rule(conditions=(), scores=np.float64(0.0), probabilities=np.array([0.5, 0.5]), support=10.0,
                predicted_class="b", precision=0.8, decides=4.0)
    default = Rule(conditions=(), scores=np.float64(-1.0), probabilities=np.array([0.7, 0.3]), support=5.0,
                   predicted_class="a", precision=0.7, decides=5.0)
    note = describe_row(np.array([0]), [rule], default, np.array(["a", "b"]))
    assert "class a is as frequent as the likeliest; a tie goes to the default's class, so a is predicted" in note
