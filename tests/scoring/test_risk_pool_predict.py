"""RiskScoreClassifier.pool_predict: every pool scorecard's labels from one pass."""

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

from glassbox import RiskScoreClassifier


def test_pool_predict_rows_are_each_scorecards_predict():
    X, y = make_classification(400, n_features=5, n_informative=3, random_state=3)
    X = pd.DataFrame(X, columns=[f"x{i}" for i in range(5)])
    X["group"] = pd.Categorical(np.where(X["x0"] > 0, "a", "b"))
    X.loc[::17, "x1"] = np.nan
    labels = np.where(y == 1, "yes", "no")
    model = RiskScoreClassifier(max_features=3).fit(X, labels)
    pool = model.pool_predict(X)
    assert pool.shape == (len(model.scorecards_), len(X)) and len(model.scorecards_) > 1
    assert len({tuple(row) for row in pool}) > 1  # the scorecards do not all decide alike
    for i in range(len(model.scorecards_)):
        np.testing.assert_array_equal(pool[i], model.use_scorecard(i).predict(X))


def test_use_scorecard_takes_an_integer_index_only():
    import pytest

    X, y = make_classification(200, n_features=4, n_informative=2, random_state=3)
    model = RiskScoreClassifier(max_features=2).fit(X, y)
    assert model.use_scorecard(np.int64(1)).scorecard_index_ == 1
    for index in (True, 1.0, -1, len(model.scorecards_)):
        with pytest.raises(ValueError, match="index must be an integer in"):
            model.use_scorecard(index)
    assert model.scorecard_index_ == 1  # a refused index leaves the card in use alone
