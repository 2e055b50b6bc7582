"""Risk scores: a condition a missing value leaves unearned is named, and a long card's search cost is documented."""

import numpy as np
import pandas as pd
import pytest

from glassbox import RiskScoreClassifier
from glassbox.explain.scorecard import points_text


def _missing_data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = (X.a + X.b + 0.3 * rng.normal(size=n) > 0).astype(int)
    return X, y


@pytest.mark.filterwarnings("ignore:.*missing.*:UserWarning")  # a had no missing value in training: a warning says so
def test_a_condition_left_unearned_by_a_missing_value_is_named():
    X, y = _missing_data()
    model = RiskScoreClassifier(max_features=2).fit(X, y)
    on_a = [(str(c), int(p)) for c, p in zip(model.conditions_, model.points_) if c.feature == "a"]
    assert on_a, model.conditions_
    rows = X.iloc[:4].copy()
    rows.loc[rows.index[[1, 3]], "a"] = np.nan
    local = model.explain_local(rows)
    for i in range(4):
        named = [f"; {c} ({points_text(p)}) not earned: a is missing" in local.notes[i] for c, p in on_a]
        assert all(named) if i in (1, 3) else not any(named), local.notes[i]
    assert "not earned: a is missing" in local._repr_html_()
    # still exact: the unearned condition contributes 0 and the contributions add up to the decision function
    np.testing.assert_array_equal(local.base_value + local.contributions.sum(axis=1), model.decision_function(rows))
    card = model.explain_global()
    for text in (str(card), card._repr_html_()):
        assert "a missing value earns no points for its conditions" in text


def test_the_cost_of_a_long_card_is_documented():
    # max_features drives the search's time (heart: 0.2 s at 5, 214 s at 30): the docstring and the guide say so
    from pathlib import Path

    assert "grows steeply" in RiskScoreClassifier.__doc__ and "214 s at 30" in RiskScoreClassifier.__doc__
    guide = Path(__file__).parents[2] / "docs" / "risk_score.rst"
    if guide.exists():
        text = guide.read_text()
        assert "Search cost" in text and "213.6 s" in text and "beam_width" in text
