"""Sparse linear models: lasso, elastic net and best subset (L0), with exact sign constraints.

The fitted form is a coefficient table in the original units of each term
(numeric features and ``feature == level`` indicators for categorical ones);
local explanations are ``coef_j * x_j`` per term.
"""

from ._cv import SparseLinearClassifierCV, SparseLinearRegressorCV
from ._inference import coefficient_inference
from ._estimators import SparseLinearClassifier, SparseLinearRegressor
from ._path import RegularizationPath, sparse_linear_path

__all__ = [
    "RegularizationPath",
    "SparseLinearClassifier",
    "SparseLinearClassifierCV",
    "SparseLinearRegressor",
    "SparseLinearRegressorCV",
    "coefficient_inference",
    "sparse_linear_path",
]
