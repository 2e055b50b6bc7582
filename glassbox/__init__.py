"""glassbox: scikit-learn estimators whose fitted form is the explanation.

Every estimator explains itself exactly: ``explain_global()`` returns its
complete fitted form (which recomputes the model) and ``explain_local(X)``
returns per-term contributions that add up to each prediction.
"""

from . import _check_build  # noqa: F401  (raises a how-to-build message if extensions are missing)
from .base import InconsistentVersionWarning
from .explain import GlobalExplanation, LocalExplanation, reason_codes
from .gam import GAMClassifier, GAMRegressor
from .rules import BayesianRuleListClassifier, DecisionSetClassifier
from .scoring import RiskScoreClassifier
from .surrogate import DistilledClassifier, DistilledRegressor, LocalSurrogate, fidelity_frontier, fidelity_report
from .linear import (SparseLinearClassifier, SparseLinearClassifierCV, SparseLinearRegressor, SparseLinearRegressorCV,
                     coefficient_inference)
from .utils.binning import FeatureBinner
from .utils.conditions import ConditionGenerator
from .utils.registry import all_estimators

# the one place the version is written: pyproject.toml reads it from here
__version__ = "0.1.0.dev0"


def from_json(text):
    """Load a model saved with ``estimator.to_json()``.

    Returns its global explanation, which predicts exactly like the estimator
    (``decision_function``, ``predict_proba``, ``predict``); loading executes no code.
    The JSON of a report that is not a model (a fidelity report or frontier,
    a coefficient inference table, a local explanation, reason codes) is
    refused with the name of its loader, e.g.
    ``glassbox.surrogate.FidelityReport.from_json``.

    Examples
    --------
    >>> import pandas as pd
    >>> import glassbox
    >>> X = pd.DataFrame({"rooms": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "city": ["a", "b", "a", "b", "a", "b"]})
    >>> y = 10 + 2 * X["rooms"] + 3 * (X["city"] == "b")
    >>> model = glassbox.SparseLinearRegressor(alpha=0.0).fit(X, y)
    >>> text = model.to_json()  # plain JSON text: store it anywhere
    >>> restored = glassbox.from_json(text)
    >>> type(restored).__name__
    'CoefficientTable'
    >>> restored.predict(X.iloc[:2])
    array([12., 17.])
    >>> bool((restored.predict(X) == model.predict(X)).all())
    True
    """
    return GlobalExplanation.from_json(text)


__all__ = [
    "BayesianRuleListClassifier",
    "ConditionGenerator",
    "DecisionSetClassifier",
    "DistilledClassifier", "DistilledRegressor", "LocalSurrogate", "fidelity_frontier", "fidelity_report",
    "FeatureBinner",
    "GAMClassifier",
    "GAMRegressor",
    "GlobalExplanation",
    "InconsistentVersionWarning",
    "LocalExplanation",
    "RiskScoreClassifier",
    "SparseLinearClassifier", "SparseLinearClassifierCV", "SparseLinearRegressor", "SparseLinearRegressorCV",
    "all_estimators",
    "coefficient_inference",
    "from_json",
    "reason_codes",
]
