"""A risk score prints modelled risks without false certainty: never 0.0% or 100.0%."""

import json

import numpy as np
import pandas as pd

from glassbox import RiskScoreClassifier
from glassbox.explain._render import format_risk_percent


def test_risks_print_without_false_certainty():
    # a logistic risk is never 0 or 1: the card and the why note print <0.1% / >99.9%, not 0.0% / 100.0%
    assert [format_risk_percent(p) for p in (0.0, 4e-4, 5e-4, 0.5, 0.9994, 0.9995, 0.9999999997, 1.0)] == [
        "<0.1%", "<0.1%", "0.1%", "50.0%", "99.9%", ">99.9%", ">99.9%", ">99.9%"]
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    y = (X.a + 0.05 * rng.normal(size=60) > 0).astype(int)  # nearly separable: extreme risks
    model = RiskScoreClassifier(max_features=2).fit(X, y)
    card = model.explain_global()
    assert card.risk_predicted.max() < 1 and card.risk_predicted.max() > 0.9995, card.risk_predicted
    text = str(card)
    risk_column = [line.split()[1] for line in text.splitlines() if line.strip()[:1].lstrip("-+").isdigit()
                   and len(line.split()) >= 2 and line.split()[1].endswith("%")]
    assert ">99.9%" in risk_column and "100.0%" not in risk_column, text
    notes = model.explain_local(X).notes
    assert not any("risk 100.0%" in note or "risk 0.0%" in note for note in notes)
    assert any("risk >99.9%" in note for note in notes), notes


def _imbalanced_problem(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = (X.a + rng.normal(size=n) > 1.0).astype(int)  # about one row in four has the event
    return X, y


def test_class_weighted_card_says_its_risks_are_the_reweighted_samples():
    # the card and its JSON, not only the docs, say the risks are the class-weighted sample's
    from glassbox import from_json

    X, y = _imbalanced_problem()
    for class_weight, noted in [(None, False), ({0: 1, 1: 1}, False), ("balanced", True), ({0: 3.0}, True)]:
        card = RiskScoreClassifier(max_features=2, class_weight=class_weight).fit(X, y).explain_global()
        loaded = from_json(card.to_json())
        for text in (str(card), card._repr_html_(), str(loaded)):
            assert ("class-weighted sample" in text) == noted, (class_weight, text)
            assert ("weighted count" in text) == noted, (class_weight, text)
        assert ("class_weights" in card.to_json()) == noted
        if noted:
            direction = "overstate" if class_weight == "balanced" else "understate"
            assert f"they {direction} the real rate of 1" in str(card), str(card)
            np.testing.assert_array_equal(loaded.class_weights, card.class_weights)
    balanced = RiskScoreClassifier(max_features=2, class_weight="balanced").fit(X, y).explain_global()
    share = y.mean()
    np.testing.assert_allclose(balanced.class_weights, [0.5 / (1 - share), 0.5 / share])
    # a payload written before the field existed loads without the note
    payload = json.loads(balanced.to_json())
    del payload["content"]["class_weights"]
    old = from_json(json.dumps(payload))
    assert old.class_weights is None and "class-weighted" not in str(old)


def test_an_observed_rate_prints_0_or_100_percent_only_when_exact():
    # one event among 3,636 rows at SCORE 0 printed "0.0%": no event, to a reader of the table
    n = 8000
    x = np.linspace(0, 1, n)
    y = (x >= 0.5).astype(int)
    y[10], y[-10] = 1, 0  # one event among the low rows, one non-event among the high ones
    card = RiskScoreClassifier(max_features=1).fit(pd.DataFrame({"x": x}), y).explain_global()
    frame = card.risk_frame()
    assert 0 < frame["observed_rate"].min() < 0.0005  # the premise: a rate that rounds to 0.0%
    observed = {line.split()[0]: line.split()[2] for line in str(card).splitlines()
                if line[:1].isdigit() and line.split()[2].endswith("%")}
    low = str(int(frame["score"][frame["observed_rate"].idxmin()]))
    assert observed[low] == "<0.1%", observed
    from glassbox.explain.scorecard import observed_percent

    assert [observed_percent(r) for r in (0.0, 2e-4, 0.5, 0.9998, 1.0)] == ["0.0%", "<0.1%", "50.0%", ">99.9%",
                                                                           "100.0%"]
    assert card._repr_html_().count("&lt;0.1%") == 2  # the predicted risk and the observed rate at SCORE 0
