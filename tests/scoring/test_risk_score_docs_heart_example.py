"""The heart example of docs/risk_score.rst (row 166, ``ca`` missing) prints what the page quotes."""

import numpy as np
import pytest

from glassbox.explain import reason_codes


@pytest.fixture(scope="module")
def heart_card(read_shared_csv):
    from glassbox import RiskScoreClassifier
    frame = read_shared_csv("heart.csv")
    X, y = frame.drop(columns="heart_disease"), frame["heart_disease"].to_numpy()
    return RiskScoreClassifier().fit(X, y), X


def test_the_why_line_of_row_166_is_the_one_the_page_quotes(heart_card):
    model, X = heart_card
    note = model.explain_local(X.loc[[166]]).notes[0]
    assert note.endswith("-> risk 3.6% (the scorecard's row for SCORE -1); "
                         "ca >= 1 (+4 points) not earned: ca is missing")
    with_ca = X.loc[[166]].copy()
    with_ca["ca"] = 1
    assert np.round(model.predict_proba(with_ca)[0, 1], 3) == 0.25  # "with ca = 1 ... risk is 25.0%"


def test_the_reasons_of_row_166_are_the_ones_the_page_quotes(heart_card):
    model, X = heart_card
    text = str(reason_codes(model, X.loc[[166]], reference=X, adverse=1))
    assert "  1. sex >= 1 (sex = 1): 2 points toward class 1 compared with the best (this row +2, best 0)\n" in text
    assert ("  ca is missing: scored as not ca >= 1 (+4 points not earned; had it held, 4 points toward class 1)"
            in text)
