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
