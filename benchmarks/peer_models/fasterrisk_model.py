"""FasterRisk (Liu et al., NeurIPS 2022) as a worker module for its own virtual environment.

FasterRisk pins numpy < 2 and scikit-learn 1.2, so it runs in
``benchmarks.peers.FASTERRISK`` through ``benchmarks/_venv_worker.py``. This file
is standalone: it imports only numpy and fasterrisk.

FasterRisk wants 0/1 (or at least numeric) features and labels in {-1, +1};
give the case a ``prepare`` that binarizes categorical and continuous features
on the training part. ``params`` are passed to ``RiskScoreOptimizer`` (``k`` =
number of nonzero points, default 5; ``lb``/``ub`` = point range, default
-5..5; ``parent_size``, ``child_size``, ``select_top_m``...). The first model of
the sparse diverse pool (lowest training logistic loss) is the one scored.
"""

import numpy as np

# Imported when the worker loads this file, before any timed fit: FasterRisk's import (about
# 0.8 s) is not part of its fit time, as glassbox's is not of its own.
from fasterrisk.fasterrisk import RiskScoreClassifier, RiskScoreOptimizer


class FasterRiskModel:
    def __init__(self, **params):
        self.params = {"k": 5, **params}

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.where(np.asarray(y) == 1, 1.0, -1.0)
        optimizer = RiskScoreOptimizer(X=X, y=y, **self.params)
        optimizer.optimize()
        multipliers, intercepts, coefficients = optimizer.get_models()
        self.multiplier_ = float(multipliers[0])
        self.intercept_ = float(intercepts[0])
        self.points_ = np.asarray(coefficients[0], dtype=float)
        self.classifier_ = RiskScoreClassifier(self.multiplier_, self.intercept_, self.points_)
        return self

    def predict(self, X):
        return (self.classifier_.predict(np.asarray(X, dtype=float)) == 1).astype(int)

    def predict_proba(self, X):
        positive = self.classifier_.predict_prob(np.asarray(X, dtype=float))
        return np.column_stack([1.0 - positive, positive])


def make_model(params):
    return FasterRiskModel(**params)


def size(model):
    """Features with nonzero points."""
    return int(np.count_nonzero(model.points_))
