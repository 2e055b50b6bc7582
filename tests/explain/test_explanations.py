"""Explanation objects: exact recomputation, exact JSON round trips, readable text, immutability."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from glassbox import from_json
from glassbox.explain import (
    CoefficientTable,
    Condition,
    FeatureBins,
    GlobalExplanation,
    LinearTerm,
    Link,
    LocalExplanation,
    Rule,
    RuleList,
    RuleSet,
    Scorecard,
    ShapeFunctions,
    ShapeTerm,
)

X = pd.DataFrame(
    {
        "age": [30.0, 50.0, np.nan, 70.0],
        "purpose": pd.Categorical(["car", "tv", "car", "boat"]),
        "income": [1.0, 2.0, 3.0, 4.0],
    }
)
NAMES = ["age", "purpose", "income"]
CLASSES = np.array(["no", "yes"], dtype=object)


def coefficient_table():
    return CoefficientTable(
        model="Demo", feature_names=NAMES, link=Link("logit"), classes=CLASSES, base_value=-1.0,
        terms=[LinearTerm("income"), LinearTerm("purpose", "car")],
        coefficients=[0.5, -2.0], standardized_coefficients=[0.6, -0.9], constraints=[1, 0],
    )


def shape_functions():
    age = FeatureBins("age", "numeric", thresholds=[40.0, 60.0])
    purpose = FeatureBins("purpose", "categorical", categories=["car", "tv"])
    return ShapeFunctions(
        model="Demo", feature_names=NAMES, link=Link("identity"), base_value=10.0,
        terms=[
            ShapeTerm(bins=[age], scores=[-1.0, 0.5, 2.0, 0.25], importance=1.2, constraints=[1]),
            ShapeTerm(bins=[purpose], scores=[0.3, -0.3, 0.1, 0.0], density=[2, 1, 0, 0]),
            ShapeTerm(bins=[age, purpose], scores=np.arange(16.0).reshape(4, 4)),
        ],
    )


def rules(kind):
    scores = lambda p: np.log(p) - np.log1p(-p)  # noqa: E731 - logit
    rule_a = Rule([Condition("age", ">=", 60.0)], scores(0.8), probabilities=[0.2, 0.8], support=1, predicted_class="yes", precision=0.8)
    rule_b = Rule([Condition("purpose", "==", "car"), Condition("income", "<", 2.5)], scores(0.3), probabilities=[0.7, 0.3], support=1, predicted_class="no", precision=0.7)
    default = Rule([], scores(0.5), probabilities=[0.5, 0.5], support=2, predicted_class="no")
    return kind(model="Demo", feature_names=NAMES, link=Link("logit"), classes=CLASSES, base_value=0.0, rules=[rule_a, rule_b], default=default)


def scorecard():
    return Scorecard(
        model="Demo", feature_names=NAMES, link=Link("logit", scale=1.5), classes=CLASSES, base_value=-3.0,
        conditions=[Condition("age", ">=", 60.0), Condition("age", "is missing"), Condition("purpose", "==", "tv")],
        points=[2, 1, -1], risk_scores=[-1, 0, 1, 2], risk_predicted=expit((np.array([-1, 0, 1, 2]) - 3.0) / 1.5),
        risk_observed=[0.1, np.nan, 0.3, 0.5], risk_count=[1, 0, 2, 1],
    )


ALL = [coefficient_table, shape_functions, lambda: rules(RuleList), lambda: rules(RuleSet), scorecard]


def test_coefficient_table_recomputes_the_linear_model():
    table = coefficient_table()
    expected = -1.0 + 0.5 * X["income"].to_numpy() - 2.0 * (X["purpose"] == "car").to_numpy()
    np.testing.assert_array_equal(table.decision_function(X), expected)
    np.testing.assert_array_equal(table.predict(X), np.where(expected > 0, "yes", "no"))


def test_shape_functions_look_up_bins_including_missing_and_unseen():
    shapes = shape_functions()
    contributions = shapes.term_contributions(X)
    # age 30 -> bin 0, 50 -> bin 1, NaN -> missing bin 3, 70 -> bin 2
    np.testing.assert_array_equal(contributions[:, 0], [-1.0, 0.5, 0.25, 2.0])
    # "boat" was never seen: unseen bin, score 0; density/NaN scores stay as given
    assert contributions[3, 1] == 0.0
    np.testing.assert_array_equal(contributions[:, 2], [0.0, 5.0, 12.0, 11.0])
    np.testing.assert_array_equal(shapes.decision_function(X), 10.0 + contributions.sum(axis=1))


def test_rule_list_first_covering_rule_decides():
    rule_list = rules(RuleList)
    np.testing.assert_array_equal(rule_list.deciding_rule(X), [1, 2, 2, 0])
    contributions = rule_list.term_contributions(X)
    assert np.count_nonzero(contributions[:, :2]) == 2  # one-hot
    np.testing.assert_allclose(rule_list.predict_proba(X)[:, 1], [0.3, 0.5, 0.5, 0.8])
    text = str(rule_list)
    assert "IF age >= 60 THEN P(yes) = 0.8" in text
    assert "ELSE IF purpose == car AND income < 2.5 THEN P(yes) = 0.3" in text
    assert "ELSE P(yes) = 0.5" in text


def test_rule_set_text_names_the_conflict_order():
    text = str(rules(RuleSet))
    assert "higher-ranked one decides" in text and "Otherwise: no" in text


def test_scorecard_is_integer_exact():
    card = scorecard()
    contributions = card.term_contributions(X)
    np.testing.assert_array_equal(contributions, [[0, 0, 0], [0, 0, -1], [0, 1, 0], [2, 0, 0]])
    np.testing.assert_array_equal(card.decision_function(X), [-3, -4, -2, -1])
    np.testing.assert_allclose(card.predict_proba(X)[:, 1], 1 / (1 + np.exp(-np.array([-3, -4, -2, -1]) / 1.5)))
    text = str(card)
    assert "age >= 60" in text and "+2 points" in text and "SCORE" in text


@pytest.mark.parametrize("make", ALL)
def test_json_round_trip_is_exact(make):
    explanation = make()
    text = explanation.to_json()
    json.loads(text)  # strict JSON: no NaN literals
    loaded = GlobalExplanation.from_json(text)
    assert type(loaded) is type(explanation) and loaded == explanation
    np.testing.assert_array_equal(loaded.term_contributions(X), explanation.term_contributions(X))
    assert from_json(text) == explanation


@pytest.mark.parametrize("make", ALL)
def test_presentation(make):
    explanation = make()
    assert "Demo" in str(explanation) and "<table" in explanation._repr_html_() or "<pre" in explanation._repr_html_()
    assert len(explanation.to_frame()) > 0
    assert "Demo" in repr(explanation)


@pytest.mark.parametrize("make", ALL)
def test_explanations_are_immutable(make):
    explanation = make()
    with pytest.raises(dataclasses.FrozenInstanceError):
        explanation.model = "changed"
    with pytest.raises(ValueError, match="read-only"):
        explanation.base_value[...] = 1.0


def test_from_dict_rejects_unknown_kinds_and_versions():
    payload = coefficient_table().to_dict()
    with pytest.raises(ValueError, match="Unknown explanation kind"):
        GlobalExplanation.from_dict({**payload, "kind": "nonsense"})
    with pytest.raises(ValueError, match="format version"):
        GlobalExplanation.from_dict({**payload, "format_version": 99})
    with pytest.raises(ValueError, match="not a 'scorecard'"):
        Scorecard.from_dict(payload)


def test_recomputing_needs_the_model_columns():
    with pytest.raises(ValueError, match="lacks the columns"):
        coefficient_table().decision_function(X.drop(columns="income"))
    with pytest.raises(ValueError, match="3 features"):
        coefficient_table().decision_function(np.ones((2, 2)))


def _local():
    contributions = np.array([[0.5, -1.0], [2.0, 0.0]])
    return LocalExplanation(
        model="Demo", term_names=["income", "purpose == car"], base_value=np.float64(-1.0),
        contributions=contributions, feature_names=NAMES,
        feature_values=np.array([[30.0, "car", 1.0], [np.nan, "tv", 4.0]], dtype=object),
        decision=-1.0 + contributions.sum(axis=1), prediction=np.array(["no", "yes"], dtype=object),
        link=Link("logit"), classes=CLASSES, notes=["rule 1 fired", ""],
    )


def test_local_explanation_round_trip_text_and_frame():
    local = _local()
    assert LocalExplanation.from_json(local.to_json()) == local
    text = str(local)
    assert "row 0: predicted no" in text and "purpose == car" in text and "why: rule 1 fired" in text
    frame = local.to_frame()
    assert list(frame.columns) == ["row", "term", "contribution"] and len(frame) == 4
    np.testing.assert_array_equal(local.row(1).contributions, [[2.0, 0.0]])
    np.testing.assert_allclose(local.probabilities[:, 1], 1 / (1 + np.exp(-local.decision)))


def test_local_explanation_rejects_inconsistent_shapes():
    with pytest.raises(ValueError, match="term names"):
        dataclasses.replace(_local(), term_names=["only one"])


def test_conditions_and_bins():
    assert str(Condition("age", ">=", 45.0)) == "age >= 45"
    assert str(Condition("purpose", "==", "car")) == "purpose == car"
    assert str(Condition("income", "is missing")) == "income is missing"
    with pytest.raises(ValueError, match="operator"):
        Condition("age", ">", 1)
    bins = FeatureBins("age", "numeric", thresholds=[40.0, 60.0])
    assert bins.bin_labels() == ["< 40", "[40, 60)", ">= 60", "missing"]
    np.testing.assert_array_equal(bins.codes(np.array([39.9, 40.0, 1e9, np.nan])), [0, 1, 2, 3])


def test_links():
    decision = np.array([-2.0, 0.0, 3.0])
    logit = Link("logit", scale=2.0)
    np.testing.assert_allclose(logit.inverse(decision)[:, 1], 1 / (1 + np.exp(-decision / 2)))
    np.testing.assert_array_equal(logit.predict_index(decision), [0, 0, 1])
    np.testing.assert_allclose(np.exp(logit.log_inverse(decision)), logit.inverse(decision))
    softmax = Link("softmax")
    proba = softmax.inverse(np.array([[0.0, 1.0, 2.0]]))
    np.testing.assert_allclose(proba.sum(), 1.0)
    with pytest.raises(ValueError, match="positive"):
        Link("logit", scale=0.0)


@pytest.mark.parametrize("scale, printed", [(1.5, "1.5"), (2.0, "2"), (1.2345678901234567, "1.2345678901234567")])
def test_the_printed_link_scale_is_exact(scale, printed):
    import dataclasses

    table = dataclasses.replace(coefficient_table(), link=Link("logit", scale=scale))
    line = next(line for line in str(table).splitlines() if "exp(-total /" in line)
    assert line.endswith(f"exp(-total / {printed}))")
    assert float(line.rsplit("/ ", 1)[1].rstrip(")")) == scale


def test_shape_text_says_shortened_only_when_it_is():
    level = "see 3 more bins"  # a level name that reads like the elision line
    bins = FeatureBins("purpose", "categorical", categories=["car", level])
    shapes = ShapeFunctions(
        model="Demo", feature_names=["purpose"], link=Link("identity"), base_value=0.0,
        terms=[ShapeTerm(bins=[bins], scores=[0.3, -0.3, 0.0, 0.0])],
    )
    assert level in shapes.to_text() and "shortened" not in shapes.to_text()
    age = FeatureBins("age", "numeric", thresholds=[10.0, 20.0, 30.0, 40.0])
    long = ShapeFunctions(
        model="Demo", feature_names=["age"], link=Link("identity"), base_value=0.0,
        terms=[ShapeTerm(bins=[age], scores=[1.0, 2.0, 3.0, 4.0, 5.0, 0.0])],
    )
    assert "shortened" in long.to_text(max_bins=2) and "shortened" not in long.to_text(max_bins=None)
