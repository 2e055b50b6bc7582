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
