"""Generalized additive models: cyclic boosting on binned features, exact monotone shapes, pairs."""

from .gam import GAMClassifier, GAMRegressor

__all__ = ["GAMClassifier", "GAMRegressor"]
