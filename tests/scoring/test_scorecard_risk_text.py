"""A risk score prints modelled risks without false certainty: never 0.0% or 100.0%."""

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
