"""A service that loads only the JSON gives the same reasons, and the same records, as the fitted estimator."""

import warnings

import numpy as np
import pandas as pd
import pytest

import glassbox
from glassbox import GAMClassifier, RiskScoreClassifier, SparseLinearClassifier, reason_codes


def _data():
    rng = np.random.default_rng(0)
    n = 300
    X = pd.DataFrame({
        "visits": rng.integers(0, 6, n),  # int64: the estimator records it as float64 numbers
        "age": rng.integers(18, 80, n).astype(float),
        "plan": rng.choice(["basic", "plus", "pro"], n),
    })
    y = ((X["visits"] > 2) ^ (X["plan"] == "pro") ^ (rng.random(n) < 0.15)).astype(int).to_numpy()
    X.loc[[3, 10, 50], "age"] = np.nan  # a risk score leaves its age conditions unearned there, and says so
    return X, y


MODELS = {
    "risk_score": lambda: RiskScoreClassifier(max_features=3),
    "risk_score_about_class_0": lambda: RiskScoreClassifier(max_features=3, pos_label=0, class_weight={0: 1, 1: 2}),
    "gam": lambda: GAMClassifier(random_state=0, max_rounds=30, interactions=0),
    "linear": lambda: SparseLinearClassifier(alpha=0.01),
}


@pytest.mark.parametrize("name", MODELS)
def test_reasons_of_the_loaded_model_are_the_estimators(name):
    X, y = _data()
    if name == "linear":  # linear models refuse missing values
        X = X.fillna({"age": 40.0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MODELS[name]().fit(X, y)
    loaded = glassbox.from_json(model.to_json())
    rows = X.iloc[[0, 3, 10, 20]]
    ours = reason_codes(model, rows, reference=X, adverse=0)
    theirs = reason_codes(loaded, rows, reference=X, adverse=0)
    assert theirs == ours
    assert theirs.to_json() == ours.to_json()
    assert str(theirs) == str(ours)
    values = theirs.explanation.feature_values
    assert all(isinstance(v, float) for v in values[:, 0])  # int64 input recorded as the estimator records it


def test_a_loaded_card_gives_each_row_its_score_and_risk_line():
    X, y = _data()
    model = RiskScoreClassifier(max_features=3).fit(X, y)
    loaded = glassbox.from_json(model.to_json())
    rows = X.iloc[:4]
    explanation = reason_codes(loaded, rows, reference=X, adverse=0).explanation
    notes = explanation.notes
    assert notes == model.explain_local(rows).notes
    assert all(note.startswith("SCORE (points earned)") and "the scorecard's row for SCORE" in note for note in notes)
    assert "not earned: age is missing" in notes[3]  # row 3's age is missing
    card = model.explain_global()
    assert notes == card.local_notes(card.term_contributions(rows), explanation.unearned_missing)
