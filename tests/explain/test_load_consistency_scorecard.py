"""A scorecard read from JSON must print the risks it predicts.

The printed risk table is what staff score by hand and a reviewer signs off;
predict_proba computes ``expit((SCORE + intercept) / multiplier)``.  A file whose
table was edited apart from the rest is refused, naming the field (an edited
intercept, multiplier or points rebuild the table: test_hand_edited_json), and
every card the estimator writes still loads.
"""

import numpy as np
import pytest

from glassbox import RiskScoreClassifier, from_json
from explain_fixtures import credit_applicants, refused_on_load


@pytest.fixture(scope="module")
def credit():
    return credit_applicants()


@pytest.fixture(scope="module")
def card(credit):
    return RiskScoreClassifier(max_features=3).fit(*credit).explain_global()


@pytest.mark.parametrize("settings", [{}, {"pos_label": "bad"}, {"pos_label": "good"}, {"class_weight": "balanced"},
                                      {"max_features": 1}, {"monotonic_cst": {"age": -1}}])
def test_every_card_the_estimator_writes_loads(credit, settings):
    X, y = credit
    X = X.copy()
    X.loc[X.index[::9], "debt"] = np.nan  # a card that scores missing values too
    settings = {"max_features": 3, **settings}
    model = RiskScoreClassifier(**settings).fit(X, y, sample_weight=np.linspace(0.5, 2, len(X)))
    card = model.explain_global()
    loaded = from_json(card.to_json())
    assert loaded == card
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_a_risk_table_that_is_not_the_cards_formula_is_refused(card):
    def flat_risk(payload):
        payload["content"]["risk_predicted"]["data"] = [0.01] * len(card.risk_scores)

    refused_on_load(card, flat_risk, "risk_predicted is not the risk the card's own formula gives",
             f"at SCORE {card.risk_scores[0]}: 0.01")


def test_a_table_edited_with_the_multiplier_is_refused(card):
    # an edited multiplier alone is followed (test_hand_edited_json); a table edited beside it follows no card
    def rescaled(payload):
        payload["link"]["scale"] = card.multiplier * 1.5
        payload["content"]["risk_predicted"]["data"][0] = 0.5

    refused_on_load(card, rescaled, "risk_predicted", "nor that of any other intercept and multiplier")


def test_a_fractional_intercept_is_refused(card):
    def fractional(payload):
        payload["base_value"]["data"] = [card.base_value.item() + 0.9]

    refused_on_load(card, fractional, "base_value (the card's intercept) must be a whole number")


@pytest.mark.parametrize("scores, fragment", [
    (lambda s: s[1::-1] + s[2:], "must be strictly increasing"),
    (lambda s: [s[0]] + s[:-1], "must be strictly increasing"),  # a SCORE listed twice
    (lambda s: [s[0] + 0.5] + s[1:], "the risk table's scores must be whole numbers"),
])
def test_a_risk_table_not_indexed_by_distinct_whole_scores_in_order_is_refused(card, scores, fragment):
    def edited(payload):
        data = payload["content"]["risk_scores"]["data"]
        payload["content"]["risk_scores"] = {"dtype": "<f8", "shape": [len(data)], "data": scores(list(data))}

    refused_on_load(card, edited, fragment)
