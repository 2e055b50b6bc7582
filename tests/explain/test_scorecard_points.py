"""A scorecard prints its points as a reader says them: ``+1 point``, ``+4 points``."""

import numpy as np
import pandas as pd

from glassbox import RiskScoreClassifier
from glassbox.explain.scorecard import points_text


def test_points_read_in_the_singular_for_one():
    assert [points_text(p) for p in (4, 1, 0, -1, -2)] == ["+4 points", "+1 point", "+0 points", "-1 point",
                                                           "-2 points"]


def test_scorecard_prints_one_point_in_the_singular():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"age": rng.randint(20, 80, 600), "visits": rng.poisson(2.0, 600)})
    y = ((X["age"] > 50) ^ (rng.rand(600) < 0.15)).astype(int)
    card = RiskScoreClassifier().fit(X, y).explain_global()
    text = str(card)
    for points in card.points:
        assert f" {points_text(points)} " in text
    assert "+1 points" not in text and "-1 points" not in text


def test_a_card_with_intercept_zero_prints_its_formula_without_adding_zero():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    y = (X["a"] + rng.normal(size=300) > 1.0).astype(int)
    card = RiskScoreClassifier(points_range=(-1, 0), max_features=1).fit(X, y).explain_global()
    assert card.intercept == 0
    for text in (str(card), card._repr_html_()):
        assert f"risk = 1 / (1 + exp(-SCORE / {card.multiplier:g}))" in text
        assert "SCORE +0" not in text
