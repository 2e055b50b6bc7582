"""RiskScoreClassifier with missing values: the local notes name the conditions a missing value left
unearned from the rows the explanation bins once, and reason codes say when a missing value moved the score."""

import numpy as np
import pandas as pd
import pytest

import glassbox.scoring.risk_score as risk_score_module
from glassbox import RiskScoreClassifier


@pytest.fixture(scope="module")
def card_with_missing():
    rng = np.random.RandomState(0)
    n = 600
    X = pd.DataFrame({"age": rng.uniform(30, 80, n), "vessels": rng.randint(0, 4, n).astype(float),
                      "chest_pain": rng.randint(1, 5, n).astype(float)})
    logit = 0.06 * (X["age"] - 55) + 0.9 * X["vessels"] + 0.8 * (X["chest_pain"] == 4) - 1.2
    y = np.where(rng.rand(n) < 1 / (1 + np.exp(-logit)), "disease", "healthy")
    for column in X:
        X.loc[rng.rand(n) < 0.1, column] = np.nan
    model = RiskScoreClassifier(max_features=4, pos_label="disease").fit(X, y)
    return model, X, y


def _expected_notes(model, X):
    """The note's missing-value part of each row, read from the raw values and the card."""
    texts = []
    for _, row in X.iterrows():
        text = ""
        for condition, points in zip(model.conditions_, model.points_):
            if condition.op != "is missing" and pd.isna(row[condition.feature]):
                text += f"; {condition} ({int(points):+d} points) not earned: {condition.feature} is missing"
        texts.append(text)
    return texts


def test_notes_name_the_conditions_a_missing_value_left_unearned(card_with_missing):
    model, X, _ = card_with_missing
    notes = model.explain_local(X).notes
    expected = _expected_notes(model, X)
    assert any(expected)
    for note, missing in zip(notes, expected):
        # what follows "(the scorecard's row for SCORE ...)"
        assert note[note.index("(the scorecard's row"):].split(")", 1)[1] == missing


def test_explain_local_bins_the_rows_once(card_with_missing, monkeypatch):
    # the notes read the conditions a missing value left unearned from the prepared rows, not from X again
    model, X, _ = card_with_missing
    calls = []
    original = risk_score_module.prediction_codes

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(risk_score_module, "prediction_codes", counting)
    explanation = model.explain_local(X)
    assert len(calls) == 1
    np.testing.assert_array_equal(explanation.decision, model.decision_function(X))
