"""The list of glassbox estimators, for tests, checks, the demo and benchmarks.

Each family adds its estimators to ``_ESTIMATORS`` when it lands; the common
tests and the glassbox checks then run over it automatically.
"""

import importlib

from sklearn.base import is_classifier, is_regressor

# (module, class name) of every public glassbox estimator.
_ESTIMATORS = [
    ("glassbox.gam", "GAMClassifier"),
    ("glassbox.gam", "GAMRegressor"),
    ("glassbox.rules", "BayesianRuleListClassifier"),
    ("glassbox.rules", "DecisionSetClassifier"),
    ("glassbox.scoring", "RiskScoreClassifier"),
    ("glassbox.surrogate", "DistilledClassifier"), ("glassbox.surrogate", "DistilledRegressor"),
    ("glassbox.linear", "SparseLinearClassifier"), ("glassbox.linear", "SparseLinearClassifierCV"),
    ("glassbox.linear", "SparseLinearRegressor"), ("glassbox.linear", "SparseLinearRegressorCV"),
]


def all_estimators(type_filter=None):
    """Return ``[(name, class), ...]`` of glassbox estimators, sorted by name.

    Parameters
    ----------
    type_filter : {"classifier", "regressor"} or None
        Only the classifiers, only the regressors, or (None) every estimator.
        Any other value is refused.

    Examples
    --------
    >>> from glassbox import all_estimators
    >>> [name for name, cls in all_estimators(type_filter="regressor")]
    ['DistilledRegressor', 'GAMRegressor', 'SparseLinearRegressor', 'SparseLinearRegressorCV']
    >>> name, cls = all_estimators()[0]
    >>> name, cls().__class__.__name__
    ('BayesianRuleListClassifier', 'BayesianRuleListClassifier')
    """
    if type_filter not in (None, "classifier", "regressor"):
        raise ValueError(
            f"type_filter={type_filter!r} is not a kind of estimator glassbox lists: pass 'classifier', "
            "'regressor' or None (every estimator)."
        )
    found = []
    for module_name, class_name in _ESTIMATORS:
        cls = getattr(importlib.import_module(module_name), class_name)
        if type_filter == "classifier" and not is_classifier(cls()):
            continue
        if type_filter == "regressor" and not is_regressor(cls()):
            continue
        found.append((class_name, cls))
    return sorted(found)
