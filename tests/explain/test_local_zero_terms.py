"""A local printout that leaves out terms contributing exactly 0 says so: how many, and which (the first
few), as a Wald table notes its terms at zero; a reader otherwise takes a feature it does not list
(a missing or unseen value, a zero coefficient) for one the model did not read."""

import numpy as np
import pandas as pd

from glassbox import GAMRegressor, SparseLinearClassifier
from glassbox.explain import Link, LocalExplanation


def test_a_term_at_zero_is_counted_and_named():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    y = (X["a"] > 0).astype(int)
    model = SparseLinearClassifier(alpha=0.01).fit(X, y)
    assert model.coef_.ravel()[1] == 0  # b is not used
    local = model.explain_local(X.iloc[:2])
    text = local.to_text()
    assert text.count("1 term at zero, not shown: b\n") == 2
    assert "1 term at zero, not shown: b" in local._repr_html_()


def test_a_missing_value_scored_zero_is_named():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    model = GAMRegressor(interactions=0, outer_bags=1, max_rounds=50, random_state=0).fit(X, 2 * X["a"] + X["b"])
    row = pd.DataFrame({"a": [np.nan], "b": [0.5]})
    text = str(model.explain_local(row))
    assert "1 term at zero, not shown: a" in text


def test_many_terms_at_zero_name_the_first_eight_and_count_the_rest():
    names = tuple(f"t{k}" for k in range(12))
    contributions = np.zeros((1, 12))
    contributions[0, 0] = 1.0
    local = LocalExplanation(model="Toy", term_names=names, base_value=0.0, contributions=contributions,
                             feature_names=names, feature_values=np.zeros((1, 12)), decision=np.array([1.0]),
                             prediction=np.array([1.0]), link=Link("identity"))
    assert "11 terms at zero, not shown: t1, t2, t3, t4, t5, t6, t7, t8 and 3 more" in str(local)


def test_no_line_when_every_term_contributes():
    local = LocalExplanation(model="Toy", term_names=("a",), base_value=0.0, contributions=np.array([[1.0]]),
                             feature_names=("a",), feature_values=np.array([[1.0]]), decision=np.array([1.0]),
                             prediction=np.array([1.0]), link=Link("identity"))
    assert "at zero" not in str(local)


def test_rule_models_do_not_list_the_rules_that_did_not_fire():
    # every rule but the deciding one is at zero by construction; the why line already says which were passed
    # over and why, so naming them again on every row is noise
    from glassbox import BayesianRuleListClassifier, DecisionSetClassifier

    rng = np.random.default_rng(2)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    y = ((X["a"] > 0) & (X["b"] > -0.5)).astype(int)
    for model in (BayesianRuleListClassifier(random_state=0), DecisionSetClassifier(random_state=0)):
        text = str(model.fit(X, y).explain_local(X.iloc[:3]))
        assert "why:" in text and "at zero" not in text
